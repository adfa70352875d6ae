import type { Awaitable, Suspend } from '../kernel/Awaitable.js';
import { LoopBound } from './LoopBound.js';
import { Deferred, READY_TRUE } from './ready.js';
import { WaiterQueue } from './WaiterQueue.js';

/**
 * A flag tasks can wait for (asyncio's `Event`): `set()` wakes every waiter, `clear()` lowers
 * the flag for later waiters.
 *
 * `set()` wakes all the tasks waiting at that moment, even if `clear()` follows at once: each of
 * them returns `true` without looking at the flag again. Cancelling a waiting task removes it
 * and raises `CancelledError` in it.
 *
 * @example
 * ```ts
 * import { createTask, Event, run, sleep } from 'rx-asyncio';
 * run(function* () {
 *   const ready = new Event();
 *   createTask(function* () { yield* sleep(100); ready.set(); }());
 *   yield* ready.wait(); // 100 ms later
 *   console.log(ready.isSet()); // true
 * }());
 * ```
 * @see {@link Condition} to wait for a state that changes more than once.
 */
export class Event extends LoopBound {
  private _value = false;
  private readonly _waiters = new WaiterQueue<true>();
  private readonly _wait = new Deferred(() => this._startWait(), 'Event.wait()');

  /** True if the flag is set. */
  isSet(): boolean {
    return this._value;
  }

  /** Sets the flag and wakes every waiting task. Idempotent. */
  set(): void {
    if (this._value) return;
    this._value = true;
    this._waiters.wakeAll(true);
  }

  /** Lowers the flag: later `wait()`s will wait. Tasks woken by an earlier `set()` still return. */
  clear(): void {
    this._value = false;
  }

  /**
   * Waits until the flag is set and returns `true`; does not yield if it is set already.
   * Cancelled while waiting: raises `CancelledError`.
   * @throws {RuntimeError} if the event is bound to another event loop.
   */
  wait(): Awaitable<true> {
    return this._wait;
  }

  override toString(): string {
    const n = this._waiters.parked;
    return `<Event [${this._value ? 'set' : 'unset'}${n > 0 ? `, waiters:${n}` : ''}]>`;
  }

  private _startWait(): Iterator<Suspend, true, unknown> {
    if (this._value) return READY_TRUE;
    return this._waiters.wait(this._getLoop(), 'Event.wait()');
  }
}
