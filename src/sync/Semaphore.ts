import { displayName, displayNameOf } from '../internal/displayName.js';
import type { Awaitable, Suspend } from '../kernel/Awaitable.js';
import { checkCount } from './checkCount.js';
import { LoopBound } from './LoopBound.js';
import { Deferred, READY_TRUE } from './ready.js';
import { WaiterQueue } from './WaiterQueue.js';

/**
 * A counter of free slots (asyncio's `Semaphore`): `acquire()` takes one, waiting in line while
 * there are none; `release()` gives one back.
 *
 * FIFO and fair: `release()` hands its slot straight to the first waiter, and while a waiter that
 * was handed a slot has not run yet, `locked()` is true and a newcomer's `acquire()` queues
 * behind it, even if more releases left free slots (asyncio 3.13: "wait for others to start even
 * if value > 0"); when the woken waiter runs, it wakes as many of those as there are free slots.
 * A releaser that re-acquires queues behind the earlier waiters. A waiter cancelled after it was
 * handed a slot, before it resumed, passes the slot on (or the count goes back up). Cancelling a waiting task removes it
 * from the line and raises `CancelledError`; it holds no slot.
 *
 * Use {@link withLock} to release on return, error and cancellation.
 *
 * @example
 * ```ts
 * import { gather, run, Semaphore, sleep, withLock } from 'rx-asyncio';
 * const slots = new Semaphore(2); // at most two downloads at once
 * function* download(url: string) {
 *   return yield* withLock(slots, function* () {
 *     yield* sleep(100);
 *     return url.length;
 *   });
 * }
 * run(gather(download('a'), download('bb'), download('ccc')));
 * ```
 * @throws {TypeError} / {RangeError} if `value` is not an integer >= 0.
 * @see {@link BoundedSemaphore}, {@link Lock}, {@link withLock}
 */
export class Semaphore extends LoopBound {
  /** @internal See displayName.ts. */
  static readonly _displayName: string = 'Semaphore';
  /**
   * @internal Free slots, not counting those handed to woken waiters. Invariant: a waiter is
   * parked only while this is 0 or an earlier waiter was woken and has not run yet.
   */
  _value: number;
  /** @internal */ readonly _waiters = new WaiterQueue<true>(
    () => {
      this._value++;
    },
    () => this._wakeParked(), // a woken waiter ran: free slots go to those queued behind it
  );
  private readonly _acquire: Deferred<true>;
  /** The waiters' label, made once (labels are shared by identity). */
  private readonly _label: string;

  constructor(value = 1) {
    super();
    const name = displayNameOf(new.target);
    this._value = checkCount(`${name}(value)`, value, 0);
    this._label = `${name}.acquire()`;
    this._acquire = new Deferred(() => this._startAcquire(), this._label);
  }

  /**
   * Takes a slot, waiting in line if there is none; returns `true`. Does not yield when a slot is
   * free. Cancelled while waiting: raises `CancelledError` and holds no slot.
   * @throws {RuntimeError} if the semaphore is bound to another event loop.
   */
  acquire(): Awaitable<true> {
    return this._acquire;
  }

  /** Gives a slot back: to the first waiter if there is one, else to the count. */
  release(): void {
    if (!this._waiters.wakeOne(true)) this._value++;
  }

  /**
   * True if `acquire()` would wait: no free slot, or a waiter was handed a slot and has not run
   * yet (FIFO: newcomers queue behind it), as asyncio's `locked()`.
   */
  locked(): boolean {
    return this._value === 0 || this._waiters.pending > 0;
  }

  override toString(): string {
    const n = this._waiters.pending;
    const state = this.locked() ? 'locked' : `unlocked, value:${this._value}`;
    return `<${displayName(this)} [${state}${n > 0 ? `, waiters:${n}` : ''}]>`;
  }

  /** Hands free slots to the parked waiters, first come first served. */
  private _wakeParked(): void {
    while (this._value > 0 && this._waiters.parked > 0) {
      this._value--;
      this._waiters.wakeOne(true);
    }
  }

  private _startAcquire(): Iterator<Suspend, true, unknown> {
    if (!this.locked()) {
      this._value--;
      return READY_TRUE;
    }
    return this._waiters.wait(this._getLoop(), this._label);
  }
}
