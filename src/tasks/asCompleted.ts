import { TimeoutError } from '../errors.js';
import {
  type EnsureFutureOptions,
  ensureFuture,
  type FutureLike,
  type FutureValue,
} from '../interop/ensureFuture.js';
import {
  type Awaitable,
  COROUTINE_MARK,
  type Coroutine,
  describe,
  isAwaitable,
  type Suspend,
} from '../kernel/Awaitable.js';
import { DoneCallbackQueue } from '../kernel/DoneCallbackQueue.js';
import type { EventLoop } from '../kernel/EventLoop.js';
import { Future } from '../kernel/Future.js';
import type { TimerHandle } from '../kernel/Handle.js';
import { getRunningLoop } from '../kernel/runningLoop.js';

/**
 * An item of {@link AsCompleted}: each `yield*` on it takes the next finished input (asyncio 3.13
 * yields a fresh coroutine per item). A class rather than `coroutineAwaitable(() => ...)`: no
 * closure and no object literal with computed keys per item.
 */
class NextOutcome<T> implements Awaitable<T> {
  private readonly _owner: AsCompleted<T>;
  constructor(owner: AsCompleted<T>) {
    this._owner = owner;
  }
  [Symbol.iterator](): Iterator<Suspend, T, unknown> {
    return this._owner._next();
  }
}
Object.defineProperty(NextOutcome.prototype, COROUTINE_MARK, { value: true });

/** Options of {@link asCompleted}. */
export interface AsCompletedOptions {
  /** After this many ms, every awaitable not yet taken raises `TimeoutError`; null: no limit. */
  timeout?: number | null;
}

/**
 * The iterable {@link asCompleted} returns: its items are awaitables, and the i-th one to be
 * awaited gives the outcome of the i-th input to finish.
 */
export class AsCompleted<T> implements Iterable<Awaitable<T>> {
  private readonly _loop: EventLoop;
  private _todo: Set<Future<T>>;
  private _left: number;
  /** Finished futures not taken yet; `null` stands for "timed out". */
  private readonly _done: (Future<T> | null)[] = [];
  private _head = 0;
  /** Awaiting items, in the order they started waiting. */
  private readonly _getters: Future<void>[] = [];
  private _timer: TimerHandle | null = null;
  /** The inputs' done callbacks (one queue, not a handle per finished input). */
  private readonly _watch: DoneCallbackQueue<Future<T>>;

  /** @internal Use {@link asCompleted}. */
  constructor(futures: Set<Future<T>>, loop: EventLoop, timeout: number | null) {
    this._loop = loop;
    this._todo = futures;
    this._left = futures.size;
    this._watch = new DoneCallbackQueue(loop, (f) => this._onDone(f));
    for (const f of futures) this._watch.watch(f);
    if (futures.size > 0 && timeout !== null) {
      this._timer = loop.callLater(timeout, () => this._onTimeout());
    }
  }

  *[Symbol.iterator](): Iterator<Awaitable<T>> {
    while (this._left > 0) {
      this._left--;
      yield new NextOutcome(this);
    }
  }

  toString(): string {
    return `<AsCompleted [pending:${this._todo.size}, ready:${this._done.length - this._head}]>`;
  }

  private _onDone(f: Future<T>): void {
    if (!this._todo.delete(f)) return; // timed out first
    this._put(f);
    if (this._todo.size === 0) this._timer?.cancel();
  }

  private _onTimeout(): void {
    this._timer = null;
    for (const f of this._todo) {
      this._watch.unwatch(f);
      this._put(null);
    }
    this._todo = new Set();
  }

  private _put(f: Future<T> | null): void {
    this._done.push(f);
    this._wakeOne();
  }

  private _wakeOne(): void {
    while (this._getters.length > 0) {
      const g = this._getters.shift() as Future<void>;
      if (!g.done()) {
        g.setResult(undefined);
        return;
      }
    }
  }

  /**
   * The next input to finish, as itself: asyncio 3.13's `async for fut in as_completed(aws)`,
   * which yields the futures and tasks given (a coroutine's wrapping task). `{ done: true }` once
   * every input was taken, by this or by the `for ... of` items.
   * @throws {TimeoutError} for each input still not done when the timeout expired.
   * @example
   * ```ts
   * import { asCompleted, createTask, run, sleep } from 'rx-asyncio';
   * run(function* () {
   *   const slow = createTask(sleep(30, 'slow'));
   *   const fast = createTask(sleep(10, 'fast'));
   *   const done = asCompleted([slow, fast]);
   *   for (let r = yield* done.next(); !r.done; r = yield* done.next()) {
   *     console.log(r.value === fast ? 'fast' : 'slow', yield* r.value); // fast first
   *   }
   * }());
   * ```
   */
  *next(): Coroutine<IteratorResult<Future<T>, undefined>> {
    if (this._left === 0) return { done: true, value: undefined };
    this._left--;
    return { done: false, value: yield* this._take() };
  }

  /** @internal Waits for the next finished input and returns its result (or raises its error). */
  *_next(): Coroutine<T> {
    return (yield* this._take()).result();
  }

  /** Waits for the next finished input and returns it; TimeoutError once the timeout took it. */
  private *_take(): Coroutine<Future<T>> {
    while (this._head === this._done.length) {
      const getter = this._loop.createFuture<void>();
      this._getters.push(getter);
      try {
        yield* getter;
      } catch (e) {
        // Woken, then cancelled: pass the wake-up on so no finished input is stranded.
        const i = this._getters.indexOf(getter);
        if (i >= 0) this._getters.splice(i, 1);
        else if (this._head < this._done.length) this._wakeOne();
        throw e;
      }
    }
    const f = this._done[this._head];
    this._done[this._head++] = null;
    if (f === null || f === undefined) {
      throw new TimeoutError('asCompleted(): the timeout expired before this awaitable was done');
    }
    return f;
  }
}

/**
 * Iterates over awaitables in the order they finish (asyncio's `as_completed`). Each item of the
 * returned iterable is an awaitable; awaiting it gives the result of the next input to finish (or
 * raises its error). Coroutines and other awaitables are wrapped in tasks at once; the same input
 * twice counts once. With `{ timeout }`, every item still not done when it expires raises
 * `TimeoutError`; nothing is cancelled, by the timeout or by cancelling the caller.
 *
 * @throws {TypeError} for a single awaitable instead of a collection, or an input that cannot be
 * awaited; {RangeError} for a bad timeout.
 * @example
 * ```ts
 * import { asCompleted, run, sleep } from 'rx-asyncio';
 * run(function* () {
 *   for (const next of asCompleted([sleep(30, 'slow'), sleep(10, 'fast')], { timeout: 100 })) {
 *     console.log(yield* next); // "fast", then "slow"
 *   }
 * }());
 * ```
 */
export function asCompleted<X extends FutureLike<unknown>>(
  aws: Iterable<X>,
  options: AsCompletedOptions = {},
): AsCompleted<FutureValue<X>> {
  type T = FutureValue<X>;
  if (aws instanceof Future || (isAwaitable(aws) && !Array.isArray(aws) && !(aws instanceof Set))) {
    throw new TypeError(
      `asCompleted(): expected a collection of awaitables, got ${describe(aws)}: write asCompleted([x])`,
    );
  }
  if (aws === null || typeof (aws as Partial<Iterable<X>>)[Symbol.iterator] !== 'function') {
    throw new TypeError(`asCompleted(): expected an iterable of awaitables, got ${describe(aws)}`);
  }
  const timeout = options.timeout ?? null;
  if (timeout !== null && (typeof timeout !== 'number' || Number.isNaN(timeout))) {
    throw new RangeError(
      `asCompleted(): timeout must be a number of milliseconds or null, got ${describe(timeout)}`,
    );
  }
  let loop: EventLoop | undefined;
  let wrapOptions: EnsureFutureOptions = {};
  // One pass, one Set: futures are de-duplicated by `todo` itself; other awaitables (rare) by
  // `seen`, before they are wrapped (the same coroutine twice is one task, as asyncio's set(aws)).
  const todo = new Set<Future<T>>();
  let seen: Set<unknown> | undefined;
  for (const aw of aws) {
    if (!(aw instanceof Future)) {
      seen ??= new Set();
      if (seen.has(aw)) continue;
      seen.add(aw);
    }
    const f = ensureFuture(aw, wrapOptions) as Future<T>;
    if (loop === undefined) {
      loop = f.getLoop();
      wrapOptions = { loop };
    }
    todo.add(f);
  }
  return new AsCompleted(todo, loop ?? getRunningLoop(), timeout);
}
