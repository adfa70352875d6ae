/**
 * `timeout` / `timeoutAt`: asyncio's `async with asyncio.timeout(delay):` as a scoped form, since
 * TypeScript has no `async with`: `yield* timeout(ms, function* (t) { ... })`.
 *
 * How it tells its own cancellation apart (asyncio 3.13's rule): on expiry it cancels the task,
 * which bumps `task.cancelling()`. On exit it takes that request back with `uncancel()`; only if the
 * count is then no higher than when the block was entered was the `CancelledError` its own, and it
 * becomes a `TimeoutError`. Otherwise (an outer timeout, or anyone else, also cancelled the task)
 * the `CancelledError` goes on.
 */
import { CancelledError, RuntimeError, TimeoutError } from '../errors.js';
import {
  type Awaitable,
  type Coroutine,
  coroutineAwaitable,
  describe,
  isAwaitable,
} from '../kernel/Awaitable.js';
import { _cancelAs } from '../kernel/cancelOrigin.js';
import type { EventLoop } from '../kernel/EventLoop.js';
import type { Handle } from '../kernel/Handle.js';
import { _getRunningLoopOrNull, currentTask, getRunningLoop } from '../kernel/runningLoop.js';
import type { Task } from '../kernel/Task.js';

/** The body of a timeout scope: a generator function given the {@link Timeout}. */
export type TimeoutBody<R> = (timeout: Timeout) => Coroutine<R>;

const CREATED = 'created';
const ENTERED = 'active';
const EXPIRING = 'expiring';
const EXPIRED = 'expired';
const EXITED = 'finished';
type State = typeof CREATED | typeof ENTERED | typeof EXPIRING | typeof EXPIRED | typeof EXITED;

function onTimeout(t: Timeout): void {
  t._expire();
}

/**
 * A deadline on a block of code (asyncio's `Timeout`). Made for you by {@link timeout} and
 * {@link timeoutAt}, or with `new Timeout(when)` and entered once with {@link Timeout.scope}.
 *
 * When the deadline passes while the block is suspended, the task is cancelled: the block sees a
 * `CancelledError` (its `finally` blocks run, and may await), and the scope turns it into a
 * `TimeoutError` whose `cause` is that `CancelledError`; `expired()` is then true and the task's
 * `cancelling()` is back to what it was. Code runs until its first suspension even when the
 * deadline has already passed, and a block that never suspends never times out.
 *
 * @example
 * ```ts
 * import { getRunningLoop, run, sleep, Timeout, TimeoutError } from 'rx-asyncio';
 * run(function* () {
 *   const t = new Timeout(getRunningLoop().time() + 100);
 *   try {
 *     yield* t.scope(function* () {
 *       yield* sleep(1000);
 *     });
 *   } catch (e) {
 *     if (!(e instanceof TimeoutError)) throw e;
 *   }
 *   console.log(t.expired()); // true
 * }());
 * ```
 */
export class Timeout {
  private _state: State = CREATED;
  private _when: number | null;
  private _handle: Handle | null = null;
  private _task: Task<unknown> | null = null;
  private _loop: EventLoop | null = null;
  private _cancelling = 0;

  /**
   * @param when the loop time (ms, as `loop.time()`) of the deadline, or null for none.
   * @throws {TypeError} / {RangeError} if `when` is not a number (NaN included) or null.
   */
  constructor(when: number | null) {
    this._when = checkWhen('Timeout', when);
  }

  /** The deadline (loop time, ms), or null if there is none. */
  when(): number | null {
    return this._when;
  }

  /**
   * Moves the deadline to `when` (loop time, ms; null removes it); a time already past expires at
   * the task's next suspension.
   * @throws {RuntimeError} before the scope is entered or after it exited, or once it expired.
   */
  reschedule(when: number | null): void {
    checkWhen('reschedule', when);
    if (this._state !== ENTERED) {
      throw new RuntimeError(
        this._state === CREATED
          ? 'Timeout.reschedule(): the timeout has not been entered; call it from inside its scope'
          : `Timeout.reschedule(): cannot change a timeout that is ${this._state}; reschedule it from inside its scope, before it expires`,
      );
    }
    this._when = when;
    this._handle?.cancel();
    this._handle = null;
    if (when === null) return;
    const loop = this._loop as EventLoop;
    this._handle =
      when <= loop.time() ? loop.callSoon(onTimeout, this) : loop.callAt(when, onTimeout, this);
  }

  /** True once the deadline passed and the timeout cancelled the task. */
  expired(): boolean {
    return this._state === EXPIRING || this._state === EXPIRED;
  }

  /**
   * Runs `body` (given this timeout) under the deadline and returns what it returns.
   * @throws {TimeoutError} if the deadline cancelled the body (`cause`: the `CancelledError`).
   * @throws {RuntimeError} when entered a second time, or outside a task.
   */
  *scope<R>(body: TimeoutBody<R>): Coroutine<R> {
    if (typeof body !== 'function') {
      throw new TypeError(
        `timeout scope: body must be a generator function taking the Timeout, got ${describe(body)}`,
      );
    }
    this._enter();
    let result: R;
    try {
      result = yield* checkCoroutineResult('timeout', body(this));
    } catch (e) {
      throw this._exit(e, true);
    } finally {
      this._handle?.cancel();
      this._handle = null;
    }
    this._exit(undefined, false);
    return result;
  }

  /** asyncio's repr: the deadline only while active (`when=null` when disabled). */
  toString(): string {
    const when = this._state === ENTERED ? ` when=${this._when}` : '';
    return `<Timeout [${this._state}]${when}>`;
  }

  private _enter(): void {
    if (this._state !== CREATED) {
      throw new RuntimeError(
        `${this}: Timeout has already been entered; a Timeout can be entered only once, create a new one (or call timeout() again)`,
      );
    }
    const running = _getRunningLoopOrNull();
    const task = running === null ? null : currentTask(running);
    if (task === null) {
      throw new RuntimeError(
        'timeout(): Timeout should be used inside a task (await it with yield* in a coroutine)',
      );
    }
    this._state = ENTERED;
    this._task = task;
    this._loop = task.getLoop();
    this._cancelling = task.cancelling();
    this.reschedule(this._when);
  }

  /** Returns what the scope throws (when `threw`): a TimeoutError for its own cancellation. */
  private _exit(error: unknown, threw: boolean): unknown {
    this._handle?.cancel();
    this._handle = null;
    if (this._state !== EXPIRING) {
      this._state = EXITED;
      return error;
    }
    this._state = EXPIRED;
    const ours = (this._task as Task<unknown>).uncancel() <= this._cancelling;
    if (threw && ours && error instanceof CancelledError) {
      return new TimeoutError(`the timeout expired (deadline ${this._when} ms)`, { cause: error });
    }
    return error;
  }

  /** @internal The timer fired: cancel the task. */
  _expire(): void {
    this._handle = null;
    if (this._state !== ENTERED) return;
    this._state = EXPIRING;
    // Named as the source: the timer runs outside any task, so the origin's task alone says only
    // "a callback or timer" (the call site names timeout.ts in debug mode only).
    _cancelAs(`timeout (deadline at loop time ${this._when})`, this._task as Task<unknown>);
  }
}

function checkWhen(what: string, when: unknown): number | null {
  if (when === null) return null;
  if (typeof when !== 'number') {
    throw new TypeError(
      `${what}(): the deadline must be a number of ms or null, got ${describe(when)}`,
    );
  }
  if (Number.isNaN(when)) throw new RangeError(`${what}(): the deadline is NaN`);
  return when;
}

/**
 * Runs `body` with a deadline `ms` milliseconds from when the scope is entered (asyncio's
 * `timeout(delay)`); `null` means no deadline (but `reschedule()` may set one). The body gets the
 * {@link Timeout}, to read `when()`, move it with `reschedule()`, or check `expired()`.
 *
 * On expiry the task is cancelled; the body sees `CancelledError` (cleanup runs, and may await),
 * and the scope raises `TimeoutError` with that `CancelledError` as `cause`, restoring the task's
 * `cancelling()`. A cancellation from elsewhere (an outer timeout, a `task.cancel()`, even one at
 * the same instant as the expiry) stays a `CancelledError`; of two nested timeouts with the same
 * deadline only the outer raises `TimeoutError`. An error the body raises while being cancelled
 * propagates as itself. If the body catches the cancellation and returns, its value is returned.
 *
 * @throws {TimeoutError} when the deadline cancelled the body.
 * @throws {TypeError} / {RangeError} for a bad `ms` or a body that is not a function.
 * @see {@link timeoutAt} for an absolute deadline, {@link waitFor} for one awaitable.
 * @example
 * ```ts
 * import { run, sleep, timeout, TimeoutError } from 'rx-asyncio';
 * run(function* () {
 *   try {
 *     yield* timeout(100, function* (t) {
 *       yield* sleep(50);
 *       t.reschedule((t.when() ?? 0) + 100); // more time
 *       yield* sleep(1000);
 *     });
 *   } catch (e) {
 *     if (e instanceof TimeoutError) console.log('too slow');
 *     else throw e;
 *   }
 * }());
 * ```
 */
export function timeout<R>(ms: number | null, body: TimeoutBody<R>): Awaitable<R> {
  if (ms !== null) checkWhen('timeout', ms);
  checkBody('timeout', body);
  return coroutineAwaitable(() => {
    const when = ms === null ? null : getRunningLoop().time() + ms;
    return new Timeout(when).scope(body);
  });
}

/**
 * Like {@link timeout}, with an absolute deadline: `when` is a loop time in ms (`loop.time()`'s
 * clock), or null for none (asyncio's `timeout_at`).
 *
 * @throws {TimeoutError} when the deadline cancelled the body.
 * @example
 * ```ts
 * import { getRunningLoop, run, sleep, timeoutAt } from 'rx-asyncio';
 * run(function* () {
 *   const deadline = getRunningLoop().time() + 500;
 *   yield* timeoutAt(deadline, function* () {
 *     yield* sleep(100); // done well before the deadline
 *   });
 * }());
 * ```
 */
export function timeoutAt<R>(when: number | null, body: TimeoutBody<R>): Awaitable<R> {
  checkWhen('timeoutAt', when);
  checkBody('timeoutAt', body);
  return coroutineAwaitable(() => new Timeout(when).scope(body));
}

function checkBody(what: string, body: unknown): void {
  if (typeof body !== 'function') {
    throw new TypeError(
      `${what}(ms, body): body must be a generator function taking the Timeout, e.g. function* (t) { ... }; got ${describe(body)}`,
    );
  }
}

/** @internal What a scope body returned must be awaitable (a generator, not a Promise). */
export function checkCoroutineResult<R>(what: string, coro: Coroutine<R>): Coroutine<R> {
  if (isAwaitable(coro)) return coro;
  throw new TypeError(
    `${what} body: expected a generator function (function* (x) { ... }) but it returned ${describe(coro)}; async functions cannot be awaited with yield*`,
  );
}
