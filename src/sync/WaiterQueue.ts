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
import {
  DEFINES_FUTURE_FIELDS,
  Future,
  type FutureExtra,
  type FutureState,
  PENDING,
  type StoredCallback,
} from '../kernel/Future.js';

/**
 * @internal A parked waiter: a future that is also a node of its queue's list, and the iterator
 * its task runs `yield*` on. Why not a generator around the future: a waiting `get()` or
 * `acquire()` made two generators and resumed through three `yield*` levels; as its own
 * iterator, a wait allocates this one object.
 */
export class WaiterFuture<T> extends Future<T> {
  /** @internal See displayName.ts. */
  static override readonly _displayName: string = 'WaiterFuture';
  // Future's fields, defined here and not by Future (see DEFINES_FUTURE_FIELDS).
  /** @internal */ override _state: FutureState = PENDING;
  /** @internal */ override _result: T | undefined = undefined;
  /** @internal */ override _exception: unknown = undefined;
  /** @internal */ override readonly _loop: EventLoop;
  /** @internal */ override _callbacks: StoredCallback | StoredCallback[] | null = null;
  /** @internal */ override _x: FutureExtra | null = null;
  /** @internal The queue that made it. */
  readonly _owner: WaiterQueue<T>;
  /** @internal In its queue's list (parked and not woken, failed or cancelled yet). */
  _linked = false;
  /** @internal */ _prev: WaiterFuture<T> | null = null;
  /** @internal */ _next: WaiterFuture<T> | null = null;
  /** @internal Woken by wakeOne and not resumed yet: its token may have to be passed on. */
  _handed = false;

  constructor(loop: EventLoop, owner: WaiterQueue<T>) {
    super(loop, DEFINES_FUTURE_FIELDS);
    this._loop = loop;
    this._owner = owner;
  }

  /** Cancelling a parked waiter (its task was cancelled) takes it out of the line at once. */
  override cancel(msg?: unknown): boolean {
    if (this._linked) this._owner._unlink(this);
    return super.cancel(msg);
  }

  /**
   * @internal `yield*` protocol. The first call parks the task on this future; the call that
   * resumes it takes the token (or raises the error) and leaves the line, as the `finally` of a
   * waiting coroutine would.
   */
  override next(): IteratorResult<Suspend, T> {
    if (this._state === PENDING) return super.next();
    let token: T;
    try {
      token = this.result();
    } catch (e) {
      this._owner._leave(this, false);
      throw e;
    }
    return { done: true, value: this._owner._consume(this, token) };
  }

  /** @internal An error thrown into the waiting task (its cancellation): leave, then raise. */
  override throw(e: unknown): IteratorResult<Suspend, T> {
    this._owner._leave(this, false);
    throw e;
  }

  /** @internal The waiting coroutine was closed: leave the line. */
  override return(value: T): IteratorResult<Suspend, T> {
    this._owner._leave(this, false);
    return { done: true, value };
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
   * @param taken Runs after a waiter resumed with its token (a queue wakes putters: the item no
   * longer takes a slot).
   */
  constructor(
    private readonly reclaim: ((token: T) => void) | null = null,
    private readonly taken: (() => void) | null = null,
  ) {}

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
   * Parks the calling task until a wake-up; `yield*` on the result returns its token (the one
   * awaitable every primitive waits on). It parks at once: call it only inside `yield*` (or
   * from an awaitable's `[Symbol.iterator]`). `what` labels the waiter in task dumps
   * (`Lock.acquire()`); pass the same string each time (labels are shared by identity).
   */
  wait(loop: EventLoop, what: string): WaiterFuture<T> {
    const w = new WaiterFuture<T>(loop, this);
    w._description = what;
    w._linked = true;
    w._prev = this._tail;
    if (this._tail === null) this._head = w;
    else this._tail._next = w;
    this._tail = w;
    this._parked++;
    return w;
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

  /** @internal Takes a parked waiter out of the list. */
  _unlink(w: WaiterFuture<T>): void {
    if (!w._linked) return;
    if (w._prev === null) this._head = w._next;
    else w._prev._next = w._next;
    if (w._next === null) this._tail = w._prev;
    else w._next._prev = w._prev;
    w._prev = w._next = null;
    w._linked = false;
    this._parked--;
  }

  /** @internal The waiting task resumed with `token`: returns the token it takes. */
  _consume(w: WaiterFuture<T>, token: T): T {
    // A handed waiter takes the oldest token in flight (see _settleFlight).
    const mine = w._handed ? this._settleFlight(w, true) : token;
    this._leave(w, true);
    this.taken?.();
    return mine;
  }

  /** @internal The waiting task resumed (`consumed`) or stopped waiting for any other reason. */
  _leave(w: WaiterFuture<T>, consumed: boolean): void {
    if (w._linked) {
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
    if (i === 0 && (consumed || flight.length === 1)) {
      // The usual case, the oldest in flight: it keeps its own token (and `splice` would
      // allocate the array of removed items).
      flight.shift();
      return w._result as T;
    }
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
