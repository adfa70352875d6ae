import { Observable, type Subscriber, type TeardownLogic } from 'rxjs';
import { _deferOrigin, CancelledError, InvalidStateError } from '../errors.js';
import { displayName } from '../internal/displayName.js';
import {
  AWAIT,
  type Awaitable,
  describe,
  FIRST,
  FUTURE_MARK,
  parkFuture,
  REUSED_RESULT,
  type Suspend,
} from './Awaitable.js';
import { _cancelOrigin, _originOf, type OriginRecord } from './cancelOrigin.js';
import type { EventLoop } from './EventLoop.js';
import { _checkLoop, getRunningLoop } from './runningLoop.js';

/** A done callback: called, through the loop, with the future once it is done. */
export type DoneCallback<T> = (future: Future<T>) => unknown;

/** @internal A done callback as stored: the future's type is erased (futures are covariant). */
export type StoredCallback = ((future: never) => unknown) | Waiter;

/**
 * @internal A kernel-side waiter (a Task) registered without allocating a closure. `_wakeup` is
 * called at once when the future is done, and must only schedule work on the loop (done
 * callbacks never run synchronously).
 */
export interface Waiter {
  _wakeup(future: Future<unknown>): void;
}

/**
 * @internal Passed as `super(loop, DEFINES_FUTURE_FIELDS)` by a subclass that defines Future's six
 * fields itself, as its own class fields, in Future's order (`_state = PENDING`, `_result`,
 * `_exception`, `_loop`, `_callbacks = null`, `_x = null`; see Task, SleepFuture, WaiterFuture,
 * GatheringFuture) and sets `_loop` after `super`. Why: a property defined by one piece of code
 * on objects of more than four hidden classes is a megamorphic store, and a megamorphic store
 * that adds a property is slow whenever V8's shared stub cache has been filled by other code. With Future's own
 * initializer defining the fields of every subclass, ping-pong through a `Queue` fell from 3.5M to
 * 0.6M round trips/s after other libraries had run in the same process (the `new WaiterFuture`
 * of each `get()` spent 66% of the time there); each hot class defining them in its own
 * initializer keeps every such store monomorphic. Future itself and other subclasses (yours
 * included) omit the argument and Future defines the fields.
 */
export const DEFINES_FUTURE_FIELDS: unique symbol = Symbol('rx-asyncio.definesFutureFields');

/**
 * @internal A future's states, named as asyncio names them: PENDING until it is done, then
 * FINISHED (a result or an exception) or CANCELLED. It never leaves FINISHED or CANCELLED.
 * Small integers, not strings: with string states `sleep(0)` ran at half the speed
 * (bench/ab.ts w2Yield1, B÷A 2.05 for integers over strings, 5 pairs).
 */
export const PENDING = 0;
/** @internal See {@link PENDING}. */
export const FINISHED = 1;
/** @internal See {@link PENDING}. */
export const CANCELLED = 2;
/** @internal See {@link PENDING}. */
export type FutureState = typeof PENDING | typeof FINISHED | typeof CANCELLED;

// Shared, never mutated: the iterator result for "suspend on the parked future".
const SUSPEND_RESULT: IteratorYieldResult<Suspend> = Object.freeze({ done: false, value: AWAIT });

/** GC-time report for an exception nobody retrieved (see {@link Future.setException}). */
interface UnretrievedRecord {
  loop: EventLoop;
  message: string;
  exception: unknown;
  name: string;
}

/** @internal See {@link Future._x}. */
export interface FutureExtra {
  cancelMessage: unknown;
  logTraceback: WeakRef<Future<unknown>> | null;
  description: string | undefined;
  /** A per-label record shared by many futures: copied before any other field is written. */
  shared: boolean;
}

function newExtra(description: string | undefined, shared: boolean): FutureExtra {
  return {
    cancelMessage: undefined,
    logTraceback: null,
    description,
    shared,
  };
}

// Labels repeat (every `sleep(1000)`): one shared record per label, up to a bound.
const labels = new Map<string, FutureExtra>();

function labelled(description: string | undefined): FutureExtra {
  if (description === undefined) return newExtra(undefined, false);
  let x = labels.get(description);
  if (x === undefined) {
    if (labels.size >= 1024) return newExtra(description, false);
    x = Object.freeze(newExtra(description, true));
    labels.set(description, x);
  }
  return x;
}

const unretrievedRegistry =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry<UnretrievedRecord>((r) => {
        if (r.loop.isClosed()) return; // close() reported it already
        r.loop.callExceptionHandler({ message: r.message, exception: r.exception, name: r.name });
      })
    : null;

/**
 * A value that will be available later: asyncio's `Future`. Awaitable with `yield*`, observable
 * (emits the result then completes, or errors; a late subscriber gets the stored outcome) and
 * thenable (`await future` in async functions).
 *
 * Done callbacks always run through the loop (`callSoon`), in the order they were added, even
 * when added after the future is done. A task awaiting a future resumes one loop iteration after
 * the future completes.
 *
 * An exception set on a future that nobody retrieves (with `result()`, `exception()`, `yield*`,
 * `then` or `subscribe`) is reported to the loop's exception handler when the future is garbage
 * collected or the loop closes: errors are never silently lost.
 *
 * @example
 * ```ts
 * import { getRunningLoop, run } from 'rx-asyncio';
 * run(function* () {
 *   const loop = getRunningLoop();
 *   const fut = loop.createFuture<string>();
 *   loop.callLater(100, () => fut.setResult('ready'));
 *   console.log(yield* fut); // "ready", 100 ms later
 * }());
 * ```
 */
export class Future<T>
  extends Observable<T>
  implements Awaitable<T>, Iterator<Suspend, T, unknown>, PromiseLike<T>
{
  /** @internal See displayName.ts. */
  static readonly _displayName: string = 'Future';
  // Why `declare` (no class fields here): see DEFINES_FUTURE_FIELDS. The constructor defines
  // these six, in this order, unless the subclass defines them itself.
  /** @internal */ declare _state: FutureState;
  /** @internal */ declare _result: T | undefined;
  /** @internal */ declare _exception: unknown;
  /** @internal */ declare readonly _loop: EventLoop;
  /**
   * @internal Done callbacks: null, one callback (the common case: the one task awaiting this
   * future, stored without an array, which saves ~56 B per suspended task), or an array.
   */
  declare _callbacks: StoredCallback | StoredCallback[] | null;
  /**
   * @internal Rarely-set state (cancellation details, an unretrieved error, a label) lives in one
   * record off the future, behind the accessors below. Why: every suspended task holds two
   * futures (itself and what it awaits). The accessor pairs earn their keep on bench row W3
   * "heap per sleeping task" (target ≤ 450 B): 412 B with them, 492 B with five plain fields
   * instead (`bench/ab.ts <plain-field copy> w3Heap 100000 3`, 2026-12-03).
   */
  declare _x: FutureExtra | null;

  /** @internal */
  get _cancelMessage(): unknown {
    return this._x?.cancelMessage;
  }
  /** @internal */
  set _cancelMessage(v: unknown) {
    // Why the check: writing the default must not copy a shared label record (a cancelled
    // `sleep` would allocate one per cancel).
    if (v !== undefined || (this._x !== null && this._x.cancelMessage !== undefined)) {
      this._own().cancelMessage = v;
    }
  }

  /**
   * @internal Who cancelled (set by the first cancel()), copied onto its CancelledError. Kept in
   * `_result`, which a cancelled future never uses; a task also keeps it there while a request
   * is pending (a pending task's result slot is unused: finishing overwrites it). Why not in
   * `_x`: a record per cancelled future (two per cancelled sleeping task) was the largest
   * allocation of a cancel (bench W10). Readers of `_result` test the state first.
   */
  get _cancelOrigin(): OriginRecord | undefined {
    return this._state === CANCELLED ? (this._result as OriginRecord | undefined) : undefined;
  }
  /** @internal Only on a cancelled future (or a task, see Task). */
  set _cancelOrigin(v: OriginRecord | undefined) {
    this._result = v as T | undefined;
  }

  /**
   * @internal The CancelledError that cancelled a task's coroutine, kept to re-raise once
   * (asyncio's `_cancelled_exc`): a cancelled task keeps it in `_exception`, so readers of
   * `_exception` test for CANCELLED first. Why there: see {@link _cancelOrigin}.
   */
  get _cancelledExc(): CancelledError | null {
    return this._state === CANCELLED
      ? ((this._exception as CancelledError | undefined) ?? null)
      : null;
  }

  /** @internal Set while an exception is unretrieved: the loop's weak reference to report it. */
  get _logTraceback(): WeakRef<Future<unknown>> | null {
    return this._x?.logTraceback ?? null;
  }
  /** @internal */
  set _logTraceback(v: WeakRef<Future<unknown>> | null) {
    if (v !== null || (this._x !== null && this._x.logTraceback !== null)) {
      this._own().logTraceback = v;
    }
  }

  /** @internal A label for dumps (e.g. "sleep(1000)"); labels are shared, not copied. */
  get _description(): string | undefined {
    return this._x?.description;
  }
  /** @internal */
  set _description(v: string | undefined) {
    const x = this._x;
    if (x === null || x.shared) this._x = labelled(v);
    else x.description = v;
  }

  /** The record, made private to this future first if it is a shared label record. */
  private _own(): FutureExtra {
    const x = this._x;
    if (x !== null && !x.shared) return x;
    const own = newExtra(x?.description, false);
    this._x = own;
    return own;
  }

  /** Creates a pending future on `loop` (default: the running loop). */
  constructor(loop?: EventLoop, fields?: typeof DEFINES_FUTURE_FIELDS) {
    super();
    if (fields === DEFINES_FUTURE_FIELDS) return;
    const self = this as { -readonly [K in keyof Future<T>]: Future<T>[K] };
    self._state = PENDING;
    self._result = undefined;
    self._exception = undefined;
    self._loop = loop === undefined ? getRunningLoop() : _checkLoop('new Future(loop)', loop);
    self._callbacks = null;
    self._x = null;
  }

  /** The loop this future is bound to. */
  getLoop(): EventLoop {
    return this._loop;
  }

  /** True once it has a result, an exception, or was cancelled. */
  done(): boolean {
    return this._state !== PENDING;
  }

  /** True if it was cancelled. */
  cancelled(): boolean {
    return this._state === CANCELLED;
  }

  /**
   * Returns the result, or throws the exception that was set.
   * @throws {CancelledError} if it was cancelled.
   * @throws {InvalidStateError} if it is not done yet.
   */
  result(): T {
    if (this._state === FINISHED) {
      if (this._exception !== undefined) {
        this._retrieved();
        throw this._exception;
      }
      return this._result as T;
    }
    if (this._state === CANCELLED) throw this._makeCancelledError();
    throw new InvalidStateError(
      `${this}.result(): the result is not set yet; await the future first`,
    );
  }

  /**
   * Returns the exception that was set, or null if it has a result.
   * @throws {CancelledError} if it was cancelled.
   * @throws {InvalidStateError} if it is not done yet.
   */
  exception(): unknown {
    if (this._state === FINISHED) {
      this._retrieved();
      return this._exception === undefined ? null : this._exception;
    }
    if (this._state === CANCELLED) throw this._makeCancelledError();
    throw new InvalidStateError(`${this}.exception(): the future is not done yet; await it first`);
  }

  /** Marks the future done with `value` and schedules its callbacks. */
  setResult(value: T): void {
    if (this._state !== PENDING) {
      throw new InvalidStateError(`${this}.setResult(): the future is already done`);
    }
    this._result = value;
    this._state = FINISHED;
    this._scheduleCallbacks();
  }

  /**
   * Marks the future done with an exception and schedules its callbacks.
   * @throws {TypeError} for a `CancelledError` (use `cancel()`) or `undefined`.
   */
  setException(exception: unknown): void {
    if (this._state !== PENDING) {
      throw new InvalidStateError(`${this}.setException(): the future is already done`);
    }
    if (exception === undefined) {
      throw new TypeError(
        `${this}.setException(undefined): pass an Error (undefined means "no error")`,
      );
    }
    if (exception instanceof CancelledError) {
      throw new TypeError(`${this}.setException(CancelledError): call future.cancel(msg) instead`);
    }
    this._exception = exception;
    this._state = FINISHED;
    this._trackUnretrieved();
    this._scheduleCallbacks();
  }

  /**
   * Cancels the future at once and schedules its callbacks. Returns false if it was already done;
   * then, as in asyncio, its exception counts as retrieved (the usual cleanup loop
   * `for (const t of tasks) t.cancel()` must not leave "exception was never retrieved" reports).
   * `msg` may be any value, as in asyncio: it is the `CancelledError`'s `args[0]`, and its string
   * form is the error's message; `null` means no message (Python's `None`).
   */
  cancel(msg?: unknown): boolean {
    if (this._state !== PENDING) {
      this._retrieved();
      return false;
    }
    // Read before the state changes: a task's pending request (see Task), else undefined.
    const origin = this._cancelOrigin;
    this._state = CANCELLED;
    this._cancelMessage = msg ?? undefined;
    this._cancelOrigin = origin ?? _cancelOrigin(this._loop, cancelText(msg));
    this._scheduleCallbacks();
    return true;
  }

  /**
   * @internal A future whose `cancel()` cancels other futures (a gather's children) lists them
   * here while pending, so `Task.cancel` walks nested chains without recursion (see
   * `_cancelTree`). Null for a plain future.
   */
  _cancelTargets(): readonly Future<unknown>[] | null {
    return null;
  }

  /** @internal Told after a cancel walk went through `_cancelTargets()`: `any` if one was cancelled. */
  _targetsCancelled(_any: boolean): void {}

  /** Adds a callback to run (through the loop) with this future once it is done. */
  addDoneCallback(fn: DoneCallback<T>): void {
    if (typeof fn !== 'function') {
      throw new TypeError(`addDoneCallback(fn): expected a function, got ${describe(fn)}`);
    }
    this._addCallback(fn);
  }

  /** Removes every registration of `fn`; returns how many were removed. */
  removeDoneCallback(fn: DoneCallback<T>): number {
    const cbs = this._callbackList();
    const kept = cbs.filter((c) => c !== fn);
    const removed = cbs.length - kept.length;
    if (removed > 0)
      this._callbacks = kept.length === 0 ? null : kept.length === 1 ? kept[0]! : kept;
    return removed;
  }

  /** @internal The done callbacks as an array (a copy when there is only one). */
  _callbackList(): StoredCallback[] {
    const cbs = this._callbacks;
    return cbs === null ? [] : Array.isArray(cbs) ? cbs : [cbs];
  }

  /** @internal Adds a function or a kernel waiter; a done future schedules it at once. */
  _addCallback(cb: DoneCallback<T> | Waiter): void {
    if (this._state !== PENDING) {
      this._scheduleOne(cb);
    } else {
      const cbs = this._callbacks;
      if (cbs === null) this._callbacks = cb as StoredCallback;
      else if (Array.isArray(cbs)) cbs.push(cb as StoredCallback);
      else this._callbacks = [cbs, cb as StoredCallback];
    }
  }

  /** @internal Removes a kernel waiter (a `DoneCallbackQueue` that stopped watching). */
  _removeWaiter(w: Waiter): void {
    const cbs = this._callbacks;
    if (cbs === w) {
      this._callbacks = null;
    } else if (Array.isArray(cbs)) {
      const i = cbs.indexOf(w);
      if (i >= 0) cbs.splice(i, 1);
    }
  }

  // --- Awaitable: the future is its own iterator, so `yield* future` allocates no generator.

  /** @internal A future, not a coroutine, though it has next/throw/return (see FUTURE_MARK). */
  get [FUTURE_MARK](): true {
    return true;
  }

  [Symbol.iterator](): Future<T> {
    return this;
  }

  /** @internal Iterator protocol for `yield*`; not for direct use. */
  next(arg?: unknown): IteratorResult<Suspend, T> {
    if (arg === FIRST) return REUSED_RESULT;
    if (this._state === PENDING) {
      parkFuture(this);
      return SUSPEND_RESULT;
    }
    return { done: true, value: this.result() };
  }

  /** @internal Iterator protocol: the driver throws into a suspended `yield*` through here. */
  throw(e: unknown): IteratorResult<Suspend, T> {
    throw e;
  }

  /** @internal Iterator protocol. */
  return(value: T): IteratorResult<Suspend, T> {
    return { done: true, value: value as T };
  }

  // --- PromiseLike and Observable.

  /** `await future` from async code. The promise settles after the loop runs the callbacks. */
  // biome-ignore lint/suspicious/noThenProperty: a Future is deliberately thenable.
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): PromiseLike<R1 | R2> {
    return _promiseOf(this).then(onfulfilled, onrejected);
  }

  /** @internal Observable: emit the stored outcome, now if done, else when done. */
  protected _subscribe(subscriber: Subscriber<T>): TeardownLogic {
    if (this._state !== PENDING) {
      this._deliver(subscriber);
      return undefined;
    }
    const cb = (): void => this._deliver(subscriber);
    this._addCallback(cb);
    return () => {
      this.removeDoneCallback(cb);
    };
  }

  private _deliver(subscriber: Subscriber<T>): void {
    if (this._state === CANCELLED) {
      subscriber.error(this._makeCancelledError());
    } else if (this._exception !== undefined) {
      this._retrieved();
      subscriber.error(this._exception);
    } else {
      subscriber.next(this._result as T);
      subscriber.complete();
    }
  }

  override toString(): string {
    const name = this._description ?? displayName(this);
    return `<${name} ${this._stateText()}>`;
  }

  /** @internal */
  _stateText(): string {
    if (this._state === PENDING) return 'pending';
    if (this._state === CANCELLED) return 'cancelled';
    if (this._exception !== undefined) return `exception=${describeError(this._exception)}`;
    return `result=${describe(this._result)}`;
  }

  /** @internal Builds the CancelledError to raise for a cancelled future (asyncio 3.13 rules). */
  _makeCancelledError(): CancelledError {
    const kept = this._cancelledExc;
    if (kept !== null) {
      this._exception = undefined;
      return kept;
    }
    const msg = this._cancelMessage;
    const e = new CancelledError(msg);
    if (msg === undefined) _deferOrigin(e, this._cancelOrigin);
    else e.origin = _originOf(this._cancelOrigin, cancelText(msg));
    return e;
  }

  /** @internal */
  _scheduleCallbacks(): void {
    const cbs = this._callbacks;
    if (cbs === null) return;
    this._callbacks = null;
    if (!Array.isArray(cbs)) this._scheduleOne(cbs);
    else for (let i = 0; i < cbs.length; i++) this._scheduleOne(cbs[i] as StoredCallback);
  }

  private _scheduleOne(cb: DoneCallback<T> | StoredCallback): void {
    if (typeof cb === 'function') this._loop._callSoon(cb, 1, this);
    else cb._wakeup(this as Future<unknown>);
  }

  /** @internal The exception was looked at: do not report it. */
  _retrieved(): void {
    const ref = this._logTraceback;
    if (ref !== null) {
      this._logTraceback = null;
      unretrievedRegistry?.unregister(this);
      this._loop._unretrieved.delete(ref);
    }
  }

  private _trackUnretrieved(): void {
    const loop = this._loop;
    const message = `${this._kind()} exception was never retrieved`;
    unretrievedRegistry?.register(
      this,
      { loop, message, exception: this._exception, name: describe(this) },
      this,
    );
    const ref = new WeakRef<Future<unknown>>(this);
    this._logTraceback = ref;
    loop._unretrieved.add(ref);
  }

  /** @internal "Future" or "Task", for messages. */
  _kind(): string {
    return 'Future';
  }
}

/** @internal The text of a cancel message of any type, for dumps and cancel origins. */
export function cancelText(msg: unknown): string | undefined {
  return msg === undefined || msg === null || typeof msg === 'string'
    ? (msg ?? undefined)
    : describe(msg);
}

/**
 * @internal A Promise that settles with the future's outcome, after the loop ran its done
 * callbacks: the Promise view of `then` and `futureToPromise`.
 *
 * Why Promises here, in the kernel: a Future is thenable, so `then` must return a PromiseLike,
 * and the kernel cannot reach up to src/interop for it. The loop never schedules through these:
 * one is made only when user code calls `then` (`await future` in an async function), and it is
 * settled from a done callback, which runs through the loop like any other.
 */
// biome-ignore-start lint/style/noRestrictedGlobals: the Promise view of a Future, see above.
export function _promiseOf<T>(future: Future<T>): Promise<T> {
  if (future.done()) {
    try {
      return Promise.resolve(future.result());
    } catch (e) {
      return Promise.reject(e);
    }
  }
  return new Promise<T>((resolve, reject) => {
    future.addDoneCallback((f) => {
      try {
        resolve(f.result());
      } catch (e) {
        reject(e);
      }
    });
  });
}
// biome-ignore-end lint/style/noRestrictedGlobals: the Promise view of a Future, see above.

/** @internal Reports every exception of `loop` that nobody retrieved (called by close()). */
export function reportUnretrieved(loop: EventLoop): void {
  for (const ref of [...loop._unretrieved]) {
    const fut = ref.deref();
    if (fut === undefined || fut._logTraceback === null) continue;
    fut._retrieved();
    const kind = fut._kind();
    loop.callExceptionHandler({
      message: `${kind} exception was never retrieved`,
      exception: fut._exception,
      [kind === 'Task' ? 'task' : 'future']: fut,
    });
  }
  loop._unretrieved.clear();
}

function describeError(e: unknown): string {
  return e instanceof Error ? `${e.name}(${JSON.stringify(e.message)})` : describe(e);
}
