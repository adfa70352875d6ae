import { RuntimeError } from '../errors.js';
import type { Awaitable, Suspend } from '../kernel/Awaitable.js';
import type { EventLoop } from '../kernel/EventLoop.js';
import { LoopBound } from './LoopBound.js';
import { Deferred, READY_TRUE } from './ready.js';
import { WaiterQueue } from './WaiterQueue.js';

/**
 * A mutual-exclusion lock for tasks (asyncio's `Lock`): at most one holder at a time, the others
 * wait in line, FIFO. Not re-entrant (a holder that acquires again waits for itself forever),
 * and not owned: any task may release it, as in asyncio.
 *
 * Fair: `release()` hands the lock to the first waiter, so a task that releases and re-acquires
 * at once queues behind it (no barging). Until that waiter resumes, `locked()` is false, as in
 * asyncio, but nobody else can take the lock. If the waiter is cancelled before it resumes, the
 * lock passes to the next waiter, or becomes free. Cancelling a waiting task removes it from the
 * line and raises `CancelledError` in it; it never holds the lock.
 *
 * Prefer {@link withLock}, which releases on return, error and cancellation.
 *
 * @example
 * ```ts
 * import { Lock, run, sleep, withLock } from 'rx-asyncio';
 * const lock = new Lock();
 * function* critical(name: string) {
 *   yield* withLock(lock, function* () {
 *     console.log(name, 'in');
 *     yield* sleep(10);
 *     console.log(name, 'out');
 *   });
 * }
 * run(critical('a'));
 * ```
 * @see {@link withLock}, {@link Semaphore}, {@link Condition}
 */
export class Lock extends LoopBound {
  private _locked = false;
  private readonly _waiters = new WaiterQueue<true>();
  private readonly _acquire = new Deferred(() => this._startAcquire(), 'Lock.acquire()');

  /**
   * Waits until the lock is free and takes it; returns `true`. A free lock with nobody in line is
   * taken without yielding to the loop. Cancelled while waiting: raises `CancelledError` and the
   * lock is not held. Like a Python coroutine, nothing happens until it is awaited.
   * @throws {RuntimeError} if the lock is bound to another event loop.
   */
  acquire(): Awaitable<true> {
    return this._acquire;
  }

  /**
   * Releases the lock and wakes the first waiter, if any.
   * @throws {RuntimeError} if the lock is not locked.
   */
  release(): void {
    if (!this._locked) {
      throw new RuntimeError(
        `${this}.release(): the lock is not acquired; release only after a successful acquire()`,
      );
    }
    this._locked = false;
    this._waiters.wakeOne(true);
  }

  /** True while a task holds the lock. */
  locked(): boolean {
    return this._locked;
  }

  override toString(): string {
    const n = this._waiters.pending;
    return `<Lock [${this._locked ? 'locked' : 'unlocked'}${n > 0 ? `, waiters:${n}` : ''}]>`;
  }

  private _startAcquire(): Iterator<Suspend, true, unknown> {
    if (!this._locked && this._waiters.pending === 0) {
      this._locked = true;
      return READY_TRUE;
    }
    return this._acquireSlow(this._getLoop());
  }

  private *_acquireSlow(loop: EventLoop): Generator<Suspend, true, unknown> {
    yield* this._waiters.wait(loop, 'Lock.acquire()');
    this._locked = true; // the releaser handed the lock to us
    return true;
  }
}
