/**
 * Task: a Future that drives a coroutine. `Task._step` is the one place in rx-asyncio that resumes
 * generators.
 *
 * Invariant (asyncio's): a pending task is in exactly one of two situations. Either it waits on
 * one future (`_futWaiter`, with the task registered as that future's waiter), or one call of its
 * step is scheduled on the loop. Every transition keeps it so: the step clears `_futWaiter`
 * before resuming the coroutine, and afterwards either registers on a new future, schedules
 * itself again, or finishes the task.
 */

import { CancelledError, InvalidStateError, RuntimeError } from '../errors.js';
import {
  AWAIT,
  type Awaitable,
  CALL,
  type Coroutine,
  describe,
  FIRST,
  RESUME,
  REUSED,
  takeParked,
  YIELD,
} from './Awaitable.js';
import {
  _contextForTask,
  _enterContext,
  _enterTaskContext,
  _givenContext,
  _hostBridged,
  _isLazyContext,
  _materializeFor,
  _restoreContext,
  Context,
} from './Context.js';
import type { CallFrame } from './call.js';
import { _cancelOrigin, type OriginRecord } from './cancelOrigin.js';
import {
  badYield,
  GeneratorPrototype,
  isPlainGenerator,
  reusedCoroutine,
  toCoroutine,
} from './coroutineChecks.js';
import type { EventLoop, StepObserver } from './EventLoop.js';
import {
  CANCELLED,
  cancelText,
  DEFINES_FUTURE_FIELDS,
  FINISHED,
  Future,
  type FutureExtra,
  type FutureState,
  PENDING,
  type StoredCallback,
  type Waiter,
} from './Future.js';
import type { ReadyEntry } from './Handle.js';
import { _checkLoop, getRunningLoop } from './runningLoop.js';

/** Options of {@link createTask}. */
export interface TaskOptions {
  /**
   * A name for dumps and errors (`getName()`); default `Task-<n>`. Any value is turned into a
   * string (`String(name)`), as asyncio uses `str(name)`; `null` means the default.
   */
  name?: unknown;
  /** The loop to run on; default the running loop. */
  loop?: EventLoop;
  /**
   * The context the task runs every step in (asyncio 3.11's `context=`); default a copy of the
   * current context. Given, it is used as is (not copied): values the task sets land in it.
   */
  context?: Context;
  /**
   * Start eagerly (asyncio 3.14's `eager_start=`): when the loop is running, the coroutine runs
   * at once, inside `createTask`, up to its first real suspension; a coroutine that finishes
   * without suspending gives a task that is already done and was never scheduled. When the loop
   * is not running the task starts lazily, as usual. Default: the loop's task factory decides
   * (`eagerTaskFactory` starts eagerly), else false.
   */
  eagerStart?: boolean;
}

let taskCounter = 0;

// Why: a fresh generator closure per task gives each coroutine object its own hidden class, so
// `coro.next` is a megamorphic property load (~0.5 µs, more than the rest of a step). For native
// generators, call %GeneratorPrototype%'s methods directly; anything else goes through its own.
const genNext = GeneratorPrototype.next;
// Why: a task registers on a future through its public `addDoneCallback` only when a subclass
// overrides it (one comparison per await); otherwise as an allocation-free kernel waiter.
const futureAddDoneCallback = Future.prototype.addDoneCallback;
const genThrow = GeneratorPrototype.throw;

// Why a side table: only debug mode records creation sites, so tasks carry no slot for them.
const creationSites = new WeakMap<Task<unknown>, string>();
// Why a side table: few tasks ever enter `call()`; those carry the IN_CALLS bit.
const callFrames = new WeakMap<Task<unknown>, CallFrame<unknown>[]>();

// Task._bits: four flags, then the count of cancellation requests.
/** A plain native generator: stepped through %GeneratorPrototype% directly. */
const FAST = 1;
const MUST_CANCEL = 2;
const IN_CALLS = 4;
/** The first step has run (later steps resume with RESUME, the first sends FIRST). */
const STARTED = 8;
const FLAG_MASK = 15;
const COUNT_SHIFT = 4;

/**
 * One step of `task`, resumed with `exc` (or nothing): every step goes through here. With the
 * host bridge installed (AsyncLocalStorage), the step runs inside the host context captured with
 * the task's context; without it the cost is one check.
 */
function stepTask(task: Task<unknown>, exc: unknown): void {
  if (task._loop._observer === null && !_hostBridged()) task._step(exc);
  else stepSlowly(task, exc);
}

/** A step with the testing kit's observer, or inside the host context (AsyncLocalStorage). */
function stepSlowly(task: Task<unknown>, exc: unknown): void {
  const outer = _hostBridged() ? task._context._outer : undefined;
  if (outer !== undefined) outer(stepObserved, task, exc);
  else stepObserved(task, exc);
}

function stepObserved(task: Task<unknown>, exc: unknown): void {
  if (task._loop._observer !== null) observedStep(task, exc);
  else task._step(exc);
}

/**
 * Runs a coroutine on the loop: asyncio's `Task`. Create one with {@link createTask}. It starts
 * lazily: its first step runs in a later loop iteration, after its creator yields, in creation
 * order. Awaiting it (`yield*`) gives its result or throws its error; it is also an RxJS
 * `Observable` (emits the result then completes, without ever restarting it) and a `PromiseLike`.
 *
 * Cancellation follows asyncio 3.13: `cancel(msg)` cancels what the task awaits (delegation), or
 * throws a `CancelledError` into the coroutine at its next suspension point; `finally` blocks
 * run and may themselves `yield*`. Requests are counted (`cancelling()`), `uncancel()` takes one
 * back. A task cancelled before its first step never runs its body.
 *
 * @example
 * ```ts
 * import { createTask, run, sleep } from 'rx-asyncio';
 * function* child() {
 *   yield* sleep(100);
 *   return 42;
 * }
 * run(function* () {
 *   const task = createTask(child(), { name: 'child' });
 *   console.log(yield* task); // 42
 * }());
 * ```
 */
export class Task<T> extends Future<T> implements Waiter, ReadyEntry {
  /** @internal See displayName.ts. */
  static override readonly _displayName: string = 'Task';
  // Future's fields, defined here and not by Future (see DEFINES_FUTURE_FIELDS).
  /** @internal */ override _state: FutureState = PENDING;
  /** @internal */ override _result: T | undefined = undefined;
  /** @internal */ override _exception: unknown = undefined;
  /** @internal */ override readonly _loop: EventLoop;
  /** @internal */ override _callbacks: StoredCallback | StoredCallback[] | null = null;
  /** @internal */ override _x: FutureExtra | null = null;
  /** @internal Null once the task finished eagerly (as CPython drops `_coro`). */
  _coro: Coroutine<T> | null;
  /** @internal The given name, or the task's number when it has none (one slot for both). */
  _name: string | number;
  /** @internal */ _futWaiter: Future<unknown> | null = null;
  /** @internal Links in the loop's pending-task set (see LinkedSet). */
  _prevLinked: Task<unknown> | null = null;
  /** @internal */ _nextLinked: Task<unknown> | null = null;
  /**
   * @internal Flags and the cancel count in one small integer (see the accessors below). Why:
   * every field costs each live task 8 bytes and the garbage collector a copy; folding three
   * fields into this one (and the rare `call()` frames into a side table) took a sleeping task
   * from 428 to 405 bytes (bench/ab.ts w3Heap).
   */
  _bits = 0;
  /**
   * @internal The context every step runs in. A task created while the current context was empty
   * holds the shared placeholder `LAZY` until it sets a variable (see Context.ts): no allocation
   * per task in programs that use no context variables.
   */
  _context: Context;

  /** @internal A cancellation to deliver at the next step. */
  get _mustCancel(): boolean {
    return (this._bits & MUST_CANCEL) !== 0;
  }
  set _mustCancel(v: boolean) {
    this._bits = v ? this._bits | MUST_CANCEL : this._bits & ~MUST_CANCEL;
  }

  /** @internal Cancellation requests not taken back (`cancelling()`). */
  get _numCancelsRequested(): number {
    return this._bits >>> COUNT_SHIFT;
  }
  set _numCancelsRequested(n: number) {
    this._bits = (this._bits & FLAG_MASK) | (n << COUNT_SHIFT);
  }

  /**
   * @internal A task's cancel origin is recorded at the request, while it is still pending (see
   * Future's): it lives in `_result` until the task finishes (a result overwrites it).
   */
  override get _cancelOrigin(): OriginRecord | undefined {
    return this._state === FINISHED ? undefined : (this._result as OriginRecord | undefined);
  }
  override set _cancelOrigin(v: OriginRecord | undefined) {
    this._result = v as T | undefined;
  }

  /** @internal The `call()` frames this task is inside, innermost last (made on first use). */
  get _frames(): CallFrame<unknown>[] {
    let frames = callFrames.get(this as Task<unknown>);
    if (frames === undefined) {
      frames = [];
      callFrames.set(this as Task<unknown>, frames);
      this._bits |= IN_CALLS;
    }
    return frames;
  }

  /** @internal Where the task was created (debug mode only). */
  get _createdAt(): string | undefined {
    return creationSites.get(this as Task<unknown>);
  }

  constructor(coroOrAwaitable: Coroutine<T> | Awaitable<T>, options?: TaskOptions) {
    const fast = isPlainGenerator(coroOrAwaitable);
    const coro = fast
      ? (coroOrAwaitable as Coroutine<T>)
      : toCoroutine('createTask', coroOrAwaitable);
    const given = options?.loop;
    const loop =
      given === undefined ? getRunningLoop() : _checkLoop('createTask(coro, { loop })', given);
    loop._checkOpen('createTask');
    super(loop, DEFINES_FUTURE_FIELDS);
    this._loop = loop;
    this._coro = coro;
    const name = options?.name;
    // asyncio uses str(name): any value names the task; null/undefined mean the default name.
    this._name = name === undefined || name === null ? ++taskCounter : String(name);
    const context = options?.context;
    if (context !== undefined && !(context instanceof Context)) {
      throw new TypeError(
        `createTask(coro, { context }): context must be a Context (copyContext()), got ${describe(context)}`,
      );
    }
    this._context = context === undefined ? _contextForTask() : _givenContext(context);
    if (fast) this._bits = FAST;
    if (loop.getDebug()) {
      const stack = new Error('created here').stack;
      if (stack !== undefined) creationSites.set(this as Task<unknown>, stack);
    }
    loop._pendingTasks.add(this as Task<unknown>);
    if (options?.eagerStart === true && loop.isRunning()) this._eagerStart();
    else loop._pushReady(this);
  }

  /**
   * @internal asyncio's `__eager_start`: the first step runs now, inside the creator's step (or
   * callback), with this task as the current task; the creator's current task comes back after.
   * A step's own error handling applies (the coroutine's errors finish the task). Why not through
   * the ready queue: the point is to skip the loop round trip, and a task that finishes here is
   * done before `createTask` returns and was never scheduled.
   */
  private _eagerStart(): void {
    const loop = this._loop;
    const creator = loop._currentTask;
    // Inside the creator's step (or callback): its context is current again after this step.
    const creatorContext = _enterContext(this._context);
    try {
      stepTask(this as Task<unknown>, undefined);
    } finally {
      _restoreContext(creatorContext);
      loop._currentTask = creator;
      // As CPython's __eager_start: a task that finished eagerly lets go of its coroutine
      // (`getCoro()` is then null, asyncio 3.12+ `get_coro()` None).
      if (this._state !== 0) this._coro = null;
    }
  }

  // --- The task is its own entry in the loop's ready queue. Why: a step handle per step (the
  // first one, every wake-up, every `sleep(0)`) was ~80 B of garbage each, and the most common
  // allocation in a busy loop. The invariant above (at most one step pending) is what makes one
  // entry per task enough. The entry has a Handle's internal surface, as a sleep's future does.

  /** @internal Ready-entry view: a task's step is never cancelled (cancel() goes in through it). */
  get _cancelled(): boolean {
    return false;
  }
  /** @internal Ready-entry view, for dumps and the testing kit's labels. */
  get _fn(): (task: Task<unknown>) => void {
    return runStep;
  }
  /** @internal Ready-entry view: the task this entry steps. */
  get _a(): this {
    return this;
  }
  /** @internal Ready-entry view: the future whose outcome the step delivers, if any. */
  get _b(): Future<unknown> | null {
    return this._futWaiter;
  }

  /**
   * @internal Called by the loop: one step. A task that waits on a future (`_futWaiter`) is
   * scheduled only once that future is done, so the step delivers its outcome; otherwise it is
   * a first step or a `sleep(0)`, resumed with nothing.
   */
  _run(): void {
    try {
      runStep(this as Task<unknown>);
    } catch (exception) {
      // _step handles every error of the coroutine; only an internal failure gets here.
      this._loop.callExceptionHandler({
        message: `Exception in a step of ${this}`,
        exception,
        task: this,
      });
    }
  }

  /** The task's name (`Task-<n>` unless one was given). */
  getName(): string {
    const n = this._name;
    return typeof n === 'number' ? `Task-${n}` : n;
  }

  /** Renames the task; any value is turned into a string, as asyncio's `str(name)`. */
  setName(name: unknown): void {
    this._name = String(name);
  }

  /**
   * The coroutine object this task drives; null for a task that finished eagerly, inside
   * `createTask` (as asyncio 3.12+: such a task lets go of its coroutine at once).
   */
  getCoro(): Coroutine<T> | null {
    return this._coro;
  }

  /**
   * The {@link Context} this task runs its steps in (asyncio 3.12's `get_context()`): a copy of
   * its creator's context, or the one given to `createTask(coro, { context })`.
   */
  getContext(): Context {
    const ctx = this._context;
    return _isLazyContext(ctx) ? _materializeFor(this) : ctx;
  }

  /**
   * Requests cancellation; returns false if the task is already done (and then, as in asyncio,
   * its exception counts as retrieved). What the task awaits is cancelled in turn; otherwise a
   * `CancelledError` is thrown into the coroutine when it next runs. Repeated requests before
   * delivery give one error, but each is counted. `msg` may be any value (the error's `args[0]`;
   * its string form is the message).
   */
  override cancel(msg?: unknown): boolean {
    if (this._state !== PENDING) {
      this._retrieved(); // as asyncio: cancelling a finished task marks its exception retrieved
      return false;
    }
    if (msg === null) msg = undefined; // Python's None: no message
    return _cancelTree(this as Task<unknown>, msg);
  }

  /** How many cancellation requests are pending (not taken back with `uncancel()`). */
  cancelling(): number {
    return this._numCancelsRequested;
  }

  /**
   * Takes back one cancellation request; returns the remaining count. At zero, a cancellation
   * that was not delivered yet is dropped. Used by `timeout()` and `TaskGroup` to tell their own
   * cancellations apart.
   */
  uncancel(): number {
    if (this._numCancelsRequested > 0) {
      this._numCancelsRequested--;
      if (this._numCancelsRequested === 0) this._mustCancel = false;
    }
    return this._numCancelsRequested;
  }

  /** @throws {RuntimeError} always: a task's result comes from its coroutine. */
  override setResult(_value: T): never {
    throw new RuntimeError(
      'Task does not support setResult(): its result is what its coroutine returns',
    );
  }

  /** @throws {RuntimeError} always: a task's exception comes from its coroutine. */
  override setException(_exception: unknown): never {
    throw new RuntimeError(
      'Task does not support setException(): throw from its coroutine instead',
    );
  }

  /** @internal Resumes the coroutine once: with a value, or by throwing `exc` into it. */
  _step(exc: unknown): void {
    if (this._state !== PENDING) {
      throw new InvalidStateError(
        `${this}: _step() on a task that is already done (rx-asyncio bug)`,
      );
    }
    // The flags read once (not through the accessors): this is the hottest path of the loop.
    const bits = this._bits;
    if ((bits & MUST_CANCEL) !== 0) {
      if (!(exc instanceof CancelledError)) exc = this._makeCancelledError();
      this._bits = bits & ~MUST_CANCEL;
    }
    this._futWaiter = null;
    const loop = this._loop;
    loop._currentTask = this as Task<unknown>;
    _enterTaskContext(this._context); // left current after the step (see Context.ts)
    let r: IteratorResult<unknown, T>;
    try {
      if ((bits & IN_CALLS) !== 0 && this._frames.length > 0) {
        r = this._runFrames(null, exc);
      } else {
        // Non-null: only a task that is done has dropped its coroutine.
        const coro = this._coro as Coroutine<T>;
        // FIRST on the first step: an awaitable that receives it answers REUSED (Awaitable.ts).
        let arg: unknown = RESUME;
        if ((bits & STARTED) === 0) {
          arg = FIRST;
          this._bits |= STARTED;
        }
        if ((bits & FAST) !== 0) {
          r = exc === undefined ? genNext.call(coro, arg) : genThrow.call(coro, exc);
        } else {
          r = exc === undefined ? coro.next(arg) : coro.throw(exc);
        }
        if (r.value === CALL && r.done !== true) r = this._runFrames(r, undefined);
      }
    } catch (e) {
      loop._currentTask = null;
      takeParked();
      if (e instanceof CancelledError) {
        this._finishCancelled(undefined);
        this._exception = e; // kept to re-raise (see Future's _cancelledExc)
      } else {
        this._finishWith(undefined, e instanceof RangeError ? hintStackOverflow(e) : e);
      }
      return;
    }
    loop._currentTask = null;
    if (r.done === true) {
      if (this._mustCancel) {
        // Cancelled right before the coroutine returned: it still ends cancelled.
        this._mustCancel = false;
        this._finishCancelled(this._cancelMessage);
      } else {
        this._finishWith(r.value, undefined);
      }
      return;
    }
    const y = r.value;
    if (y === AWAIT) {
      const fut = takeParked() as Future<unknown> | null;
      if (fut === null || fut._loop !== loop || fut === this) {
        throwInSoon(this as Task<unknown>, refusedAwait(this as Task<unknown>, fut));
        return;
      }
      // A Future subclass that overrides addDoneCallback is registered through it, as asyncio's
      // Task calls `fut.add_done_callback` (test_step_result_future); rx-asyncio's own futures
      // take the allocation-free waiter path. Both wake the task one iteration after `fut`.
      if (fut.addDoneCallback === futureAddDoneCallback) fut._addCallback(this as Waiter);
      else fut.addDoneCallback(wakeThrough(this as Task<unknown>, fut));
      this._futWaiter = fut;
      if (this._mustCancel && fut.cancel(this._cancelMessage)) {
        this._mustCancel = false;
        fut._cancelOrigin = this._cancelOrigin; // the request came from whoever cancelled us
      }
    } else if (y === YIELD) {
      loop._pushReady(this);
    } else if (y === REUSED) {
      // Left as it was for whoever drives it: this task only fails.
      this._finishWith(undefined, reusedCoroutine(this._coro));
    } else {
      throwInSoon(this as Task<unknown>, badYield(this, y));
    }
  }

  /**
   * @internal Runs `call()` frames iteratively until the innermost suspends or the outermost
   * coroutine ends (its outcome is returned or thrown, as from a plain step). Why a loop: each
   * frame is resumed from here, at stack depth one, so recursion through `call()` never grows the
   * native stack. `first` is a CALL just yielded by the current coroutine; otherwise the innermost
   * frame is resumed with `exc` (or RESUME).
   */
  private _runFrames(
    first: IteratorResult<unknown, T> | null,
    exc: unknown,
  ): IteratorResult<unknown, T> {
    const frames = this._frames;
    let r = first as IteratorResult<unknown, unknown> | null;
    let throwing = exc !== undefined; // resume the current frame by throwing `err` into it
    let err = exc;
    let value: unknown = RESUME;
    for (;;) {
      if (r === null) {
        const coro =
          frames.length > 0
            ? (frames[frames.length - 1] as CallFrame<unknown>).coro
            : (this._coro as Coroutine<T>);
        try {
          r = throwing ? coro.throw(err) : coro.next(value);
          throwing = false;
        } catch (e) {
          if (frames.length === 0) throw e;
          frames.pop(); // the child failed: throw into its parent at its `yield* call(...)`
          throwing = true;
          err = e;
          continue;
        }
      }
      if (r.done === true) {
        if (frames.length === 0) return r as IteratorResult<unknown, T>;
        (frames.pop() as CallFrame<unknown>)._result = r.value;
        value = RESUME;
        r = null;
      } else if (r.value === CALL) {
        frames.push(takeParked() as unknown as CallFrame<unknown>);
        value = undefined;
        r = null;
      } else {
        return r as IteratorResult<unknown, T>;
      }
    }
  }

  /** @internal Done callback of the awaited future: schedules the step that delivers it. */
  _wakeup(_fut: Future<unknown>): void {
    this._loop._pushDone(this);
  }

  private _finishWith(value: T | undefined, exception: unknown): void {
    this._loop._pendingTasks.delete(this as Task<unknown>);
    if (exception === undefined) {
      Future.prototype.setResult.call(this, value as T);
    } else {
      this._result = undefined; // a cancel origin of a request it swallowed (see _cancelOrigin)
      Future.prototype.setException.call(this, exception);
    }
  }

  private _finishCancelled(msg: unknown): void {
    this._loop._pendingTasks.delete(this as Task<unknown>);
    Future.prototype.cancel.call(this, msg);
  }

  override toString(): string {
    let s = `<Task ${this._stateText()} name=${JSON.stringify(this.getName())}`;
    if (this._state === PENDING) {
      if (this._futWaiter !== null) s += ` waiting on ${describe(this._futWaiter)}`;
      if (this._numCancelsRequested > 0) s += ` cancelling=${this._numCancelsRequested}`;
    }
    return `${s}>`;
  }

  /** @internal */
  override _kind(): string {
    return 'Task';
  }
}

/** The done callback a task gives a Future subclass that overrides `addDoneCallback`. */
function wakeThrough(task: Task<unknown>, fut: Future<unknown>): () => void {
  return () => {
    // The task may have stopped waiting on `fut` (it only waits on one future at a time).
    if (task._state === PENDING && task._futWaiter === fut) runStep(task);
  };
}

/**
 * A misuse found after a step (a bad yield, an await the task cannot make): the error is thrown
 * into the coroutine at its next step, one iteration later, where it can catch it.
 */
function throwInSoon(task: Task<unknown>, error: RuntimeError): void {
  task._loop._callSoon(stepTask, 2, task, error);
}

/** Why a task cannot wait on the future it parked: none, another loop's, or itself. */
function refusedAwait(task: Task<unknown>, fut: Future<unknown> | null): RuntimeError {
  if (fut === null) return new RuntimeError(`${task} yielded a bare await token`);
  if (fut === task) return new RuntimeError(`Task cannot await on itself: ${task}`);
  return new RuntimeError(
    `${task} awaited ${describe(fut)}, which is attached to a different event loop: ` +
      'futures and tasks belong to the loop that created them',
  );
}

/** One step of `task`: resumes it with the outcome of the future it waited on, if any. */
function runStep(task: Task<unknown>): void {
  const fut = task._futWaiter;
  let exc: unknown;
  if (fut !== null) {
    if (fut._state === CANCELLED) {
      exc = fut._makeCancelledError();
    } else if (fut._exception !== undefined) {
      fut._retrieved();
      exc = fut._exception;
    }
  }
  // The check of stepTask, repeated here: this is the hottest call of the loop, and one more
  // function between the ready queue and `_step` cost ~10% of `sleep(0)` throughput.
  if (task._loop._observer === null && !_hostBridged()) task._step(exc);
  else stepSlowly(task, exc);
}

/**
 * A step told to the loop's observer (the testing kit's recorder). Checked in `stepObserved`
 * rather than inside `_step`, so the step itself is untouched; with no observer the cost is one
 * null check per step (no measurable change in `sleep(0)` throughput).
 */
function observedStep(task: Task<unknown>, exc: unknown): void {
  const observer = task._loop._observer as StepObserver;
  observer.stepStart(task, exc);
  try {
    task._step(exc);
  } finally {
    observer.stepEnd(task);
  }
}

/** A frame of {@link _cancelTree}'s explicit stack. */
interface CancelFrame {
  future: Future<unknown>;
  /** The futures a composite cancels (a gather's children); null for a task frame. */
  targets: readonly Future<unknown>[] | null;
  next: number;
  any: boolean;
}

function isPlainTask(f: Future<unknown>): f is Task<unknown> {
  return f instanceof Task && f.cancel === Task.prototype.cancel;
}

/**
 * @internal Cancels `root` as recursive delegation would (a task cancels what it awaits, a gather
 * its children), but walks the tree with an explicit stack. Why: a chain of tasks awaiting tasks,
 * or of gathers of gathers, thousands deep must not overflow the native stack; an overflow in
 * mid-walk lost the cancellation (issue 14, item 3). Returns what `root.cancel(msg)` returns.
 * Each pending task is cancelled exactly as before: its count goes up, and if what it awaits
 * could not be cancelled, the cancellation is delivered at its next step.
 */
export function _cancelTree(root: Future<unknown>, msg: unknown): boolean {
  if (msg === null) msg = undefined; // Python's None: no message
  const stack: CancelFrame[] = [];
  let next: Future<unknown> | null = root;
  let result = false;
  for (;;) {
    if (next !== null) {
      const f: Future<unknown> = next;
      next = null;
      // The root is cancelled as what it is (a subclass's cancel() may call super.cancel()).
      if (f === root ? f instanceof Task : isPlainTask(f)) {
        const t = f as Task<unknown>;
        if (t._state !== PENDING) {
          t._retrieved(); // as `t.cancel()` would: a finished task's exception counts as retrieved
          result = false;
        } else {
          t._numCancelsRequested++;
          t._cancelOrigin = _cancelOrigin(t._loop, cancelText(msg));
          // Leave _futWaiter set: if it is a task that swallows the cancellation, we may cancel it again.
          const waiter = t._futWaiter;
          if (waiter !== null) {
            stack.push({ future: t, targets: null, next: 0, any: false });
            next = waiter;
            continue;
          }
          t._mustCancel = true;
          t._cancelMessage = msg;
          result = true;
        }
      } else {
        const targets = f._state === PENDING ? f._cancelTargets() : null;
        if (targets === null) {
          // A root with no targets is a done composite (its cancel() called us): false.
          result = f === root ? false : f.cancel(msg);
        } else {
          stack.push({ future: f, targets, next: 0, any: false });
        }
      }
    }
    const top = stack[stack.length - 1];
    if (top === undefined) return result;
    const targets = top.targets;
    if (targets === null) {
      // A task frame: `result` says whether what it awaits took the cancellation.
      const task = top.future as Task<unknown>;
      if (!result) {
        task._mustCancel = true;
        task._cancelMessage = msg;
      }
      stack.pop();
      result = true;
    } else {
      if (top.next > 0 && result) top.any = true;
      if (top.next < targets.length) {
        next = targets[top.next++] as Future<unknown>;
      } else {
        stack.pop();
        top.future._targetsCancelled(top.any);
        result = top.any;
      }
    }
  }
}

const CALL_HINT =
  ' (rx-asyncio: a chain of `yield*` thousands of coroutines deep overflows the JavaScript ' +
  'stack; await deep recursion with `yield* call(child())`, whose depth is bounded by memory)';

/** V8's stack overflow, with the advice to use `call()` added once (issue 14, item 13). */
function hintStackOverflow(e: RangeError): RangeError {
  if (e.message.includes('call stack') && !e.message.includes('rx-asyncio:')) {
    try {
      e.message += CALL_HINT;
    } catch {
      // A frozen error keeps its message.
    }
  }
  return e;
}
