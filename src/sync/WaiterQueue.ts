/**
 * The one fair waiter queue behind every lock, event, condition, semaphore, barrier and queue
 * (trio's `ParkingLot`, with asyncio's futures).
 *
 * A task waits by parking a {@link WaiterFuture} at the tail and awaiting it. Waking takes waiters
 * from the head, so service is FIFO, and hands each one a token: `true` for a lock or semaphore,
 * the item for a queue getter. A handed-over token belongs to that waiter; the primitive must not
 * give it to anyone else (that is what forbids barging).
 *
 * The race this module exists for, written once: a waiter woken with {@link WaiterQueue.wakeOne}
 * and then cancelled before it resumed gets `CancelledError`, and never uses its token (asyncio
 * delivers the cancellation, not the value). Its wake-up is passed on to the next parked waiter,
 * or, if none is left, given back to the primitive through `reclaim` (the semaphore's count goes
 * up again, the queue's item goes back in). A broadcast ({@link WaiterQueue.wakeAll}) is not
 * passed on: it reached everyone it was meant for.
 *
 * A waiter cancelled while parked unlinks itself at once (O(1): the futures are the nodes of a
 * doubly linked list), so the counts are exact without scanning.
 *
 * @module
 */
import type { Suspend } from '../kernel/Awaitable.js';
import type { EventLoop } from '../kernel/EventLoop.js';
import { Future } from '../kernel/Future.js';

/** @internal A parked waiter: a future that is also a node of its queue's list. */
export class WaiterFuture<T> extends Future<T> {
  /** @internal The queue it is parked in; null once woken, failed or cancelled. */
  _queue: WaiterQueue<T> | null = null;
  /** @internal */ _prev: WaiterFuture<T> | null = null;
  /** @internal */ _next: WaiterFuture<T> | null = null;
  /** @internal Woken by wakeOne and not resumed yet: its token may have to be passed on. */
  _handed = false;

  /** Cancelling a parked waiter (its task was cancelled) takes it out of the line at once. */
  override cancel(msg?: string): boolean {
    this._queue?._unlink(this);
    return super.cancel(msg);
  }
}

/** @internal See the module comment. */
export class WaiterQueue<T> {
  private _head: WaiterFuture<T> | null = null;
  private _tail: WaiterFuture<T> | null = null;
  private _parked = 0;
  private _inFlight = 0;
  /** Waiters woken by `wakeOne` and not resumed yet, in the order they were handed tokens. */
  private readonly _flight: WaiterFuture<T>[] = [];

  /**
   * @param reclaim Takes back a token that was handed to a waiter who could not use it and that
   * no other waiter could take. Omitted when a token carries nothing (a lock: it stays free).
   */
  constructor(private readonly reclaim: ((token: T) => void) | null = null) {}

  /** Waiters parked and not woken yet. */
  get parked(): number {
    return this._parked;
  }

  /** Woken by `wakeOne` and not resumed yet: they hold a token the primitive gave away. */
  get inFlight(): number {
    return this._inFlight;
  }

  /** Parked waiters plus those woken by `wakeOne` that have not resumed: everyone in line. */
  get pending(): number {
    return this._parked + this._inFlight;
  }

  /**
   * Parks the calling task until a wake-up and returns its token (the coroutine every primitive
   * awaits). `what` labels the waiter in task dumps (`Lock.acquire()`).
   */
  *wait(loop: EventLoop, what: string): Generator<Suspend, T, unknown> {
    const w = this._park(loop, what);
    let consumed = false;
    try {
      const token = yield* w;
      consumed = true;
      // A handed waiter takes the oldest token in flight (see _settleFlight).
      return w._handed ? this._settleFlight(w, true) : token;
    } finally {
      this._leave(w, consumed);
    }
  }

  /** Hands `token` to the first parked waiter; false if nobody is parked. */
  wakeOne(token: T): boolean {
    const w = this._head;
    if (w === null) return false;
    this._unlink(w);
    w._handed = true;
    this._inFlight++;
    this._flight.push(w);
    w.setResult(token);
    return true;
  }

  /** Wakes every parked waiter with `token` (a broadcast: not passed on). Returns how many. */
  wakeAll(token: T): number {
    let n = 0;
    for (let w = this._head; w !== null; w = this._head) {
      this._unlink(w);
      w.setResult(token);
      n++;
    }
    return n;
  }

  /** Makes every parked waiter raise the error `makeError()` builds (one error per waiter). */
  failAll(makeError: () => Error): void {
    for (let w = this._head; w !== null; w = this._head) {
      this._unlink(w);
      w.setException(makeError());
    }
  }

  private _park(loop: EventLoop, what: string): WaiterFuture<T> {
    const w = new WaiterFuture<T>(loop);
    w._description = what;
    w._queue = this;
    w._prev = this._tail;
    if (this._tail === null) this._head = w;
    else this._tail._next = w;
    this._tail = w;
    this._parked++;
    return w;
  }

  /** @internal Takes a parked waiter out of the list. */
  _unlink(w: WaiterFuture<T>): void {
    if (w._queue !== this) return;
    if (w._prev === null) this._head = w._next;
    else w._prev._next = w._next;
    if (w._next === null) this._tail = w._prev;
    else w._next._prev = w._prev;
    w._prev = w._next = null;
    w._queue = null;
    this._parked--;
  }

  /** The waiting task resumed (`consumed`) or stopped waiting for any other reason. */
  private _leave(w: WaiterFuture<T>, consumed: boolean): void {
    if (w._queue === this) {
      // Left while still parked: the coroutine was closed or had an error thrown into it.
      this._unlink(w);
      Future.prototype.cancel.call(w);
    } else if (w._handed) {
      w._handed = false;
      this._inFlight--;
      if (!consumed) this._passOn(this._settleFlight(w, false));
    } else if (!w.cancelled()) {
      w._retrieved(); // failed by failAll, then cancelled: the cancellation is what it raises
    }
  }

  /**
   * Takes `w` out of the in-flight line, keeping tokens in hand order: the k-th waiter in flight
   * holds the k-th oldest token (a queue's items, oldest first). A waiter that resumes takes the
   * oldest token, as if it took the head of the queue; one that leaves without resuming gives
   * up the youngest, which is the one to pass on (the next parked waiter is behind everyone in
   * flight, and every stored item is younger). Without this, items given back by two cancelled
   * getters came back reversed. Returns the token `w` takes (`consumed`) or gives up.
   */
  private _settleFlight(w: WaiterFuture<T>, consumed: boolean): T {
    const flight = this._flight;
    const i = flight.indexOf(w);
    if (i < 0) return w._result as T;
    flight.splice(i, 1);
    let token = w._result as T;
    if (consumed) {
      // Everyone handed before w shifts one token younger; w gets the oldest.
      for (let j = i - 1; j >= 0; j--) {
        const v = flight[j] as WaiterFuture<T>;
        const older = v._result as T;
        v._result = token;
        token = older;
      }
    } else {
      // Everyone handed after w shifts one token older; the youngest is given up.
      for (let j = i; j < flight.length; j++) {
        const v = flight[j] as WaiterFuture<T>;
        const younger = v._result as T;
        v._result = token;
        token = younger;
      }
    }
    return token;
  }

  /**
   * For a taker that did not wait (a queue's `get` with items stored): gives `token` to the
   * youngest waiter in flight, each older one the token of the one after it, and returns the
   * oldest token in flight (or `token` if nobody is in flight). Tokens then leave in the order
   * they were handed, whoever resumes first.
   */
  rotate(token: T): T {
    const flight = this._flight;
    for (let j = flight.length - 1; j >= 0; j--) {
      const v = flight[j] as WaiterFuture<T>;
      const held = v._result as T;
      v._result = token;
      token = held;
    }
    return token;
  }

  /** The rule of this module: an unused wake-up goes to the next waiter, else back to its owner. */
  private _passOn(token: T): void {
    if (!this.wakeOne(token)) this.reclaim?.(token);
  }
}
