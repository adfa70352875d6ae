import { EmptyError, from, type ObservableInput, type Subscription, take } from 'rxjs';
import { CancelledError, ValueError } from '../errors.js';
import {
  type Awaitable,
  type Coroutine,
  coroutineAwaitable,
  describe,
  isAwaitable,
  isCoroutine,
} from '../kernel/Awaitable.js';
import type { EventLoop } from '../kernel/EventLoop.js';
import { Future } from '../kernel/Future.js';
import { getRunningLoop } from '../kernel/runningLoop.js';
import { Task } from '../kernel/Task.js';
import { _promiseBoundary } from './setPromiseBoundaryHook.js';

/** Anything {@link ensureFuture} accepts. */
export type FutureLike<T> = Awaitable<T> | PromiseLike<T> | ObservableInput<T>;

/** The value type of a {@link FutureLike}. */
export type FutureValue<X> =
  X extends Awaitable<infer T>
    ? T
    : X extends PromiseLike<infer T>
      ? T
      : X extends ObservableInput<infer T>
        ? T
        : never;

/** Options of {@link ensureFuture} and {@link awaitable}. */
export interface EnsureFutureOptions {
  /** The loop the future belongs to; default the running loop. */
  loop?: EventLoop;
  /**
   * For an Observable: resolve with its **first** value and unsubscribe at once, instead of
   * waiting for completion and taking the last value. An Observable that completes empty is
   * still an `EmptyError`. Ignored for Promises, coroutines and futures.
   */
  first?: boolean;
}

/** A future fed by an Observable subscription; cancelling it unsubscribes. */
class SubscriptionFuture<T> extends Future<T> {
  /** @internal See displayName.ts. */
  static override readonly _displayName: string = 'SubscriptionFuture';
  /** @internal */ _subscription: Subscription | null = null;

  override cancel(msg?: string): boolean {
    this._subscription?.unsubscribe();
    this._subscription = null;
    return super.cancel(msg);
  }
}

/** A source that settles after its loop closed has nobody left to tell (asyncio would raise). */
function settled(fut: Future<unknown>): boolean {
  return fut.done() || fut.getLoop().isClosed();
}

function settleError(fut: Future<unknown>, e: unknown, source: string): void {
  if (settled(fut)) return;
  if (e instanceof CancelledError) fut.cancel(e.message);
  else fut.setException(e === undefined ? new Error(`${source} failed with undefined`) : e);
}

function fromThenable<T>(loop: EventLoop, p: PromiseLike<T>): Future<T> {
  const fut = loop.createFuture<T>();
  fut._description = 'Promise';
  const settle = (ok: boolean, v: unknown): void => {
    if (settled(fut)) return;
    if (ok) fut.setResult(v as T);
    else settleError(fut, v, 'the Promise');
  };
  p.then(
    (v) => {
      _promiseBoundary(loop, fut, 'settled');
      settle(true, v);
    },
    (e) => {
      _promiseBoundary(loop, fut, 'settled');
      settle(false, e);
    },
  );
  _promiseBoundary(loop, fut, 'awaited');
  return fut;
}

function fromObservable<T>(loop: EventLoop, input: ObservableInput<T>, first: boolean): Future<T> {
  const fut = new SubscriptionFuture<T>(loop);
  fut._description = first ? 'Observable (first value)' : 'Observable';
  let last: T | undefined;
  let has = false;
  const source = first ? from(input).pipe(take(1)) : from(input);
  const sub = source.subscribe({
    next: (v) => {
      last = v;
      has = true;
    },
    error: (e) => settleError(fut, e, 'the Observable'),
    complete: () => {
      if (settled(fut)) return;
      if (has) fut.setResult(last as T);
      else fut.setException(new EmptyError());
    },
  });
  if (!fut.done()) fut._subscription = sub;
  return fut;
}

/**
 * Turns anything awaitable into a {@link Future} on the loop (asyncio's `ensure_future`): a Future
 * or Task is returned as it is; a coroutine is wrapped in a Task; another rx-asyncio awaitable is
 * awaited by a new Task; a Promise (any thenable) settles the future when it settles; an
 * Observable (any `ObservableInput`: Observable, async iterable, ReadableStream) is subscribed at
 * once and the future gets its **last** value when it completes (an empty one is an
 * `EmptyError`), or its **first** value with `{ first: true }` (then it is unsubscribed at once).
 * Cancelling the future unsubscribes the Observable.
 *
 * Promises are not virtualised by a `TestScheduler`: a future fed by a Promise settles on the
 * host's microtask queue, after any synchronous flush, so a virtual-time test stops at such an
 * await. Awaiting a Promise on a virtual-time loop is reported as a warning (see
 * {@link setPromiseBoundaryHook}).
 *
 * @throws {TypeError} for anything else (arrays and strings included: use RxJS `from()` first).
 * @example
 * ```ts
 * import { ensureFuture, run } from 'rx-asyncio';
 * import { of } from 'rxjs';
 * run(function* () {
 *   const n: number = yield* ensureFuture(of(1, 2, 3));
 *   console.log(n); // 3
 * }());
 * ```
 */
export function ensureFuture<X extends FutureLike<unknown>>(
  x: X,
  options: EnsureFutureOptions = {},
): Future<FutureValue<X>> {
  type T = FutureValue<X>;
  if (x instanceof Future) {
    if (options.loop !== undefined && x.getLoop() !== options.loop) {
      throw new ValueError(
        `ensureFuture(): The future belongs to a different loop than the one specified as the loop argument (${x})`,
      );
    }
    return x as Future<T>;
  }
  // Why before the loop lookup: asyncio's ensure_future checks the argument first, so a value
  // that is not awaitable is a TypeError even with no running loop (test_ensure_future_neither).
  if (typeof x === 'string' || Array.isArray(x)) {
    throw new TypeError(
      `ensureFuture(): ${describe(x)} is not awaitable; to await its items as an Observable use rxjs from()`,
    );
  }
  if (x === null || (typeof x !== 'object' && typeof x !== 'function')) {
    throw new TypeError(
      `ensureFuture(): expected a Future, Task, coroutine, Promise or Observable, got ${describe(x)}`,
    );
  }
  const loop = options.loop ?? getRunningLoop();
  // Through the loop's task factory, as asyncio's ensure_future (eager tasks in gather).
  if (isCoroutine(x)) return loop.createTask(x as Coroutine<T>);
  if (isAwaitable(x)) {
    const aw = x as Awaitable<T>;
    return new Task(
      (function* () {
        return yield* aw;
      })(),
      { loop },
    );
  }
  if (x !== null && typeof x === 'object' && typeof (x as PromiseLike<T>).then === 'function') {
    return fromThenable(loop, x as PromiseLike<T>);
  }
  try {
    return fromObservable(loop, x as ObservableInput<T>, options.first === true);
  } catch (e) {
    // RxJS's from() says "You provided ... where a stream was expected" for a non-input.
    if (
      e instanceof TypeError &&
      /ObservableInput|not a valid|stream was expected/i.test(e.message)
    ) {
      throw new TypeError(
        `ensureFuture(): expected a Future, Task, coroutine, Promise or Observable, got ${describe(x)}`,
      );
    }
    throw e;
  }
}

/**
 * Makes a Promise or Observable awaitable with `yield*`, lazily: nothing is subscribed until the
 * coroutine reaches the `yield*`. The short form of `yield* ensureFuture(x, options)`: pass
 * `{ first: true }` to take an Observable's first value instead of its last.
 *
 * @example
 * ```ts
 * import { awaitable, run } from 'rx-asyncio';
 * import { interval, timer } from 'rxjs';
 * run(function* () {
 *   const v = yield* awaitable(timer(100)); // 0, after 100 ms
 *   const tick = yield* awaitable(interval(10), { first: true }); // 0, then unsubscribed
 *   console.log(v, tick);
 * }());
 * ```
 */
export function awaitable<X extends FutureLike<unknown>>(
  x: X,
  options: { first?: boolean } = {},
): Awaitable<FutureValue<X>> {
  if (x === null || (typeof x !== 'object' && typeof x !== 'function')) {
    throw new TypeError(
      `awaitable(): expected a Promise, Observable or awaitable, got ${describe(x)}`,
    );
  }
  return coroutineAwaitable(() => ensureFuture(x, options)[Symbol.iterator]());
}
