import type { SchedulerLike } from 'rxjs';
import type { EventLoop } from './EventLoop.js';
import type { Future } from './Future.js';
import type { Handle } from './Handle.js';
import type { Task } from './Task.js';

/** What the loop tells its exception handler; only `message` is always present. */
export interface ExceptionContext {
  message: string;
  exception?: unknown;
  future?: Future<unknown>;
  task?: Task<unknown>;
  handle?: Handle;
  [key: string]: unknown;
}

/**
 * @internal Reorders, in place, the callbacks one loop iteration is about to run (all ready at
 * the same instant, FIFO order on entry). Must keep every handle exactly once.
 */
export type TieBreak = (batch: Handle[], loop: EventLoop) => void;

/** @internal Watches task steps (the testing kit's timeline recorder). */
export interface StepObserver {
  /**
   * A step of `task` is about to run; `exc` is what will be thrown in (undefined: resume, unless
   * `task._mustCancel` says a `CancelledError` will be).
   */
  stepStart(task: Task<unknown>, exc: unknown): void;
  /** The step returned: the task is suspended again, or done. */
  stepEnd(task: Task<unknown>): void;
}

/** Replaces the loop's default reporting (see {@link EventLoop.setExceptionHandler}). */
export type ExceptionHandler = (loop: EventLoop, context: ExceptionContext) => void;

/** Options of {@link EventLoop}. */
export interface EventLoopOptions {
  /**
   * Debug mode: stack traces on `CancelledError`, creation sites on tasks and cancellations,
   * and slow-step reports (see `slowCallbackDuration`). Default false.
   */
  debug?: boolean;
  /**
   * Debug mode reports a callback or task step that blocks the loop at least this long (ms of
   * real time, measured by the debug-mode monitor with the host clock). Default 100. Also
   * settable on the loop.
   */
  slowCallbackDuration?: number;
  /**
   * The scheduler that wakes an idle loop, with no delay, for work that arrived from outside it
   * (a worker's message, a settled Promise, a DOM event, `createTask` from top-level code).
   * Default: `asapScheduler` when the loop runs on the real `asyncScheduler`, whose zero delay is
   * an interval timer clamped to 1 ms in Node (4 ms in browsers) per wake-up; otherwise the
   * loop's own scheduler. `null`: always the loop's scheduler. Work that is already running
   * hands the host a turn through `yieldScheduler`, never this one, so it cannot starve I/O.
   */
  wakeScheduler?: SchedulerLike | null;
  /**
   * The scheduler that gives the host a turn (I/O, timers, rendering) once the loop has run for
   * its `budget` with work still ready; it must run work in a later macrotask, never a
   * microtask. Default: `macrotaskScheduler` (Node's check phase; in browsers a zero timer that
   * lets due timers go first, then a `postTask` or `MessageChannel` post) when the loop runs on the real `asyncScheduler`, whose zero delay would idle the
   * loop 1 ms in Node (4 ms in browsers) per turn, and on the real `asapScheduler` or
   * `queueScheduler`, whose zero delay is a microtask (or immediate) that never lets the host run
   * a timer or I/O; otherwise the loop's own scheduler (virtual time is untouched). `null`:
   * always the loop's scheduler (on asap/queue that starves the host while work is ready).
   */
  yieldScheduler?: SchedulerLike | null;
  /**
   * How many loop iterations may run without the scheduler's clock advancing before the loop
   * stops with a `SpinError` (a same-instant spin in virtual time). With a real clock this
   * cannot trigger: a millisecond holds far fewer iterations. Default 1,000,000; `Infinity` turns
   * the guard off.
   */
  spinLimit?: number;
  /**
   * The slice: how long (ms, scheduler time) the loop keeps running ready callbacks inside one
   * scheduler action before giving the host a turn through `yieldScheduler`. Default 5 in
   * browsers (and any host without `setImmediate`), so that while the loop is busy a page's
   * timers, input and rendering wait at most about one frame (16.7 ms); 8 in Node, where a
   * longer slice keeps throughput. The loop looks at the clock between callbacks (every 64
   * while they are quick, after each one when they are slow), so a slice can end in the middle
   * of an iteration; one callback or task step that runs longer than the slice still blocks the
   * host for all of it (CPU-heavy work belongs in `toThread`). In virtual time the clock stands
   * still within an action, so the budget never cuts anything there.
   */
  budget?: number;
}
