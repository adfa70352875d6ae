import { QueueEmpty, QueueFull, QueueShutDown, ValueError } from '../errors.js';
import { displayName, displayNameOf } from '../internal/displayName.js';
import { type Awaitable, COROUTINE_MARK, describe, type Suspend } from '../kernel/Awaitable.js';
import { _anchorShapes, type EventLoop } from '../kernel/EventLoop.js';
import { checkCount } from '../sync/checkCount.js';
import { LoopBound } from '../sync/LoopBound.js';
import { Deferred, READY_VOID, Ready } from '../sync/ready.js';
import { WaiterQueue } from '../sync/WaiterQueue.js';
import { FifoStore, type Store } from './Store.js';

/** Options of {@link Queue}, {@link LifoQueue} and {@link PriorityQueue}. */
export interface QueueOptions {
  /** How many items the queue holds before `put` waits; 0 (the default) means no limit. */
  maxsize?: number;
}

/** Options of {@link Queue.shutdown}. */
export interface QueueShutdownOptions {
  /** Also discard the items still queued (and count them done for `join()`). Default false. */
  immediate?: boolean;
}

/** `queue.put(item)`: lazy, like a Python coroutine; one small object per call, no closure. */
class Put<T> implements Awaitable<void> {
  constructor(
    private readonly queue: Queue<T>,
    private readonly item: T,
  ) {}

  /** @internal A coroutine in asyncio's terms: `createTask` accepts it (see COROUTINE_MARK). */
  get [COROUTINE_MARK](): true {
    return true;
  }

  [Symbol.iterator](): Iterator<Suspend, void, unknown> {
    return this.queue._startPut(this.item);
  }

  toString(): string {
    return `${displayName(this.queue)}.put()`;
  }
}

/**
 * A first-in, first-out queue between tasks (asyncio's `Queue`), optionally bounded by
 * `maxsize`. `get()` waits while it is empty, `put()` while it is full; the `Nowait` forms raise
 * {@link QueueEmpty} / {@link QueueFull} instead. `taskDone()` and `join()` track the work done
 * on the items, and `shutdown()` ends the queue.
 *
 * Fair: waiting getters and putters are served FIFO. An item put while a getter waits goes
 * straight to the first getter (it is no longer in `qsize()`), and a slot freed while a putter
 * waits is reserved for the first putter (`full()` stays true until it has put), so later
 * callers cannot barge. Awaiting an item that is there, or room that is free, does not yield.
 *
 * Cancellation: a cancelled `get()` or `put()` has no effect on the queue. A getter handed an
 * item and cancelled before it resumed passes the item to the next getter, or it goes back at
 * the head of the queue; a putter handed a slot passes it on. To wait with a deadline, use
 * `waitFor(queue.get(), ms)` or `timeout`: the timed-out getter leaves no trace.
 *
 * @example
 * ```ts
 * import { createTask, Queue, run } from 'rx-asyncio';
 * function* consumer(q: Queue<string>) {
 *   for (;;) {
 *     const job = yield* q.get();
 *     console.log('done', job);
 *     q.taskDone();
 *   }
 * }
 * run(function* () {
 *   const q = new Queue<string>(10);
 *   const worker = createTask(consumer(q));
 *   for (const job of ['a', 'b', 'c']) yield* q.put(job);
 *   yield* q.join(); // every job was taskDone()
 *   worker.cancel();
 * }());
 * ```
 * @throws {TypeError} / {RangeError} if `maxsize` is not an integer >= 0.
 * @see {@link LifoQueue}, {@link PriorityQueue}
 */
export class Queue<T> extends LoopBound {
  /** @internal See displayName.ts. */
  static readonly _displayName: string = 'Queue';
  /** How many items the queue holds before `put` waits; 0 means no limit. */
  readonly maxsize: number;
  /** @internal */ _store: Store<T> = new FifoStore<T>();
  private _unfinished = 0;
  private _isShutdown = false;
  private readonly _getters = new WaiterQueue<T>(
    (item) => this._store.unget(item),
    () => this._wakePutters(), // the item a getter was handed no longer takes a slot
  );
  private readonly _putters = new WaiterQueue<true>();
  private readonly _joiners = new WaiterQueue<void>();
  private readonly _getOp: Deferred<T>;
  // Waiter labels for dumps, made once: a label is shared by every waiter that carries it.
  private readonly _labels: { get: string; put: string; join: string };
  private readonly _joinOp: Deferred<void>;

  /** `new Queue(10)` or `new Queue({ maxsize: 10 })`; no argument: unbounded. */
  constructor(options: number | QueueOptions = {}) {
    super();
    // Anything but an options object is taken as the maxsize, so `new Queue('2')` is refused.
    const maxsize =
      options === undefined || typeof options === 'object' ? (options?.maxsize ?? 0) : options;
    const name = displayNameOf(new.target);
    this.maxsize = checkCount(`${name}(maxsize)`, maxsize, 0);
    this._labels = { get: `${name}.get()`, put: `${name}.put()`, join: `${name}.join()` };
    this._getOp = new Deferred(() => this._startGet(), this._labels.get);
    this._joinOp = new Deferred(() => this._startJoin(), this._labels.join);
  }

  /** How many items are queued (not counting items already handed to a waking getter). */
  qsize(): number {
    return this._store.size;
  }

  /** True if no item is queued. */
  empty(): boolean {
    return this._store.size === 0;
  }

  /**
   * True if `putNowait` would raise {@link QueueFull}: `maxsize` slots are taken by queued
   * items, items on their way to a getter, and slots reserved for woken putters.
   */
  full(): boolean {
    if (this.maxsize === 0) return false;
    return this._store.size + this._getters.inFlight + this._putters.inFlight >= this.maxsize;
  }

  /**
   * Puts `item`, waiting for room if the queue is full. Cancelled while waiting: the item is
   * not put and `CancelledError` is raised.
   * @throws {QueueShutDown} if the queue is or gets shut down.
   * @throws {RuntimeError} if the queue is bound to another event loop.
   */
  put(item: T): Awaitable<void> {
    return new Put(this, item);
  }

  /**
   * Puts `item` now.
   * @throws {QueueFull} if there is no room; {@link QueueShutDown} after `shutdown()`.
   */
  putNowait(item: T): void {
    this._checkOpen('putNowait');
    if (this.full()) {
      throw new QueueFull(
        `${this}.putNowait(): the queue is full; use yield* queue.put(item) to wait`,
      );
    }
    this._accept(item);
  }

  /**
   * Removes and returns the next item, waiting while the queue is empty. Cancelled while
   * waiting: no item is lost (see the class comment) and `CancelledError` is raised.
   * @throws {QueueShutDown} if the queue is shut down and empty.
   * @throws {RuntimeError} if the queue is bound to another event loop.
   */
  get(): Awaitable<T> {
    return this._getOp;
  }

  /**
   * Removes and returns the next item now.
   * @throws {QueueEmpty} if there is none; {@link QueueShutDown} if shut down and empty.
   */
  getNowait(): T {
    if (this._store.size > 0) return this._take();
    if (this._isShutdown) throw this._shutDownError('getNowait');
    throw new QueueEmpty(`${this}.getNowait(): the queue is empty; use yield* queue.get() to wait`);
  }

  /**
   * Marks one item taken with `get` as processed; when every item put has been processed,
   * `join()` returns.
   * @throws {ValueError} (a `RangeError`) if called more times than items were put, as asyncio.
   */
  taskDone(): void {
    if (this._unfinished <= 0) {
      throw new ValueError(
        `${this}.taskDone(): task_done() called too many times (more than items were put); call it once per item taken`,
      );
    }
    if (--this._unfinished === 0) this._joiners.wakeAll(undefined);
  }

  /**
   * Waits until every item put has been marked done with `taskDone()`; does not yield if none
   * is pending. Cancelled: raises `CancelledError`, the queue is unaffected.
   */
  join(): Awaitable<void> {
    return this._joinOp;
  }

  /**
   * Shuts the queue down (asyncio 3.13): `put` raises {@link QueueShutDown} from now on, blocked
   * putters and getters are woken with it, and `get` still drains the items left, then raises.
   * With `{ immediate: true }` the items left are discarded (and counted done, which may release
   * `join()`), so `get` raises at once. An item already handed to a woken getter is still
   * delivered.
   */
  shutdown(options: QueueShutdownOptions = {}): void {
    const immediate = options?.immediate ?? false;
    if (typeof immediate !== 'boolean') {
      throw new TypeError(
        `shutdown({ immediate }): expected a boolean, got ${describe(immediate)}`,
      );
    }
    this._isShutdown = true;
    if (immediate) {
      while (this._store.size > 0) {
        this._store.take();
        if (this._unfinished > 0) this._unfinished--;
      }
      if (this._unfinished === 0) this._joiners.wakeAll(undefined);
    }
    this._getters.failAll(() => this._shutDownError('get'));
    this._putters.failAll(() => this._shutDownError('put'));
  }

  override toString(): string {
    const name = displayName(this);
    const shut = this._isShutdown ? ' shutdown' : '';
    return `<${name} maxsize=${this.maxsize} size=${this._store.size} getters:${this._getters.pending} putters:${this._putters.pending}${shut}>`;
  }

  /** @internal Runs when `put(item)` is awaited. */
  _startPut(item: T): Iterator<Suspend, void, unknown> {
    this._checkOpen('put');
    // Putters are parked only while the queue is full, so nobody is passed over here.
    if (this._putters.parked === 0 && !this.full()) {
      this._accept(item);
      return READY_VOID;
    }
    return this._putSlow(item, this._getLoop());
  }

  private *_putSlow(item: T, loop: EventLoop): Generator<Suspend, void, unknown> {
    yield* this._putters.wait(loop, this._labels.put);
    this._checkOpen('put'); // handed a slot, then shut down before resuming
    this._accept(item);
  }

  private _startGet(): Iterator<Suspend, T, unknown> {
    // Getters are parked only while the queue is empty, so nobody is passed over here.
    if (this._store.size > 0) return new Ready(this._take());
    if (this._isShutdown) throw this._shutDownError('get');
    return this._getters.wait(this._getLoop(), this._labels.get);
  }

  private _startJoin(): Iterator<Suspend, void, unknown> {
    if (this._unfinished === 0) return READY_VOID;
    return this._joiners.wait(this._getLoop(), this._labels.join);
  }

  /** A new item: to the first waiting getter, else into the store. */
  private _accept(item: T): void {
    this._unfinished++;
    if (!this._getters.wakeOne(item)) this._store.put(item);
  }

  private _take(): T {
    let item = this._store.take();
    // FIFO: getters handed older items may not have resumed yet; whoever takes now gets the
    // oldest, and they get the next ones (a woken getter is owed an item, not that item).
    if (this._store instanceof FifoStore) item = this._getters.rotate(item);
    this._wakePutters();
    return item;
  }

  /** Reserves the free slots for the first waiting putters. */
  private _wakePutters(): void {
    while (this._putters.parked > 0 && !this.full()) this._putters.wakeOne(true);
  }

  private _checkOpen(what: string): void {
    if (this._isShutdown) throw this._shutDownError(what);
  }

  private _shutDownError(what: string): QueueShutDown {
    return new QueueShutDown(
      `${displayName(this)}.${what}(): the queue was shut down` +
        (what === 'put' || what === 'putNowait' ? '; no more items are accepted' : ' and is empty'),
    );
  }
}

// Live instances of a queue's waiters (a get() waiting, a put() blocked, a put() awaitable), so a
// memory-reducing GC does not take their hidden classes and the queue's optimized code with them
// (issue 19, item 4; see _anchorShapes in the kernel).
_anchorShapes((loop) => {
  const empty = new Queue<undefined>();
  const full = new Queue<undefined>(1);
  full.putNowait(undefined);
  const put = full.put(undefined);
  return [
    put,
    loop.createTask(empty.get(), { name: 'anchor' }),
    loop.createTask(full.put(undefined), { name: 'anchor' }),
  ];
});
