import { CancelledError, RuntimeError } from '../errors.js';
import { type Awaitable, describe, type Suspend } from '../kernel/Awaitable.js';
import type { EventLoop } from '../kernel/EventLoop.js';
import { Lock } from './Lock.js';
import { LoopBound } from './LoopBound.js';
import { Deferred } from './ready.js';
import { WaiterQueue } from './WaiterQueue.js';

const NO_ERROR: unique symbol = Symbol('no error');

/**
 * A condition variable (asyncio's `Condition`): tasks holding its lock wait for a notification
 * about a shared state; the task that changes the state notifies them.
 *
 * `wait()` releases the lock, waits for `notify()`, then re-acquires the lock before returning,
 * even when cancelled: a cancelled waiter holds the lock again by the time its `CancelledError`
 * surfaces. A waiter that was notified but cancelled before it could use the notification
 * (before resuming, or while re-acquiring the lock) passes it on to the next waiter, so
 * `notify()` is never lost. Waiters are notified FIFO.
 *
 * The lock can be shared with other conditions (pass it in) and is held with `acquire()` /
 * `release()` or {@link withLock}.
 *
 * @example
 * ```ts
 * import { Condition, createTask, run, withLock } from 'rx-asyncio';
 * run(function* () {
 *   const cond = new Condition();
 *   const items: number[] = [];
 *   createTask(withLock(cond, function* () {
 *     items.push(1);
 *     cond.notify();
 *   }));
 *   const n = yield* withLock(cond, () => cond.waitFor(() => items.length));
 *   console.log(n); // 1
 * }());
 * ```
 * @throws {TypeError} if `lock` is given and is not a {@link Lock}.
 * @see {@link Event}, {@link withLock}
 */
export class Condition extends LoopBound {
  private readonly _lock: Lock;
  private readonly _waiters = new WaiterQueue<true>();
  private readonly _wait = new Deferred(() => this._startWait(), 'Condition.wait()');

  constructor(lock?: Lock) {
    super();
    if (lock !== undefined && !(lock instanceof Lock)) {
      throw new TypeError(`Condition(lock): expected a Lock, got ${describe(lock)}`);
    }
    this._lock = lock ?? new Lock();
  }

  /** Acquires the underlying lock (see {@link Lock.acquire}). */
  acquire(): Awaitable<true> {
    return this._lock.acquire();
  }

  /**
   * Releases the underlying lock.
   * @throws {RuntimeError} if it is not locked.
   */
  release(): void {
    this._lock.release();
  }

  /** True while the underlying lock is held. */
  locked(): boolean {
    return this._lock.locked();
  }

  /**
   * Releases the lock, waits to be notified, re-acquires the lock and returns `true`. Cancelled:
   * still re-acquires the lock, then raises `CancelledError`.
   * @throws {RuntimeError} if the lock is not held when awaited.
   */
  wait(): Awaitable<true> {
    return this._wait;
  }

  /**
   * Waits until `predicate()` is truthy and returns its value. The predicate is called with the
   * lock held: first at once (no wait if it holds already), then after each notification.
   * An error it throws propagates, with the lock held.
   * @throws {RuntimeError} if the lock is not held when awaited and the predicate is falsy.
   * @throws {TypeError} if `predicate` is not a function.
   */
  waitFor<R>(predicate: () => R): Awaitable<R> {
    if (typeof predicate !== 'function') {
      throw new TypeError(
        `Condition.waitFor(predicate): expected a function, got ${describe(predicate)}`,
      );
    }
    return this._waitFor(predicate);
  }

  /**
   * Wakes up to `n` waiting tasks (default 1), first come first served.
   * @throws {RuntimeError} if the lock is not held.
   * @throws {TypeError} / {RangeError} if `n` is not a number >= 0.
   */
  notify(n = 1): void {
    if (typeof n !== 'number')
      throw new TypeError(`Condition.notify(n): n must be a number, got ${describe(n)}`);
    if (!(n >= 0)) throw new RangeError(`Condition.notify(n): n must be >= 0, got ${n}`);
    this._checkLocked('notify');
    for (let i = 0; i < n && this._waiters.wakeOne(true); i++);
  }

  /**
   * Wakes every waiting task.
   * @throws {RuntimeError} if the lock is not held.
   */
  notifyAll(): void {
    this.notify(Number.POSITIVE_INFINITY);
  }

  override toString(): string {
    const n = this._waiters.pending;
    return `<Condition [${this._lock.locked() ? 'locked' : 'unlocked'}${n > 0 ? `, waiters:${n}` : ''}]>`;
  }

  private _checkLocked(what: string): void {
    if (!this._lock.locked()) {
      throw new RuntimeError(
        `Condition.${what}(): the lock is not held; acquire it first (withLock(cond, ...))`,
      );
    }
  }

  private _startWait(): Iterator<Suspend, true, unknown> {
    this._checkLocked('wait');
    return this._waitSlow(this._getLoop());
  }

  private *_waitSlow(loop: EventLoop): Generator<Suspend, true, unknown> {
    this._lock.release();
    let notified = false;
    let error: unknown = NO_ERROR;
    try {
      yield* this._waiters.wait(loop, 'Condition.wait()');
      notified = true;
    } catch (e) {
      error = e;
    }
    // Re-acquire even when cancelled: the caller's `finally` expects to hold the lock.
    for (;;) {
      try {
        yield* this._lock.acquire();
        break;
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        error = e; // keep the latest, as asyncio does
      }
    }
    if (error === NO_ERROR) return true;
    // Notified, but leaving with an error: the notification was not used, so pass it on.
    if (notified) this._waiters.wakeOne(true);
    throw error;
  }

  private *_waitFor<R>(predicate: () => R): Generator<Suspend, R, unknown> {
    let result = predicate();
    while (!result) {
      yield* this.wait();
      result = predicate();
    }
    return result;
  }
}
