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
import { _leaveTaskContext } from '../kernel/Context.js';
import type { EventLoop } from '../kernel/EventLoop.js';
import { Future, type Waiter } from '../kernel/Future.js';
import type { Handle, TimerHandle } from '../kernel/Handle.js';
import { getRunningLoop } from '../kernel/runningLoop.js';

/**
 * An item of {@link AsCompleted}: each `yield*` on it takes the next finished input (asyncio 3.13
 * yields a fresh coroutine per item). A class rather than `coroutineAwaitable(() => ...)`: no
 * closure and no object literal with computed keys per item. When the next input has already
 * finished, `yield*` runs on that input itself (a done future gives its result or raises its
 * error at once), so no coroutine is made either.
 *
 * It is also the iterator result that hands it out (`done` false and `value` itself, both on the
 * prototype): one small object per item instead of two.
 */
class NextOutcome<T> implements Awaitable<T>, IteratorYieldResult<Awaitable<T>> {
  declare readonly done: false;
  private readonly _owner: AsCompleted<T>;
  constructor(owner: AsCompleted<T>) {
    this._owner = owner;
  }
  get value(): Awaitable<T> {
    return this;
  }
  [Symbol.iterator](): Iterator<Suspend, T, unknown> {
    return this._owner._iter();
  }
}
Object.defineProperty(NextOutcome.prototype, COROUTINE_MARK, { value: true });
Object.defineProperty(NextOutcome.prototype, 'done', { value: false });

const ITEMS_DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/** The iterator over {@link AsCompleted}'s items (as a generator, with no result object each). */
class Items<T> implements IterableIterator<Awaitable<T>> {
  private _owner: AsCompleted<T> | null;
  constructor(owner: AsCompleted<T>) {
    this._owner = owner;
  }
  next(): IteratorResult<Awaitable<T>, undefined> {
    const owner = this._owner;
    if (owner === null || !owner._handOut()) return ITEMS_DONE;
    return new NextOutcome(owner);
  }
  /** Closes it, as a generator's: `break` out of a `for ... of` ends this iterator. */
  return(): IteratorResult<Awaitable<T>, undefined> {
    this._owner = null;
    return ITEMS_DONE;
  }
  [Symbol.iterator](): this {
    return this;
  }
}

/** Options of {@link asCompleted}. */
export interface AsCompletedOptions {
  /** After this many ms, every awaitable not yet taken raises `TimeoutError`; null: no limit. */
  timeout?: number | null;
}

/**
 * The iterable {@link asCompleted} returns: its items are awaitables, and the i-th one to be
 * awaited gives the outcome of the i-th input to finish.
 *
 * It is itself every input's done callback, and that callback's ready-queue entry (as
 * `DoneCallbackQueue`): a finished input is appended to `_fin` and takes its place in the loop;
 * when the loop reaches it (where asyncio runs `_handle_completion`), it becomes visible to the
 * items. One array holds the finished inputs from completion until they are taken.
 */
export class AsCompleted<T> implements Iterable<Awaitable<T>>, Waiter {
  /** @internal Ready-entry view: never cancelled (a timed-out callback does nothing). */
  readonly _cancelled = false;
  private readonly _loop: EventLoop;
  /** The inputs (possibly with repeats, watched once), until the timeout unwatches them. */
  private _inputs: Iterable<Future<T>>;
  /** Inputs whose done callback has not run yet (asyncio's `len(self._todo)`). */
  private _pending: number;
  /** The timeout expired: the callbacks still to come are ignored. */
  private _timedOut = false;
  /** Items not handed out yet. */
  private _left: number;
  /**
   * Finished inputs in completion order, oldest not taken at `_head`; those before `_released`
   * had their done callback run and can be taken. `null` stands for "timed out".
   */
  private readonly _fin: (Future<T> | null)[] = [];
  private _head = 0;
  private _released = 0;
  /** Awaiting items, in the order they started waiting. */
  private readonly _getters: Future<void>[] = [];
  private _timer: TimerHandle | null = null;

  /**
   * @internal Use {@link asCompleted}. `inputs` holds futures of `loop`; with `repeats`, the
   * same future may come twice and is watched once.
   */
  constructor(
    inputs: Iterable<Future<T>>,
    loop: EventLoop,
    timeout: number | null,
    repeats: boolean,
  ) {
    this._loop = loop;
    this._inputs = inputs;
    let n = 0;
    let doneSeen: Set<Future<T>> | undefined;
    for (const f of inputs) {
      if (repeats) {
        if (f.done()) {
          doneSeen ??= new Set();
          if (doneSeen.has(f)) continue;
          doneSeen.add(f);
        } else if (isWatchedBy(f, this)) {
          continue;
        }
      }
      n++;
      f._addCallback(this);
    }
    this._pending = n;
    this._left = n;
    if (n > 0 && timeout !== null) {
      this._timer = loop.callLater(timeout, () => this._onTimeout());
    }
  }

  [Symbol.iterator](): IterableIterator<Awaitable<T>> {
    return new Items(this);
  }

  /** @internal Counts out one more item; false once every input has one. */
  _handOut(): boolean {
    if (this._left === 0) return false;
    this._left--;
    return true;
  }

  toString(): string {
    return `<AsCompleted [pending:${this._pending}, ready:${this._released - this._head}]>`;
  }

  /** @internal Waiter: an input finished; its callback takes the next place in the loop. */
  _wakeup(future: Future<unknown>): void {
    this._fin.push(future as Future<T>);
    this._loop._pushDone(this as unknown as Handle);
  }

  /** @internal Ready-entry view: the callback (for dumps and the testing kit's labels). */
  get _fn(): () => void {
    return this._handleCompletion;
  }
  /** @internal Ready-entry view: the input whose callback runs next. */
  get _a(): Future<T> | null | undefined {
    return this._fin[this._released];
  }
  /** @internal Ready-entry view. */
  get _b(): undefined {
    return undefined;
  }

  /** @internal Called by the loop: the oldest finished input's done callback. */
  _run(): void {
    // A ready entry that is not a task step starts in the batch's context (see Context.ts).
    _leaveTaskContext();
    this._handleCompletion();
  }

  /** asyncio's `_handle_completion`: the oldest finished input can be taken. */
  private _handleCompletion(): void {
    if (this._timedOut) return; // timed out first
    this._released++;
    this._wakeOne();
    if (--this._pending === 0) this._timer?.cancel();
  }

  private _onTimeout(): void {
    this._timer = null;
    this._timedOut = true;
    for (const f of this._inputs) f._removeWaiter(this);
    this._inputs = [];
    // The finished inputs whose callbacks have not run count as timed out, as the rest.
    this._fin.length = this._released;
    for (; this._pending > 0; this._pending--) {
      this._fin.push(null);
      this._released++;
      this._wakeOne();
    }
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

  /**
   * @internal What `yield*` on an item runs: the next finished input itself if there is one,
   * else a coroutine that waits for it.
   */
  _iter(): Iterator<Suspend, T, unknown> {
    const f = this._head < this._released ? this._fin[this._head] : null;
    if (f === null || f === undefined) return this._next();
    this._took();
    return f;
  }

  /** Drops the oldest finished input from the queue (the array starts over once drained). */
  private _took(): void {
    this._fin[this._head++] = null;
    if (this._head === this._fin.length) {
      this._fin.length = 0;
      this._head = 0;
      this._released = 0;
    }
  }

  /** Waits for the next finished input and returns its result (or raises its error). */
  private *_next(): Coroutine<T> {
    return (yield* this._take()).result();
  }

  /** Waits for the next finished input and returns it; TimeoutError once the timeout took it. */
  private *_take(): Coroutine<Future<T>> {
    while (this._head === this._released) {
      const getter = this._loop.createFuture<void>();
      this._getters.push(getter);
      try {
        yield* getter;
      } catch (e) {
        // Woken, then cancelled: pass the wake-up on so no finished input is stranded.
        const i = this._getters.indexOf(getter);
        if (i >= 0) this._getters.splice(i, 1);
        else if (this._head < this._released) this._wakeOne();
        throw e;
      }
    }
    const f = this._fin[this._head];
    this._took();
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
  const fastLoop = Array.isArray(aws) ? loopOfFutures(aws) : null;
  if (fastLoop !== null) return new AsCompleted(aws as Future<T>[], fastLoop, timeout, true);
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
  return new AsCompleted(todo, loop ?? getRunningLoop(), timeout, false);
}

/**
 * The usual input, an array of futures and tasks of one loop: their loop, and the array is used
 * as it is (the same future twice is watched once: {@link AsCompleted}'s `repeats`) instead of an
 * `ensureFuture` call and a Set entry each. Null for anything else (an empty array, a coroutine,
 * futures of two loops), which the general path handles and reports.
 */
function loopOfFutures(aws: readonly unknown[]): EventLoop | null {
  let loop: EventLoop | null = null;
  for (let i = 0; i < aws.length; i++) {
    const f = aws[i];
    if (!(f instanceof Future)) return null;
    if (loop === null) loop = f._loop;
    else if (f._loop !== loop) return null;
  }
  return loop;
}

/** True if `w` is among the done callbacks of the pending future `f`. */
function isWatchedBy(f: Future<unknown>, w: Waiter): boolean {
  const cbs = f._callbacks;
  return cbs === w || (Array.isArray(cbs) && cbs.includes(w));
}
