import { BrokenBarrierError } from '../errors.js';
import type { Awaitable, Suspend } from '../kernel/Awaitable.js';
import type { EventLoop } from '../kernel/EventLoop.js';
import { checkCount } from './checkCount.js';
import { LoopBound } from './LoopBound.js';
import { Deferred, READY_VOID, Ready } from './ready.js';
import { WaiterQueue } from './WaiterQueue.js';

enum State {
  /** Tasks are arriving. */
  Filling,
  /** The barrier passed: the waiters are leaving; arrivals wait until they are all out. */
  Draining,
  /** `reset()` broke the current waiters; arrivals wait until they are all out. */
  Resetting,
  /** `abort()`: every wait raises until `reset()`. */
  Broken,
}

const STATE_NAMES = ['filling', 'draining', 'resetting', 'broken'];

/**
 * A meeting point for a fixed number of tasks (asyncio's `Barrier`): each `wait()` blocks until
 * `parties` tasks are waiting, then all of them go on. Reusable: once every task of a round has
 * left, the next round fills.
 *
 * `wait()` returns the arrival index, 0 to `parties - 1`. The last arriver does not suspend: it
 * goes on first, then the others resume in arrival order. Tasks that arrive while a round is
 * still leaving wait for the next round. Cancelling a waiting task takes it out of the count (the
 * barrier is not broken). `abort()` breaks the barrier: waiting and later `wait()`s raise
 * {@link BrokenBarrierError} until `reset()`; `reset()` breaks only the current waiters and
 * then makes the barrier usable again.
 *
 * @example
 * ```ts
 * import { Barrier, createTask, run, sleep } from 'rx-asyncio';
 * run(function* () {
 *   const barrier = new Barrier(3);
 *   for (const ms of [10, 20]) {
 *     createTask(function* () { yield* sleep(ms); yield* barrier.wait(); }());
 *   }
 *   const index = yield* barrier.wait(); // all three go on at 20 ms
 *   console.log(index); // 0
 * }());
 * ```
 * @throws {TypeError} / {RangeError} if `parties` is not an integer >= 1 (`Barrier(0)`).
 */
export class Barrier extends LoopBound {
  private readonly _parties: number;
  private _state = State.Filling;
  /** Tasks inside `wait()` that took an index (this round's). */
  private _count = 0;
  /** This round's waiters, woken (broadcast) when the round passes or breaks. */
  private readonly _waiters = new WaiterQueue<void>();
  /** Arrivals that wait for the previous round to leave. */
  private readonly _arrivals = new WaiterQueue<void>();
  private readonly _wait = new Deferred(() => this._startWait(), 'Barrier.wait()');

  constructor(parties: number) {
    super();
    this._parties = checkCount('Barrier(parties)', parties, 1);
  }

  /** How many tasks a round needs. */
  get parties(): number {
    return this._parties;
  }

  /** How many tasks are waiting for this round to fill (0 while it drains or is broken). */
  get nWaiting(): number {
    return this._state === State.Filling ? this._count : 0;
  }

  /** True after `abort()` (until `reset()`). */
  get broken(): boolean {
    return this._state === State.Broken;
  }

  /**
   * Waits until `parties` tasks wait, then returns this task's arrival index.
   * @throws {BrokenBarrierError} if the barrier is or gets broken (`abort()`) or reset while
   * waiting.
   * @throws {RuntimeError} if the barrier is bound to another event loop.
   */
  wait(): Awaitable<number> {
    return this._wait;
  }

  /**
   * Breaks the current round: its waiters raise {@link BrokenBarrierError}; then the barrier is
   * usable again (at once if nobody waits). Takes effect at the call; the returned awaitable is
   * already complete, so `yield* barrier.reset()` reads as in asyncio.
   */
  reset(): Awaitable<void> {
    this._state = this._count > 0 ? State.Resetting : State.Filling;
    this._wakeEveryone();
    return READY_VOID;
  }

  /**
   * Breaks the barrier: every waiting and later `wait()` raises {@link BrokenBarrierError}
   * until `reset()`. Takes effect at the call; the returned awaitable is already complete.
   */
  abort(): Awaitable<void> {
    this._state = State.Broken;
    this._wakeEveryone();
    return READY_VOID;
  }

  override toString(): string {
    return `<Barrier [${STATE_NAMES[this._state]}, waiters:${this.nWaiting}/${this._parties}]>`;
  }

  private _startWait(): Iterator<Suspend, number, unknown> {
    if (this._state === State.Filling && this._count + 1 === this._parties) {
      return new Ready(this._pass()); // the last arriver never suspends
    }
    return this._waitSlow(this._getLoop());
  }

  private *_waitSlow(loop: EventLoop): Generator<Suspend, number, unknown> {
    while (this._state === State.Draining || this._state === State.Resetting) {
      yield* this._arrivals.wait(loop, 'Barrier.wait() (next round)');
    }
    if (this._state === State.Broken) {
      throw new BrokenBarrierError(`${this}.wait(): the barrier was aborted; reset() it first`);
    }
    if (this._count + 1 === this._parties) return this._pass();
    const index = this._count++;
    try {
      yield* this._waiters.wait(loop, 'Barrier.wait()');
      this._checkStillWhole();
      return index;
    } finally {
      this._leave();
    }
  }

  /** The last arriver: the round passes and everyone waiting goes on. */
  private _pass(): number {
    const index = this._count;
    this._state = State.Draining;
    this._waiters.wakeAll(undefined);
    if (this._count === 0) this._state = State.Filling; // a party of one
    return index;
  }

  private _wakeEveryone(): void {
    this._waiters.wakeAll(undefined);
    this._arrivals.wakeAll(undefined);
  }

  /** Checked by a waiter on waking: an abort or reset since it arrived breaks its wait. */
  private _checkStillWhole(): void {
    if (this._state === State.Broken || this._state === State.Resetting) {
      const how = this._state === State.Broken ? 'aborted' : 'reset';
      throw new BrokenBarrierError(`${this}.wait(): the barrier was ${how} while this task waited`);
    }
  }

  /** A waiter left (passed, broken or cancelled): the last one out opens the next round. */
  private _leave(): void {
    this._count--;
    if (this._count === 0 && (this._state === State.Draining || this._state === State.Resetting)) {
      this._state = State.Filling;
      this._arrivals.wakeAll(undefined);
    }
  }
}
