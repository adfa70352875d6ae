import { CancelledError, TimeoutError } from '../errors.js';
import { ensureFuture, type FutureLike, type FutureValue } from '../interop/ensureFuture.js';
import {
  type Awaitable,
  type Coroutine,
  coroutineAwaitable,
  describe,
  isAwaitable,
} from '../kernel/Awaitable.js';
import type { Future } from '../kernel/Future.js';
import { getRunningLoop } from '../kernel/runningLoop.js';
import { timeout } from '../timing/timeout.js';

/**
 * Awaits `aw` with a time limit of `ms` milliseconds (asyncio's `wait_for`); `null` means none.
 *
 * `aw` may be a Task, a Future, a coroutine (run inline in the caller's task, as in Python 3.12+),
 * any other rx-asyncio awaitable, a Promise or an Observable. On timeout `aw` is cancelled and waited for
 * (its cleanup may overrun the deadline), then `TimeoutError` is raised with the `CancelledError`
 * as its `cause`; if `aw` swallows the cancellation and returns a value, that value is returned,
 * and an error `aw` raises while being cancelled propagates instead. With `ms <= 0` a coroutine is
 * never started. Cancelling the caller cancels `aw`, and the caller's cancellation is never lost,
 * even when `aw` finishes in the same loop iteration.
 *
 * @throws {TimeoutError} when the time limit cancelled `aw` (`cause`: its `CancelledError`).
 * @throws {TypeError} / {RangeError} for a bad `ms` or something that cannot be awaited.
 * @see {@link timeout} to put a deadline on a block of code.
 * @example
 * ```ts
 * import { run, sleep, TimeoutError, waitFor } from 'rx-asyncio';
 * run(function* () {
 *   console.log(yield* waitFor(sleep(10, 'fast'), 100)); // "fast"
 *   try {
 *     yield* waitFor(sleep(1000), 100);
 *   } catch (e) {
 *     if (e instanceof TimeoutError) console.log('slow');
 *     else throw e;
 *   }
 * }());
 * ```
 */
export function waitFor<X extends FutureLike<unknown>>(
  aw: X,
  ms: number | null,
): Awaitable<FutureValue<X>> {
  if (ms !== null && (typeof ms !== 'number' || Number.isNaN(ms))) {
    const E = typeof ms === 'number' ? RangeError : TypeError;
    throw new E(
      `waitFor(aw, ms): ms must be a number of milliseconds or null, got ${describe(ms)}`,
    );
  }
  if (aw === null || (typeof aw !== 'object' && typeof aw !== 'function')) {
    throw new TypeError(`waitFor(aw, ms): expected something awaitable, got ${describe(aw)}`);
  }
  type T = FutureValue<X>;
  if (ms !== null && ms <= 0)
    return coroutineAwaitable(() => cancelNow(ensureFuture(aw) as Future<T>));
  return timeout(ms, () => awaitInline(aw as FutureLike<T>));
}

/** Awaits in the caller's task: a coroutine runs inline, as in Python 3.12+. */
function* awaitInline<T>(aw: FutureLike<T>): Coroutine<T> {
  return yield* isAwaitable(aw) ? aw : (ensureFuture(aw) as Future<T>);
}

/** `ms <= 0`: nothing may run first; cancel `fut` (a new task never starts), wait, report. */
function* cancelNow<T>(fut: Future<T>): Coroutine<T> {
  if (fut.done()) return fut.result();
  yield* cancelAndWait(fut);
  try {
    return fut.result();
  } catch (e) {
    if (e instanceof CancelledError)
      throw new TimeoutError('waitFor(): the time limit is 0', { cause: e });
    throw e;
  }
}

/**
 * Cancels `fut` and waits until it is done, through a separate waiter: if the caller is
 * cancelled meanwhile, it stops waiting at once instead of cancelling `fut` a second time.
 */
function* cancelAndWait(fut: Future<unknown>): Coroutine<void> {
  const waiter = getRunningLoop().createFuture<void>();
  const release = (): void => {
    if (!waiter.done()) waiter.setResult(undefined);
  };
  fut.addDoneCallback(release);
  try {
    fut.cancel();
    yield* waiter;
  } finally {
    fut.removeDoneCallback(release);
  }
}
