import { type Awaitable, describe, RESUME, type Suspend, YIELD } from '../kernel/Awaitable.js';
import { Future } from '../kernel/Future.js';
import type { TimerHandle } from '../kernel/Handle.js';
import { getRunningLoop } from '../kernel/runningLoop.js';

/** A future resolved by a timer; cancelling it cancels the timer. */
class SleepFuture<T> extends Future<T> {
  /** @internal */ _timer: TimerHandle | null = null;

  override cancel(msg?: string): boolean {
    this._timer?.cancel();
    this._timer = null;
    return super.cancel(msg);
  }
}

function wake(fut: SleepFuture<unknown>, value: unknown): void {
  fut._timer = null;
  if (fut._state === 0) fut.setResult(value);
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
const yieldOnce: Awaitable<undefined> & Iterator<Suspend, undefined, unknown> = {
  [Symbol.iterator]() {
    return this;
  },
  next(arg?: unknown) {
    return arg === RESUME ? DONE_RESULT : YIELD_RESULT;
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

  [Symbol.iterator](): this {
    return this;
  }

  next(arg?: unknown): IteratorResult<Suspend, T> {
    return arg === RESUME ? { done: true, value: this.value } : YIELD_RESULT;
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

  [Symbol.iterator](): Future<T> {
    const loop = getRunningLoop();
    const fut = new SleepFuture<T>(loop);
    fut._description = describeSleep(this.ms);
    loop._checkOpen('sleep');
    fut._timer = loop._callLater(this.ms, wake as never, fut, this.value);
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
 * @throws {RangeError} for `NaN`; {TypeError} for a non-number.
 * @example
 * ```ts
 * import { run, sleep } from 'rxio';
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
  if (Number.isNaN(ms))
    throw new RangeError('sleep(NaN): the delay must be a number of milliseconds');
  if (ms <= 0) return value === undefined ? yieldOnce : new YieldValue(value);
  return new Sleep(ms, value);
}
