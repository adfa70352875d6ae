import { ValueError } from '../errors.js';
import type { Awaitable, Coroutine } from '../kernel/Awaitable.js';
import { coroutineAwaitable, describe, isCoroutine } from '../kernel/Awaitable.js';
import { DoneCallbackQueue } from '../kernel/DoneCallbackQueue.js';
import { Future } from '../kernel/Future.js';
import type { TimerHandle } from '../kernel/Handle.js';
import { getRunningLoop } from '../kernel/runningLoop.js';

/** `wait` returns when any future finishes or is cancelled. */
export const FIRST_COMPLETED = 'FIRST_COMPLETED';
/** `wait` returns when any future fails (raises), or when all are done. */
export const FIRST_EXCEPTION = 'FIRST_EXCEPTION';
/** `wait` returns when all futures are done (the default). */
export const ALL_COMPLETED = 'ALL_COMPLETED';

/** When {@link wait} returns. */
export type ReturnWhen = typeof FIRST_COMPLETED | typeof FIRST_EXCEPTION | typeof ALL_COMPLETED;

/** Options of {@link wait}. */
export interface WaitOptions {
  /** Give up after this many milliseconds (nothing is cancelled); null or absent: no limit. */
  timeout?: number | null;
  /** Default {@link ALL_COMPLETED}. */
  returnWhen?: ReturnWhen;
}

/**
 * Waits for Tasks and Futures (asyncio's `wait`) and returns `[done, pending]`, two Sets holding
 * the very objects passed. It never raises their errors: look at `done`. On timeout it returns
 * what is done so far and cancels nothing; cancelling the caller stops the wait and cancels
 * nothing either.
 *
 * As in Python 3.13, coroutines are refused: wrap them with `createTask` first and keep the tasks,
 * since the sets are only useful if you hold what is in them.
 *
 * @throws {TypeError} for a coroutine, a single future instead of a collection, or a non-future.
 * @throws {ValueError} (a `RangeError`) for an empty collection or a bad `returnWhen`, as
 * asyncio; {RangeError} for a bad `timeout`.
 * @example
 * ```ts
 * import { createTask, FIRST_COMPLETED, run, sleep, wait } from 'rx-asyncio';
 * run(function* () {
 *   const fast = createTask(function* () { yield* sleep(10); return 'fast'; }());
 *   const slow = createTask(function* () { yield* sleep(1000); return 'slow'; }());
 *   const [done, pending] = yield* wait([fast, slow], { returnWhen: FIRST_COMPLETED });
 *   console.log(done.has(fast), pending.has(slow)); // true true
 *   slow.cancel();
 * }());
 * ```
 */
export function wait<F extends Future<unknown>>(
  futures: Iterable<F>,
  options: WaitOptions = {},
): Awaitable<[Set<F>, Set<F>]> {
  const fs = checkFutures(futures);
  const { timeout = null, returnWhen = ALL_COMPLETED } = options;
  if (timeout !== null && (typeof timeout !== 'number' || Number.isNaN(timeout))) {
    throw new RangeError(
      `wait(): timeout must be a number of milliseconds or null, got ${describe(timeout)}`,
    );
  }
  if (
    returnWhen !== FIRST_COMPLETED &&
    returnWhen !== FIRST_EXCEPTION &&
    returnWhen !== ALL_COMPLETED
  ) {
    throw new ValueError(
      `wait(): returnWhen must be FIRST_COMPLETED, FIRST_EXCEPTION or ALL_COMPLETED, got ${describe(returnWhen)}`,
    );
  }
  return coroutineAwaitable(() => waitCoro(fs, timeout, returnWhen));
}

function checkFutures<F>(futures: Iterable<F>): Set<F> {
  if (futures instanceof Future || isCoroutine(futures)) {
    throw new TypeError(
      `wait(): expected a collection of futures (an array or a Set), got ${describe(futures)}: write wait([x])`,
    );
  }
  if (
    futures === null ||
    typeof (futures as Partial<Iterable<F>>)[Symbol.iterator] !== 'function'
  ) {
    throw new TypeError(
      `wait(): expected an iterable of Tasks or Futures, got ${describe(futures)}`,
    );
  }
  const fs = new Set(futures);
  if (fs.size === 0) {
    throw new ValueError(
      'wait(): the collection of Tasks/Futures is empty (asyncio: "Set of Tasks/Futures is empty."); there is nothing to wait for',
    );
  }
  for (const f of fs) {
    if (f instanceof Future) continue;
    throw new TypeError(
      isCoroutine(f)
        ? 'wait(): coroutines are not accepted, pass tasks: const t = createTask(coro()); wait([t]) (keep t to find it in done/pending)'
        : `wait(): expected Tasks or Futures, got ${describe(f)}; wrap it with ensureFuture(x) and keep the future to find it in done/pending`,
    );
  }
  return fs;
}

function* waitCoro<F extends Future<unknown>>(
  fs: Set<F>,
  timeout: number | null,
  returnWhen: ReturnWhen,
): Coroutine<[Set<F>, Set<F>]> {
  const loop = getRunningLoop();
  const waiter = loop.createFuture<void>();
  let timer: TimerHandle | null = null;
  const release = (): void => {
    timer?.cancel();
    if (!waiter.done()) waiter.setResult(undefined);
  };
  if (timeout !== null) timer = loop.callLater(timeout, release);
  let left = fs.size;
  let releasing = false;
  // Counted as each future finishes, where asyncio's callback only counts: the one future whose
  // callback releases the caller keeps its place in the loop (`keep`), the others need none.
  const releases = (f: Future<unknown>): boolean => {
    left--;
    if (releasing) return false;
    releasing =
      left <= 0 ||
      returnWhen === FIRST_COMPLETED ||
      (returnWhen === FIRST_EXCEPTION && !f.cancelled() && f._exception !== undefined);
    return releasing;
  };
  const watch = new DoneCallbackQueue<Future<unknown>>(loop, release, releases);
  for (const f of fs) watch.watch(f);
  try {
    yield* waiter;
  } finally {
    timer?.cancel();
    // Every future finished (left <= 0): nothing is left to unwatch.
    if (left > 0) for (const f of fs) watch.unwatch(f);
  }
  // Every future done (ALL_COMPLETED's usual end): `fs` is wait's own copy, so it is the done set
  // as it stands (no second set of n).
  if (left <= 0) return [fs, new Set<F>()];
  const done = new Set<F>();
  const pending = new Set<F>();
  for (const f of fs) (f.done() ? done : pending).add(f);
  return [done, pending];
}
