import { asyncScheduler, type SchedulerLike, type Subscription } from 'rxjs';
import { _captureStacks, RuntimeError, SpinError } from '../errors.js';
import { LinkedSet } from '../internal/LinkedSet.js';
import { RingQueue } from '../internal/RingQueue.js';
import { TimerQueue } from '../internal/TimerQueue.js';
import { type Awaitable, type Coroutine, describe } from './Awaitable.js';
import { _beginBatch, _endBatch, Context, copyContext } from './Context.js';
import { creationSite } from './creationSite.js';
import type {
  EventLoopOptions,
  ExceptionContext,
  ExceptionHandler,
  StepObserver,
  TieBreak,
} from './EventLoopOptions.js';
import type { Executor, WithTransfers } from './Executor.js';
import { Future, reportUnretrieved } from './Future.js';
import { formatExceptionContext } from './formatExceptionContext.js';
import { type Callback, Handle, type ReadyEntry, type TimerEntry, TimerHandle } from './Handle.js';
import {
  type CallOptions,
  checkCallback,
  checkDelay,
  checkPositive,
  defaultBudget,
  defaultWake,
  defaultYield,
  takeCallContext,
} from './loopArguments.js';
import { _getRunningLoopOrNull, _setRunningLoop } from './runningLoop.js';
import { _slowStepMonitor, type StepMonitor } from './slowSteps.js';
import { Task, type TaskOptions } from './Task.js';

export type {
  EventLoopOptions,
  ExceptionContext,
  ExceptionHandler,
  StepObserver,
  TieBreak,
} from './EventLoopOptions.js';
export type { CallOptions } from './loopArguments.js';

/**
 * Makes the tasks of `loop.createTask` and `createTask` (asyncio's task factory): called with the
 * loop, the coroutine and the options given to `createTask`; must return a {@link Task} of that
 * loop. See `loop.setTaskFactory` and `eagerTaskFactory`.
 */
export type TaskFactory = <T>(
  loop: EventLoop,
  coro: Coroutine<T> | Awaitable<T>,
  options: Omit<TaskOptions, 'loop'>,
) => Task<T>;

/**
 * @internal What the offload layer installs so that `loop.runInExecutor` and
 * `loop.setDefaultExecutor` work: turning a function into a {@link WorkSpec} and the default
 * `WorkerPool` are that layer's, not the kernel's (see src/offload/runInExecutor.ts, which
 * installs it when it is loaded).
 */
export interface OffloadHooks {
  runInExecutor<R>(
    loop: EventLoop,
    executor: Executor | null | undefined,
    fn: unknown,
    args: unknown[],
  ): Future<R>;
  setDefaultExecutor(loop: EventLoop, executor: Executor): void;
}

let offload: OffloadHooks | null = null;

/** @internal Installs the offload layer's hooks (once per program; a second call replaces them). */
export function _installOffload(hooks: OffloadHooks): void {
  offload = hooks;
}

function offloadHooks(what: string): OffloadHooks {
  if (offload === null) {
    throw new RuntimeError(
      `loop.${what}(): rx-asyncio's offload layer is not loaded. It loads with the modules ` +
        'that use it (toThread, mapToThread, input, readLine); a bundler left it out because the ' +
        'program uses none of them: call toThread() for work on the default executor, or load ' +
        'rx-asyncio unbundled',
    );
  }
  return offload;
}

// setInterval-based schedulers overflow past 2^31-1 ms and fire at once; longer waits re-arm.
const MAX_DELAY = 0x7fffffff;

/**
 * asyncio's event loop, driven by an RxJS scheduler (asyncio's `AbstractEventLoop`).
 *
 * Iteration model (asyncio's): a FIFO ready queue; one iteration runs exactly the callbacks that
 * were ready when it began, and what they schedule runs in the next; timers join the ready queue
 * when due, after the callbacks already there. Events due at the same instant run in the order
 * they were scheduled. All waiting goes through the injected scheduler (never a real timer, a
 * Promise or the microtask queue), so under a `TestScheduler` a whole program runs in virtual
 * time. Times are milliseconds (asyncio uses seconds).
 *
 * Invariant: the loop holds at most one pending scheduler action (its next wake-up). While
 * callbacks are ready it runs iteration after iteration inside that one action, up to
 * `options.budget` ms, before it gives the host a turn. A spent budget may cut an iteration
 * short: the callbacks it had left run first in the next action, before any timer joins the
 * ready queue, so the order of callbacks is the same as without the cut.
 *
 * @example
 * ```ts
 * import { EventLoop } from 'rx-asyncio';
 * import { TestScheduler } from 'rxjs/testing';
 * const scheduler = new TestScheduler(() => {});
 * const loop = new EventLoop(scheduler);
 * loop.callLater(1000, () => console.log('one virtual second later', loop.time()));
 * scheduler.flush(); // prints at once: "one virtual second later 1000"
 * ```
 */
export class EventLoop {
  /** The scheduler that provides this loop's clock and wake-ups. */
  readonly scheduler: SchedulerLike;
  /** @internal */ _currentTask: Task<unknown> | null = null;
  /** @internal Tasks not done yet, held strongly: a running task is never lost to the GC. */
  readonly _pendingTasks = new LinkedSet<Task<unknown>>();
  /** @internal */ readonly _ready = new RingQueue<ReadyEntry>(64);
  /** @internal */ readonly _timers = new TimerQueue<TimerEntry>();
  private _action: Subscription | null = null;
  /** See {@link EventLoopOptions.wakeScheduler}. */
  private readonly _wake: SchedulerLike;
  /** See {@link EventLoopOptions.yieldScheduler}. */
  private readonly _yield: SchedulerLike;
  private _armedAt = Number.POSITIVE_INFINITY;
  private _running = false;
  private _closed = false;
  private _halted: Error | null = null;
  private _debug = false;
  private _exceptionHandler: ExceptionHandler | null = null;
  private readonly _spinLimit: number;
  private readonly _budget: number;
  /** Scheduler time at which the running batch has spent its budget. */
  private _budgetEnd = 0;
  /** Scheduler time of the last look at the clock in the running batch. */
  private _lastLook = 0;
  /**
   * Callbacks to run between two looks at the clock: up to 64 while callbacks are quick, fewer
   * when they are slow (a ~0.2 ms step each), so that the budget is not overrun by 64 of them.
   * It starts at 8: a new program's first steps are often slow (not yet compiled).
   */
  private _lookEvery = 8;
  /** Callbacks run since the last look at the clock. */
  private _sinceLook = 0;
  /** Callbacks of an iteration that the budget cut short; they run first in the next action. */
  private _left = 0;
  private _instant = Number.NaN;
  private _instantTicks = 0;
  /**
   * @internal Called once when the loop halts (spin guard, a scheduler that threw), outside the
   * loop's callbacks (so it may close the loop); used by `run`.
   */
  _onHalt: ((error: Error) => void) | null = null;
  /** @internal Futures whose exception nobody retrieved yet (weakly held; see Future). */
  readonly _unretrieved = new Set<WeakRef<Future<unknown>>>();
  /** @internal Hooks run by close(), in order (e.g. terminating executors' workers). */
  readonly _closeHooks: Array<() => void> = [];
  /** @internal Async hooks that run() awaits after cancelling tasks, before close(). */
  readonly _shutdownHooks: Array<() => Awaitable<void>> = [];
  /**
   * @internal Tie-break policy among the callbacks of one iteration (the testing kit's
   * interleaving explorer). Null means FIFO and costs one null check per iteration.
   */
  _tieBreak: TieBreak | null = null;
  /** @internal See {@link setTaskFactory}; null makes plain tasks. */
  _taskFactory: TaskFactory | null = null;
  /** @internal Told before and after each task step (the testing kit's timeline recorder). */
  _observer: StepObserver | null = null;
  /** @internal Debug mode's slow-step detector; null (one check per iteration) otherwise. */
  _stepMonitor: StepMonitor | null = null;
  /**
   * In debug mode, a callback or task step that blocks the loop at least this long (ms, real
   * time) is reported to the exception handler (asyncio's `slow_callback_duration`).
   */
  slowCallbackDuration: number;

  constructor(scheduler: SchedulerLike = asyncScheduler, options: EventLoopOptions = {}) {
    if (
      scheduler === null ||
      typeof scheduler !== 'object' ||
      typeof scheduler.schedule !== 'function'
    ) {
      throw new TypeError(
        `EventLoop(scheduler): expected an RxJS SchedulerLike (asyncScheduler, a TestScheduler...), got ${describe(scheduler)}`,
      );
    }
    this.scheduler = scheduler;
    this._wake = defaultWake(scheduler, options.wakeScheduler);
    this._yield = defaultYield(scheduler, options.yieldScheduler);
    this._spinLimit = checkPositive('spinLimit', options.spinLimit ?? 1_000_000);
    this._budget = checkPositive('budget', options.budget ?? defaultBudget());
    this.slowCallbackDuration = checkPositive(
      'slowCallbackDuration',
      options.slowCallbackDuration ?? 100,
    );
    if (options.debug) this.setDebug(true);
    // The first loop of the program parks the kernel's anchors (see _anchorShapes).
    if (anchorLoop === null && scheduler !== INERT) _anchorShapes(anchorKernelShapes);
  }

  /**
   * The loop's clock: the scheduler's `now()`, in milliseconds. It must never decrease: a clock
   * that goes backwards (or returns `NaN`) halts the loop with a `RuntimeError`.
   */
  time(): number {
    return this.scheduler.now();
  }

  /**
   * Schedules `callback(...args)` to run in the next iteration, after those already scheduled.
   * An exception it throws goes to the exception handler. It runs in a copy of the current
   * context, or in the one given as a trailing `{ context }` (asyncio's `context=`; only a plain
   * object whose one key is `context` counts, so the callback's own arguments are never taken).
   */
  callSoon<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): Handle;
  callSoon<A extends unknown[]>(
    callback: (...args: A) => unknown,
    ...args: [...A, CallOptions]
  ): Handle;
  callSoon(callback: Callback, ...args: unknown[]): Handle {
    checkCallback('callSoon', callback);
    this._checkOpen('callSoon');
    const h = makeHandle(this, callback, args);
    this._pushReady(h);
    return h;
  }

  /** @internal The allocation-light path for the kernel's own callbacks (no validation). */
  _callSoon(fn: Callback, nargs: number, a?: unknown, b?: unknown): Handle {
    const h = new Handle(this, fn, nargs, a, b, null);
    this._pushDone(h);
    return h;
  }

  /** @internal Queues a done callback's entry (a handle, or a waiting task itself). */
  _pushDone(h: ReadyEntry): void {
    // As asyncio: completing a future of a closed loop must not drop its callbacks silently.
    if (this._closed) this._checkOpen('a done callback');
    this._pushReady(h);
  }

  /**
   * @internal Queues a timer entry: a `TimerHandle`, or an object with the same internal
   * surface (`when`, `_scheduled`, `_cancelled`, `_run`), such as a sleep's future.
   */
  _pushTimer(t: TimerEntry): void {
    this._timers.push(t);
    if (!this._running && t.when < this._armedAt) this._arm();
  }

  /**
   * Schedules `callback(...args)` to run `delay` ms from now. A negative delay keeps its
   * deadline in the past, as asyncio's `call_later`: such a timer is due at once, and due timers
   * run in deadline order (then scheduling order), so `callLater(-5, b)` runs before an earlier
   * `callLater(0, a)`. `Infinity` never fires; `NaN` is a `RangeError`. Context: as
   * {@link callSoon}.
   */
  callLater<A extends unknown[]>(
    delay: number,
    callback: (...args: A) => unknown,
    ...args: A
  ): TimerHandle;
  callLater<A extends unknown[]>(
    delay: number,
    callback: (...args: A) => unknown,
    ...args: [...A, CallOptions]
  ): TimerHandle;
  callLater(delay: number, callback: Callback, ...args: unknown[]): TimerHandle {
    checkDelay('callLater', delay);
    this._checkOpen('callLater'); // else the error would name callAt
    return this.callAt(this.scheduler.now() + delay, callback, ...(args as never[]));
  }

  /**
   * Schedules `callback(...args)` to run at loop time `when` (ms, same clock as `time()`).
   * Context: as {@link callSoon}.
   */
  callAt<A extends unknown[]>(
    when: number,
    callback: (...args: A) => unknown,
    ...args: A
  ): TimerHandle;
  callAt<A extends unknown[]>(
    when: number,
    callback: (...args: A) => unknown,
    ...args: [...A, CallOptions]
  ): TimerHandle;
  callAt(when: number, callback: Callback, ...args: unknown[]): TimerHandle {
    checkDelay('callAt', when);
    checkCallback('callAt', callback);
    this._checkOpen('callAt');
    const context = takeCallContext(args) ?? copyContext();
    const n = args.length;
    const h = new TimerHandle(this, when, callback, n, args[0], args[1], n > 2 ? args : null);
    h._context = context;
    this._timers.push(h);
    if (!this._running && when < this._armedAt) this._arm();
    return h;
  }

  /** Creates a pending {@link Future} attached to this loop. */
  createFuture<T>(): Future<T> {
    return new Future<T>(this);
  }

  /**
   * Wraps a coroutine (or an awaitable that asyncio calls a coroutine, such as `sleep(ms)` or
   * `queue.get()`) in a {@link Task} on this loop, through the task factory if one is set; its
   * first step runs in a later iteration, unless it starts eagerly (`eagerStart`).
   * @throws {TypeError} for a Future or Task (already running) or anything else.
   */
  createTask<T>(coro: Coroutine<T> | Awaitable<T>, options?: Omit<TaskOptions, 'loop'>): Task<T> {
    const factory = this._taskFactory;
    if (factory !== null) return factory(this, coro, options ?? {});
    // Why: a TaskGroup creates every child here; no options object per task.
    if (options === undefined && _getRunningLoopOrNull() === this) return new Task(coro);
    return new Task(coro, { ...options, loop: this });
  }

  /**
   * Sets the function that `createTask` and `loop.createTask` call to make tasks (asyncio's
   * `set_task_factory`), e.g. `eagerTaskFactory`; null restores plain tasks.
   */
  setTaskFactory(factory: TaskFactory | null): void {
    if (factory !== null && typeof factory !== 'function') {
      throw new TypeError(
        `setTaskFactory(factory): expected a function or null, got ${describe(factory)}`,
      );
    }
    this._taskFactory = factory;
  }

  /** The task factory set with {@link setTaskFactory}, or null. */
  getTaskFactory(): TaskFactory | null {
    return this._taskFactory;
  }

  /**
   * Runs `fn(...args)` on `executor` and returns a future of its result: asyncio's
   * `run_in_executor`. `null` means the loop's default executor: the one given to
   * {@link setDefaultExecutor}, else a `WorkerPool` created on first use; `run()` shuts it down
   * when the program ends. The job starts now; `fn` must be able to travel to a worker (see
   * `toThread`, which is the short form of `runInExecutor(null, ...)` as a coroutine). Cancelling
   * the future drops a queued job and terminates the worker of a running one.
   *
   * @throws {TypeError} when `fn` cannot run on a worker (a closure, a bound or native function).
   * @example
   * ```ts
   * import { getRunningLoop, run } from 'rx-asyncio';
   * run(function* () {
   *   const loop = getRunningLoop();
   *   const n = yield* loop.runInExecutor(null, (a: number, b: number) => a * b, 6, 7);
   *   console.log(n); // 42
   * }());
   * ```
   */
  runInExecutor<A extends unknown[], R>(
    executor: Executor | null,
    fn: (...args: A) => R | PromiseLike<R>,
    ...args: WithTransfers<A>
  ): Future<R> {
    return offloadHooks('runInExecutor').runInExecutor<R>(this, executor, fn, args);
  }

  /**
   * Sets the executor that `runInExecutor(null, ...)` and `toThread` use (asyncio's
   * `set_default_executor`), e.g. a sized `WorkerPool`, or a `FakeExecutor` in virtual-time
   * tests. The loop shuts it down when `run()` ends.
   */
  setDefaultExecutor(executor: Executor): void {
    offloadHooks('setDefaultExecutor').setDefaultExecutor(this, executor);
  }

  /** True while the loop is executing callbacks (inside one of its scheduler actions). */
  isRunning(): boolean {
    return this._running;
  }

  /**
   * True when nothing is scheduled: no callback ready and no timer pending. Tasks may still be
   * pending, waiting on futures that something outside the loop (a worker, a Promise) may
   * complete; under a virtual-time scheduler nothing else is coming, so an idle loop with pending
   * tasks is deadlocked.
   *
   * @example
   * ```ts
   * import { EventLoop } from 'rx-asyncio';
   * import { TestScheduler } from 'rxjs/testing';
   * const scheduler = new TestScheduler(() => {});
   * const loop = new EventLoop(scheduler);
   * loop.callLater(10, () => {});
   * console.log(loop.isIdle()); // false: a timer is pending
   * scheduler.flush();
   * console.log(loop.isIdle()); // true
   * ```
   */
  isIdle(): boolean {
    return this._ready.size === 0 && this._timers.size === 0;
  }

  /** True once {@link close} was called. */
  isClosed(): boolean {
    return this._closed;
  }

  /** Debug mode: `CancelledError` stack traces and task creation sites. */
  getDebug(): boolean {
    return this._debug;
  }

  setDebug(enabled: boolean): void {
    if (this._running) _captureStacks(enabled);
    this._debug = enabled;
    this._stepMonitor = enabled ? _slowStepMonitor(this) : null;
  }

  /** The error the loop halted with (a same-instant spin), or null. */
  haltedWith(): Error | null {
    return this._halted;
  }

  /**
   * Sets the function called for errors nobody else can receive: a callback that threw, an
   * exception no one retrieved, a task destroyed while pending. `null` restores the default,
   * which writes to `console.error`.
   */
  setExceptionHandler(handler: ExceptionHandler | null): void {
    if (handler !== null && typeof handler !== 'function') {
      throw new TypeError(
        `setExceptionHandler(handler): expected a function or null, got ${describe(handler)}`,
      );
    }
    this._exceptionHandler = handler;
  }

  getExceptionHandler(): ExceptionHandler | null {
    return this._exceptionHandler;
  }

  /** The default handler: writes the message, the task or future, and the stack to the console. */
  defaultExceptionHandler(context: ExceptionContext): void {
    console.error(formatExceptionContext(context));
  }

  /**
   * Reports `context` to the exception handler. A handler that throws is reported through the
   * default handler: an error is never lost, and never escapes into the scheduler.
   */
  callExceptionHandler(context: ExceptionContext): void {
    const handler = this._exceptionHandler;
    if (handler === null) {
      this.defaultExceptionHandler(context);
      return;
    }
    try {
      handler(this, context);
    } catch (exception) {
      this.defaultExceptionHandler({
        message: 'Unhandled error in exception handler',
        exception,
        context,
      });
      this.defaultExceptionHandler(context);
    }
  }

  /**
   * Closes the loop: pending callbacks and timers are dropped, its scheduler action is
   * unsubscribed, exceptions no one retrieved and tasks still pending are reported. Idempotent.
   *
   * @throws {RuntimeError} if called from one of the loop's own callbacks.
   */
  close(): void {
    if (this._running) {
      throw new RuntimeError(
        'cannot close a running event loop: close it after its callbacks return',
      );
    }
    if (this._closed) return;
    for (const hook of this._closeHooks.splice(0)) {
      try {
        hook();
      } catch (exception) {
        this.callExceptionHandler({ message: 'Exception while closing the loop', exception });
      }
    }
    this._closed = true;
    this._ready.clear();
    this._left = 0;
    this._timers.clear();
    this._action?.unsubscribe();
    this._action = null;
    for (const task of this._pendingTasks) {
      this.callExceptionHandler({ message: 'Task was destroyed but it is pending!', task });
    }
    this._pendingTasks.clear();
    reportUnretrieved(this);
  }

  /**
   * A readable dump of the pending tasks: name, state and what each awaits, plus where it was
   * created in debug mode.
   */
  dumpTasks(): string {
    const lines = [...this._pendingTasks].map((t) => {
      const site = t._createdAt === undefined ? '' : creationSite(t._createdAt);
      return `  ${t.toString()}${site === '' ? '' : `\n    created at ${site}`}`;
    });
    return lines.length === 0 ? '  (no pending tasks)' : lines.join('\n');
  }

  toString(): string {
    const state = this._closed ? 'closed' : this._running ? 'running' : 'idle';
    return `<EventLoop ${state} time=${this.time()} ready=${this._ready.size} timers=${this._timers.size} tasks=${this._pendingTasks.size}>`;
  }

  /** @internal */
  _checkOpen(what: string): void {
    if (this._closed) {
      throw new RuntimeError(
        `${what}(): the event loop is closed; create a new EventLoop or use run()`,
      );
    }
  }

  /** @internal A timer still in the queue was cancelled. */
  _timerCancelled(_h: TimerEntry): void {
    this._timers.noteCancelled();
  }

  /** @internal Queues an existing handle (the kernel reuses a task's yield step). */
  _pushReady(h: ReadyEntry): void {
    this._ready.push(h);
    if (!this._running && this._armedAt > Number.NEGATIVE_INFINITY) this._arm(true);
  }

  /** Ensures one scheduler action is pending for the earliest thing to do (or none if idle). */
  private _arm(fromOutside = false): void {
    if (this._closed || this._halted !== null) return;
    let at: number;
    if (this._ready.size > 0) {
      at = Number.NEGATIVE_INFINITY; // as soon as possible
    } else {
      const next = this._timers.nextDeadline();
      if (next === undefined || next === Number.POSITIVE_INFINITY) {
        this._disarm();
        return;
      }
      at = next;
    }
    if (this._action !== null && this._armedAt <= at) return;
    this._action?.unsubscribe();
    const delay =
      at === Number.NEGATIVE_INFINITY
        ? 0
        : Math.min(MAX_DELAY, Math.max(0, at - this.scheduler.now()));
    this._armedAt = at;
    // Why a fresh schedule each time: re-arming an RxJS VirtualAction with action.schedule()
    // chains actions and leaks them.
    // Zero delay: work from outside wakes an idle loop (`_wake`); work still ready after a
    // batch means the budget is spent, so the host gets its turn first (`_yield`).
    const s = delay !== 0 ? this.scheduler : fromOutside ? this._wake : this._yield;
    try {
      const lastFrame = delay !== 0 ? maxFramesOf(this.scheduler) : undefined;
      if (lastFrame !== undefined && this.scheduler.now() + delay > lastFrame) {
        // A TestScheduler never flushes past maxFrames: look again at its last frame.
        const left = Math.max(0, lastFrame - this.scheduler.now());
        this._action = s.schedule(this._onLastFrame, left);
        return;
      }
      this._action = s.schedule(this._onAction, delay);
    } catch (exception) {
      // A scheduler that throws cannot wake the loop again: halt with its error (nothing
      // escapes into the scheduler; the reverse holds too: its error reaches run()).
      this._action = null;
      this._armedAt = Number.POSITIVE_INFINITY;
      const error =
        exception instanceof Error
          ? exception
          : new RuntimeError(`the scheduler threw ${describe(exception)}`);
      this._halt(error, 'The scheduler threw: the event loop cannot run any more');
    }
  }

  /**
   * @internal Stops the loop for good with `error` (a same-instant spin, a scheduler that threw):
   * reports it, and tells `_onHalt` once the loop's current callbacks have returned.
   */
  _halt(error: Error, message: string): void {
    if (this._halted !== null) return;
    this._halted = error;
    try {
      this._disarm();
    } catch {
      // The scheduler's own subscription may be broken too: the loop is halted either way.
    }
    this.callExceptionHandler({ message, exception: error });
    if (!this._running) this._notifyHalt();
  }

  private _notifyHalt(): void {
    const onHalt = this._onHalt;
    this._onHalt = null;
    if (this._halted !== null) onHalt?.(this._halted);
  }

  /**
   * @internal After a halt: runs the callbacks that are ready, synchronously and without the
   * scheduler, for at most `limit` iterations, so that cancelled tasks' cleanup that needs no
   * timer still runs before close. Timers never fire here.
   */
  _runReadyNow(limit: number): void {
    if (this._running || this._closed) return;
    const prev = _setRunningLoop(this);
    const outerBatch = _beginBatch();
    this._running = true;
    this._left = 0;
    this._budgetEnd = Number.POSITIVE_INFINITY;
    try {
      for (let i = 0; i < limit && this._ready.size > 0; i++) {
        const policy = this._tieBreak;
        if (policy !== null && this._ready.size > 1) this._reorderReady(policy);
        this._runSliced(this._ready.size);
      }
    } catch (exception) {
      this.callExceptionHandler({ message: 'Internal error in the event loop', exception });
    } finally {
      this._running = false;
      _endBatch(outerBatch);
      _setRunningLoop(prev);
    }
  }

  private _disarm(): void {
    this._action?.unsubscribe();
    this._action = null;
    this._armedAt = Number.POSITIVE_INFINITY;
  }

  /**
   * The last frame a `TestScheduler` flushes (its `maxFrames`) came while the loop's next event
   * lies beyond it: that event would never run and `run()` would never settle, so halt instead.
   */
  private readonly _onLastFrame = (): void => {
    this._action = null;
    this._armedAt = Number.POSITIVE_INFINITY;
    const lastFrame = maxFramesOf(this.scheduler);
    const next = this._timers.nextDeadline();
    if (
      lastFrame === undefined ||
      this._ready.size > 0 ||
      next === undefined ||
      next <= lastFrame
    ) {
      this._arm();
      return;
    }
    this._halt(
      new RuntimeError(
        `the scheduler stops at maxFrames = ${lastFrame} (a plain TestScheduler's default is 750), ` +
          `but the loop's next event is at ${next}: it would never run. Set ` +
          '`scheduler.maxFrames = Infinity`, or use `virtualScheduler()` or `runVirtual()` from ' +
          'rx-asyncio/marbles',
      ),
      'Event loop halted',
    );
  };

  private readonly _onAction = (): void => {
    this._action = null;
    this._armedAt = Number.POSITIVE_INFINITY;
    if (this._closed || this._halted !== null) return;
    const prev = _setRunningLoop(this);
    const outerBatch = _beginBatch();
    this._running = true;
    try {
      this._runBatch();
    } catch (exception) {
      // The kernel catches every user error where it happens; reaching here is an rx-asyncio bug.
      this.callExceptionHandler({ message: 'Internal error in the event loop', exception });
    } finally {
      this._running = false;
      _endBatch(outerBatch);
      _setRunningLoop(prev);
    }
    if (this._halted !== null) this._notifyHalt();
    else this._arm();
  };

  /** Runs iterations until nothing is ready, the budget is spent, or the spin guard trips. */
  private _runBatch(): void {
    const sched = this.scheduler;
    const start = sched.now();
    if (this._noteInstant(start, 1)) return;
    this._budgetEnd = start + this._budget;
    this._lastLook = start;
    this._sinceLook = 0;
    // An iteration cut short by the last budget ends before the next one begins.
    const left = this._left;
    this._left = 0;
    if (left > 0 && this._runSliced(left)) return;
    let sinceCheck = 0;
    for (;;) {
      sinceCheck++;
      if (this._runOnce()) return;
      if (this._ready.size === 0) {
        const next = this._timers.nextDeadline();
        if (next === undefined || next > sched.now()) return;
      }
      // Iterations since the last look: each ran at most `_lookEvery` callbacks (more are
      // run by _runSliced, which looks between them).
      if (sinceCheck >= this._lookEvery) {
        const t = sched.now();
        if (this._noteInstant(t, sinceCheck) || this._look(t)) return;
        sinceCheck = 0;
      }
    }
  }

  /**
   * One iteration: due timers join the ready queue, then exactly the ready callbacks run (those
   * queued meanwhile wait for the next). Returns true when the budget ran out in the middle.
   */
  private _runOnce(): boolean {
    if (this._timers.size > 0) this._timers.popDue(this.scheduler.now(), this._enqueueTimer);
    const ready = this._ready;
    if (this._tieBreak !== null && ready.size > 1) this._reorderReady(this._tieBreak);
    const n = ready.size;
    // More callbacks than may run between two looks at the clock: look between them.
    if (n > this._lookEvery) return this._runSliced(n);
    const monitor = this._stepMonitor;
    for (let k = n; k > 0 && !this._closed; k--) {
      const h = ready.shift();
      // Why no `_cancelled` check here: every entry's `_run` is a no-op once cancelled (a
      // handle drops its callback, a sleep checks its state, a task's step is never
      // cancelled), and the check was a property load on four kinds of entry per step.
      if (monitor === null) h._run();
      else if (!h._cancelled) monitor.run(h);
    }
    return false;
  }

  /**
   * Runs the first `n` ready callbacks, looking at the clock every `_lookEvery` of them; once
   * the budget is spent it stops, leaves the rest of the `n` in `_left`, and returns true.
   */
  private _runSliced(n: number): boolean {
    const ready = this._ready;
    const monitor = this._stepMonitor;
    for (; n > 0 && !this._closed; n--) {
      const h = ready.shift();
      if (monitor === null) h._run();
      else if (!h._cancelled) monitor.run(h);
      if (++this._sinceLook >= this._lookEvery && this._look(this.scheduler.now())) {
        this._left = n - 1;
        return true;
      }
    }
    return false;
  }

  /**
   * A look at the clock (time `t`): true once the batch's budget is spent. Also sets how many
   * callbacks run before the next look: a quarter budget or more since the last look means slow
   * callbacks, so as many as took about a quarter budget; under an eighth, twice as many (at
   * most 64).
   */
  private _look(t: number): boolean {
    const since = t - this._lastLook;
    const every = this._lookEvery;
    const budget = this._budget;
    if (since * 4 >= budget)
      this._lookEvery = Math.max(1, Math.floor((every * budget) / (since * 4)));
    else if (since * 8 < budget && every < 64) this._lookEvery = every << 1;
    this._lastLook = t;
    this._sinceLook = 0;
    return t >= this._budgetEnd;
  }

  /** Lets the tie-break policy permute this iteration's batch (off the FIFO fast path). */
  private _reorderReady(policy: TieBreak): void {
    const ready = this._ready;
    const batch: ReadyEntry[] = [];
    while (ready.size > 0) batch.push(ready.shift());
    // The public TieBreak type names the entries Handles: the tie-break policies (the testing
    // kit's explorer) only reorder them, and read them through src/kernel/internals.ts.
    policy(batch as Handle[], this);
    for (const h of batch) ready.push(h);
  }

  private readonly _enqueueTimer = (t: TimerEntry): void => {
    t._scheduled = false;
    this._ready.push(t);
  };

  /**
   * Spin guard: returns true (and halts) after too many iterations at one clock value, or on a
   * clock that returns NaN or goes backwards.
   */
  private _noteInstant(t: number, ticks: number): boolean {
    if (Number.isNaN(t)) {
      // NaN never equals the last instant, so the spin guard would never trip: a hang.
      const error = new RuntimeError(
        "the scheduler's clock returned NaN: the loop cannot order its timers; check the " +
          "scheduler's now() (a TestScheduler's frame, a custom timestamp provider)",
      );
      this._halt(error, 'Event loop halted');
      return true;
    }
    if (t < this._instant) {
      // Timers would fire late by the step (never, on a clock that keeps going back), and a
      // busy batch would never spend its budget, starving the host.
      const error = new RuntimeError(
        `the scheduler's clock went backwards, from ${this._instant} to ${t} ms: the loop orders ` +
          'its timers by it; give the loop a scheduler whose now() never decreases (a custom ' +
          "timestamp provider must be monotonic; asyncScheduler's Date.now() goes back only if " +
          'the system time is set back)',
      );
      this._halt(error, 'Event loop halted');
      return true;
    }
    if (t !== this._instant) {
      this._instant = t;
      this._instantTicks = 0;
      return false;
    }
    this._instantTicks += ticks;
    if (this._instantTicks <= this._spinLimit) return false;
    const error = new SpinError(
      `the event loop ran ${this._instantTicks} iterations at time ${t} without the clock advancing ` +
        '(a same-instant spin, e.g. `while (true) yield* sleep(0)` under a virtual-time scheduler); ' +
        `it was stopped. Pending tasks:\n${this.dumpTasks()}`,
    );
    this._halt(error, 'Event loop halted');
    return true;
  }
}

// --- Shape anchors (issue 19, item 4).
//
// V8 holds the hidden classes ("maps") that optimized code checks only weakly, and a
// memory-reducing GC (a background browser tab, memory pressure, `gc()`) skips the map retention
// that otherwise keeps them: a class of which no instance is alive at that moment loses its map,
// and every optimized function that embedded it is thrown away ("weak objects" in
// `--trace-deopt`). Between two bursts of work a program often has no live Task, Handle, waiter...
// (after a `run()`, none at all), so the kernel's hot code was deoptimized wholesale and
// re-learned its field types. The anchors are one live instance of each hot class, parked on a
// loop that runs only when an anchor is added: its scheduler keeps the loop's wake-up instead of
// running it, and `_anchorShapes` runs it by hand, so the parked tasks reach their first
// suspension through the real loop code (and the loop's own fields take the representations a
// real run gives them: times are fractional). bench/warm.ts measures the difference.

/** The anchor loop's pending wake-up, run by hand only. */
let inertAction: (() => void) | null = null;
const INERT: SchedulerLike = {
  now: () => 0.5,
  schedule(work: () => void): Subscription {
    inertAction = work;
    return { closed: false, unsubscribe() {} } as Subscription;
  },
} as SchedulerLike;
let anchorLoop: EventLoop | null = null;
const anchors: unknown[] = [];

/** Runs the anchor loop's pending wake-up (twice at most: the parked tasks only suspend). */
function runAnchorLoop(): void {
  for (let i = 0; i < 2 && inertAction !== null; i++) {
    const action = inertAction;
    inertAction = null;
    action();
  }
}

/**
 * @internal Keeps the objects `build` makes on the anchor loop alive for the rest of the program
 * (see above): each upper layer parks one instance of its own hot classes (a queue's waiters, a
 * sleep) when it is first loaded. `build` runs with the anchor loop as the running loop; the
 * tasks it creates are taken to their first suspension at once and stay there. Anchor tasks
 * should be named (no task number taken) and given an empty `Context`.
 */
export function _anchorShapes(build: (loop: EventLoop) => unknown): void {
  let loop = anchorLoop;
  if (loop === null) {
    loop = new EventLoop(INERT);
    anchorLoop = loop;
    if (build !== anchorKernelShapes) _anchorShapes(anchorKernelShapes);
  }
  const prev = _setRunningLoop(loop);
  try {
    anchors.push(build(loop));
  } finally {
    _setRunningLoop(prev);
  }
  if (!loop.isRunning()) runAnchorLoop();
}

function* waitOn(future: Future<unknown>): Coroutine<unknown> {
  return yield* future;
}

/** The kernel's own: a future and a task waiting on it, a callback handle, a timer handle. */
function anchorKernelShapes(loop: EventLoop): unknown {
  const future = loop.createFuture<unknown>();
  return [
    future,
    loop.createTask(waitOn(future), { name: 'anchor', context: new Context() }),
    loop.callSoon(() => {}, { context: new Context() }),
    loop.callLater(1e9, () => {}, { context: new Context() }),
  ];
}

/** A virtual-time scheduler's last flushed frame (`maxFrames`), if it has a finite one. */
function maxFramesOf(scheduler: SchedulerLike): number | undefined {
  const m = (scheduler as { maxFrames?: unknown }).maxFrames;
  return typeof m === 'number' && m !== Number.POSITIVE_INFINITY ? m : undefined;
}

function makeHandle(loop: EventLoop, fn: Callback, args: unknown[]): Handle {
  const context = takeCallContext(args) ?? copyContext();
  const n = args.length;
  const h = new Handle(loop, fn, n, args[0], args[1], n > 2 ? args : null);
  h._context = context;
  return h;
}
