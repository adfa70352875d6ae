import { ValueError } from '../errors.js';
import {
  type Awaitable,
  COROUTINE_MARK,
  describe,
  FIRST,
  RESUME,
  REUSED_RESULT,
  type Suspend,
  YIELD,
} from '../kernel/Awaitable.js';
import { _anchorShapes, type EventLoop } from '../kernel/EventLoop.js';
import {
  CANCELLED,
  DEFINES_FUTURE_FIELDS,
  Future,
  type FutureExtra,
  type FutureState,
  PENDING,
  type StoredCallback,
} from '../kernel/Future.js';
import type { TimerEntry } from '../kernel/Handle.js';
import { getRunningLoop } from '../kernel/runningLoop.js';

/**
 * A future that is its own timer entry: the loop's timer queue and ready queue hold it directly,
 * as they would a `TimerHandle` (the same internal surface: `when`, `_scheduled`, `_cancelled`,
 * `_run`, `_fn`/`_a`/`_b`). Why: a sleeping task is the commonest thing a loop holds, and a
 * separate handle cost ~110 B per sleep. The value to resolve with waits in `_result` (a pending
 * future never exposes it). Cancelling the future is cancelling the timer.
 */
class SleepFuture<T> extends Future<T> implements TimerEntry {
  /** @internal See displayName.ts. */
  static override readonly _displayName: string = 'SleepFuture';
  // Future's fields, defined here and not by Future (see DEFINES_FUTURE_FIELDS).
  /** @internal */ override _state: FutureState = PENDING;
  /** @internal */ override _result: T | undefined = undefined;
  /** @internal */ override _exception: unknown = undefined;
  /** @internal */ override readonly _loop: EventLoop;
  /** @internal */ override _callbacks: StoredCallback | StoredCallback[] | null = null;
  /** @internal */ override _x: FutureExtra | null = null;
  /** @internal Loop time (ms) it is due at; NaN once the loop took it out of its timer queue. */
  when: number;

  constructor(loop: EventLoop, when: number, value: T) {
    super(loop, DEFINES_FUTURE_FIELDS);
    this._loop = loop;
    this.when = when;
    this._result = value;
  }

  /** @internal True while it sits in the loop's timer queue (derived from `when`: no slot). */
  get _scheduled(): boolean {
    return !Number.isNaN(this.when);
  }
  set _scheduled(v: boolean) {
    if (!v) this.when = Number.NaN;
  }

  /** @internal Timer view: a cancelled sleep is a cancelled timer. */
  get _cancelled(): boolean {
    return this._state === CANCELLED;
  }

  /** @internal Timer view, for dumps and the testing kit's labels (a TimerHandle's fields). */
  get _fn(): (fut: SleepFuture<unknown>) => void {
    return wake;
  }
  get _a(): this {
    return this;
  }
  get _b(): T | undefined {
    // A cancelled future's `_result` holds its cancel origin (see Future's _cancelOrigin).
    return this._state === CANCELLED ? undefined : this._result;
  }

  /** @internal Called by the loop when the timer is due. */
  _run(): void {
    wake(this as SleepFuture<unknown>);
  }

  override cancel(msg?: unknown): boolean {
    const cancelled = super.cancel(msg);
    if (cancelled && this._scheduled) this._loop._timerCancelled(this);
    return cancelled;
  }
}

function wake(fut: SleepFuture<unknown>): void {
  if (fut._state === PENDING) fut.setResult(fut._result);
}

const YIELD_RESULT: IteratorYieldResult<Suspend> = Object.freeze({ done: false, value: YIELD });
const DONE_RESULT: IteratorReturnResult<undefined> = Object.freeze({
  done: true,
  value: undefined,
});

/**
 * `sleep(0)`: one shared, stateless iterator. The driver resumes it with RESUME, which is how it
 * tells "just started: yield" from "resumed: done" without per-call state, so the cheapest way to
 * let other tasks run allocates nothing.
 */
const yieldOnce: Awaitable<undefined> &
  Iterator<Suspend, undefined, unknown> & { readonly [COROUTINE_MARK]: true } = {
  [COROUTINE_MARK]: true,
  [Symbol.iterator]() {
    return this;
  },
  next(arg?: unknown) {
    return arg === RESUME ? DONE_RESULT : arg === FIRST ? REUSED_RESULT : YIELD_RESULT;
  },
  throw(e?: unknown): never {
    throw e;
  },
  return(value: undefined) {
    return { done: true, value: value as undefined };
  },
};

/** `sleep(0, value)`: one iteration, then `value`; stateless like {@link yieldOnce}. */
class YieldValue<T> implements Awaitable<T>, Iterator<Suspend, T, unknown> {
  constructor(readonly value: T) {}

  /** @internal A coroutine in asyncio's terms: `createTask` accepts it (see COROUTINE_MARK). */
  get [COROUTINE_MARK](): true {
    return true;
  }

  [Symbol.iterator](): this {
    return this;
  }

  next(arg?: unknown): IteratorResult<Suspend, T> {
    if (arg === RESUME) return { done: true, value: this.value };
    return arg === FIRST ? REUSED_RESULT : YIELD_RESULT;
  }

  throw(e?: unknown): never {
    throw e;
  }

  return(value: T): IteratorResult<Suspend, T> {
    return { done: true, value: value as T };
  }
}

// Why a cache: a dump label per sleep would be one string allocation per sleeping task, and
// programs sleep a handful of distinct durations. Bounded, so odd durations cannot grow it.
const labels = new Map<number, string>();

function describeSleep(ms: number): string {
  let label = labels.get(ms);
  if (label === undefined) {
    label = `sleep(${ms})`;
    if (labels.size < 1024) labels.set(ms, label);
  }
  return label;
}

/** A not-yet-started sleep: the timer starts when it is awaited, as a Python coroutine would. */
class Sleep<T> implements Awaitable<T> {
  constructor(
    readonly ms: number,
    readonly value: T,
  ) {}

  /** @internal A coroutine in asyncio's terms: `createTask` accepts it (see COROUTINE_MARK). */
  get [COROUTINE_MARK](): true {
    return true;
  }

  [Symbol.iterator](): Future<T> {
    const loop = getRunningLoop();
    loop._checkOpen('sleep');
    const fut = new SleepFuture<T>(loop, loop.scheduler.now() + this.ms, this.value);
    fut._description = describeSleep(this.ms);
    loop._pushTimer(fut);
    return fut;
  }

  toString(): string {
    return `sleep(${this.ms})`;
  }
}

/**
 * Suspends the calling task for `ms` milliseconds, then returns `value` (asyncio's `sleep`, in
 * milliseconds). `sleep(0)` gives the other ready tasks exactly one turn. A negative delay counts
 * as 0. Cancelling the task while it sleeps cancels the timer and throws `CancelledError`.
 *
 * @throws {ValueError} for `NaN` (a `RangeError`, as asyncio's `ValueError`); {TypeError} for a
 * non-number.
 * @example
 * ```ts
 * import { run, sleep } from 'rx-asyncio';
 * run(function* () {
 *   const v = yield* sleep(1000, 'tick');
 *   console.log(v); // "tick", one second later
 * }());
 * ```
 */
export function sleep(ms: number): Awaitable<void>;
export function sleep<T>(ms: number, value: T): Awaitable<T>;
export function sleep<T>(ms: number, value?: T): Awaitable<T | undefined> {
  if (typeof ms !== 'number') {
    throw new TypeError(`sleep(ms): ms must be a number of milliseconds, got ${describe(ms)}`);
  }
  if (Number.isNaN(ms)) {
    throw new ValueError(
      'sleep(NaN): Invalid delay: NaN (not a number); the delay must be a number of milliseconds',
    );
  }
  if (ms <= 0) return value === undefined ? yieldOnce : new YieldValue(value);
  return new Sleep(ms, value);
}

// A live sleep, so a memory-reducing GC does not take its future's hidden class and the timer
// code with it (issue 19, item 4; see _anchorShapes in the kernel).
_anchorShapes((loop) => loop.createTask(sleep(1e9), { name: 'anchor' }));
