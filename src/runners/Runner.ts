import type { SchedulerLike } from 'rxjs';
import { CancelledError, RuntimeError, SpinError, ValueError } from '../errors.js';
import type { Awaitable, Coroutine } from '../kernel/Awaitable.js';
import { type Context, copyContext } from '../kernel/Context.js';
import { toCoroutine } from '../kernel/coroutineChecks.js';
import { EventLoop, type EventLoopOptions, type ExceptionHandler } from '../kernel/EventLoop.js';
import type { Future } from '../kernel/Future.js';
import { _getRunningLoopOrNull } from '../kernel/runningLoop.js';
import type { Task } from '../kernel/Task.js';
import { eagerTaskFactory } from '../tasks/eagerTaskFactory.js';

/** Options of {@link run} and {@link Runner}. */
export interface RunOptions extends EventLoopOptions {
  /** The scheduler that drives the loop; default `asyncScheduler` (real time). */
  scheduler?: SchedulerLike;
  /** Installed on the loop before `main` starts. */
  exceptionHandler?: ExceptionHandler;
  /**
   * Start every task eagerly: the loop's task factory is `eagerTaskFactory` (asyncio 3.14's
   * `eager_tasks`); `main` itself starts as usual. Default false.
   */
  eagerTasks?: boolean;
}

/** Options of {@link Runner.run}. */
export interface RunnerRunOptions {
  /** The context main runs in (asyncio's `context=`); default the runner's own. */
  context?: Context;
}

/** How a run ended: `main`'s result, or the error it raised (or the loop halted with). */
export type RunOutcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Where a {@link Runner} is in its life: `open` (runs mains), `closing` (close() began: tasks
 * are being cancelled and awaited), `closed` (the loop is closed).
 */
type RunnerState = 'open' | 'closing' | 'closed';

/**
 * asyncio's `Runner`: one loop that runs several mains, one after the other, and asyncio.run's
 * shutdown when it is closed. {@link run} is the usual entry point (a Runner that runs one main
 * and closes).
 *
 * - `run(main)` starts `main` as the task named "main" and returns a Promise of its outcome;
 *   the loop stays open for the next `run()`. Like asyncio's `Runner.run` it refuses a
 *   non-coroutine (`ValueError: a coroutine was expected`, a Future or Task included), a call
 *   from inside a running loop, a closed runner (`RuntimeError: Runner is closed`), and (a
 *   JavaScript addition) a second `run()` while the first one's main is still running.
 * - `close()` is asyncio's `close`: every task still pending is cancelled and awaited, round
 *   after round until none is left (their async cleanup included; errors raised there are
 *   reported); then the shutdown hooks run (the default executor's shutdown) and the loop closes
 *   (reporting exceptions nobody retrieved). It is idempotent and returns a Promise of the end of
 *   the shutdown; from its call on, `getLoop()` and `run()` raise `RuntimeError('Runner is
 *   closed')`. `using runner = new Runner()` closes it at the end of the block
 *   (`Symbol.dispose`), `await using` also waits for the shutdown (`Symbol.asyncDispose`).
 * - `start(main, onDone)` is the synchronous form of `run(main)` then `close()`, for programs
 *   driven by a `TestScheduler`: `onDone` gets the outcome during `flush()`, after the close.
 *
 * One difference from asyncio: between two `run()`s the loop is not paused. It runs on its
 * scheduler, so tasks a previous main left behind keep running until `close()`.
 *
 * @example
 * ```ts
 * import { Runner, sleep } from 'rx-asyncio';
 * import { TestScheduler } from 'rxjs/testing';
 * const scheduler = new TestScheduler(() => {});
 * scheduler.maxFrames = Infinity; // a plain TestScheduler stops at 750 frames
 * const runner = new Runner({ scheduler });
 * runner.start(function* () { yield* sleep(5000); return 'done'; }(), (outcome) => console.log(outcome));
 * scheduler.flush(); // prints { ok: true, value: 'done' } at once
 *
 * async function twoRuns(): Promise<void> {
 *   using runner = new Runner();
 *   console.log(await runner.run(sleep(10, 'first')));
 *   console.log(await runner.run(sleep(10, 'second'))); // same loop
 * } // closed here
 * void twoRuns();
 * ```
 */
export class Runner {
  /** The runner's loop, for inspection even after close (asyncio's `get_loop()` is {@link getLoop}). */
  readonly loop: EventLoop;
  private state: RunnerState = 'open';
  /** The main task of the `run()` in progress, if any, and what to tell when it ends. */
  private current: Task<unknown> | null = null;
  private currentDone: ((outcome: RunOutcome<unknown>) => void) | null = null;
  /** Called when the shutdown ends (close() began). */
  private closeWaiters: (() => void)[] = [];
  // biome-ignore lint/style/noRestrictedGlobals: close() is a host boundary, like run().
  private closing: Promise<void> | null = null;
  /**
   * The context every main runs in (asyncio's Runner keeps one): a copy of the creator's, so a
   * value one `run()` sets is seen by the next.
   */
  private readonly context: Context = copyContext();
  /** The error an {@link interrupt} ends the run with, if any. */
  private interrupted: Error | null = null;
  /** Set when the run was cut short (halt, forced interrupt): the outcome `start()` reports. */
  private forced: RunOutcome<never> | null = null;

  constructor(options: RunOptions = {}) {
    this.loop = new EventLoop(options.scheduler, options);
    if (options.exceptionHandler) this.loop.setExceptionHandler(options.exceptionHandler);
    if (options.eagerTasks === true) this.loop.setTaskFactory(eagerTaskFactory);
    const loop = this.loop;
    loop._onHalt = (error) => {
      // The loop stopped (a same-instant spin, a scheduler that threw, a forced interrupt): no
      // scheduled callback can run any more, so end here (the kernel calls this outside its
      // callbacks). A broken scheduler leaves the tasks' timer-free cleanup to run first.
      if (!(error instanceof SpinError) && error !== this.interrupted) {
        for (const t of loop._pendingTasks) t.cancel();
        loop._runReadyNow(HALT_CLEANUP_ITERATIONS);
      }
      this.closeNow(error);
    };
  }

  /**
   * Ends the run in progress because of `error`: how `run()` turns Ctrl-C into
   * `KeyboardInterrupt` and a stalled program into `DeadlockError`. The first call cancels
   * `main`; its `finally` blocks and the usual shutdown run, and if `main` then ends cancelled,
   * the outcome is `error` (if it swallows the cancellation and returns, its own outcome stands,
   * as in asyncio). A second call, or a first once `main` is done (the shutdown waits on tasks),
   * ends at once: the loop is closed (tasks still pending are reported as destroyed) and the
   * outcome is `error`. Does nothing once the runner is closed.
   */
  interrupt(error: Error): void {
    if (this.state === 'closed') return;
    const main = this.current;
    if (this.interrupted === null && main !== null && !main.done()) {
      this.interrupted = error;
      main.cancel(error.message);
      return;
    }
    this.interrupted ??= error;
    this.forced = { ok: false, error };
    if (this.loop.isRunning()) this.loop._halt(error, `run() interrupted: ${error.name}`);
    else this.closeNow(error);
  }

  /** Closes the loop now and tells everyone waiting: the end of a halted or forced run. */
  private closeNow(error: unknown): void {
    if (this.state === 'closed') return;
    this.forced ??= { ok: false, error };
    closeQuietly(this.loop);
    this.state = 'closed';
    const done = this.currentDone;
    this.current = this.currentDone = null;
    done?.({ ok: false, error });
    for (const closed of this.closeWaiters.splice(0)) closed();
  }

  /**
   * The runner's loop (asyncio's `get_loop`).
   * @throws {RuntimeError} `Runner is closed` once `close()` was called.
   */
  getLoop(): EventLoop {
    if (this.state !== 'open') throw closedError('getLoop');
    return this.loop;
  }

  /**
   * Runs `main` on the runner's loop (asyncio's `Runner.run`) and returns a Promise of its
   * result; the loop stays open for more runs until {@link close}. `main` may be a coroutine or
   * an awaitable that asyncio calls a coroutine (`sleep(ms)`, `queue.get()`...). It runs in the
   * runner's own context (shared by its runs, as asyncio's), or in `options.context`.
   *
   * @throws {ValueError} if `main` is not a coroutine (`a coroutine was expected`).
   * @throws {RuntimeError} from inside a running loop, once closed, or while a run is in progress.
   */
  // biome-ignore lint/style/noRestrictedGlobals: the host boundary; the loop never waits on this Promise.
  run<T>(main: Coroutine<T> | Awaitable<T>, options: RunnerRunOptions = {}): Promise<T> {
    let settle: (outcome: RunOutcome<T>) => void = () => {};
    // biome-ignore lint/style/noRestrictedGlobals: see above.
    const promise = new Promise<T>((resolve, reject) => {
      settle = (o) => (o.ok ? resolve(o.value) : reject(o.error));
    });
    this.startMain('Runner.run', main, settle, options.context);
    return promise;
  }

  /**
   * Runs `main` (as {@link run} does), then closes the runner, and calls `onDone` once with
   * main's outcome after the close: asyncio.run's whole sequence, with a synchronous callback
   * (under a `TestScheduler` it fires during `flush()`).
   * @returns the main task.
   * @throws {ValueError} / {RuntimeError} as {@link run} does.
   */
  start<T>(main: Coroutine<T> | Awaitable<T>, onDone: (outcome: RunOutcome<T>) => void): Task<T> {
    return this.startMain('run', main, (outcome) =>
      this.shutdown(() => onDone((this.forced as RunOutcome<T> | null) ?? outcome)),
    );
  }

  /**
   * Shuts the runner down (asyncio's `Runner.close`): cancels and awaits every pending task (a
   * main still running included), runs the shutdown hooks, closes the loop. Idempotent: every
   * call returns the same Promise, which settles once the loop is closed.
   * @throws {RuntimeError} when called from inside a running loop (as asyncio's would).
   */
  // biome-ignore lint/style/noRestrictedGlobals: the host boundary, as run().
  close(): Promise<void> {
    if (this.closing === null) {
      if (_getRunningLoopOrNull() !== null && this.state === 'open') {
        throw new RuntimeError(
          'Runner.close() cannot be called from a running event loop: close it from top-level code, after its run() settled',
        );
      }
      // biome-ignore lint/style/noRestrictedGlobals: see above.
      this.closing = new Promise<void>((resolve) => this.shutdown(resolve));
    }
    return this.closing;
  }

  /** `using runner = new Runner()`: {@link close} at the end of the block (not awaited). */
  [Symbol.dispose](): void {
    void this.close();
  }

  /** `await using runner = new Runner()`: {@link close}, awaited. */
  // biome-ignore lint/style/noRestrictedGlobals: the host boundary, as close().
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private startMain<T>(
    what: string,
    main: Coroutine<T> | Awaitable<T>,
    onOutcome: (outcome: RunOutcome<T>) => void,
    context: Context = this.context,
  ): Task<T> {
    // asyncio's order: the argument first, then where it is called from, then the runner.
    const coro = toCoroutine(what, main, ValueError);
    if (_getRunningLoopOrNull() !== null) {
      throw new RuntimeError(
        `${what}() cannot be called from a running event loop: inside a coroutine, \`yield*\` the ` +
          'coroutine or start it with createTask()',
      );
    }
    if (this.state !== 'open') throw closedError(what);
    if (this.current !== null) {
      throw new RuntimeError(
        `${what}(): the previous run's main is still running; wait for it (await runner.run(...)) first`,
      );
    }
    const task = this.loop.createTask(coro, { name: 'main', context });
    this.current = task as Task<unknown>;
    this.currentDone = onOutcome as (outcome: RunOutcome<unknown>) => void;
    task.addDoneCallback(() => {
      if (this.current !== task) return; // the loop halted first and told the outcome
      this.current = this.currentDone = null;
      // Retrieves main's error now, before close() would report it as never retrieved.
      const outcome = outcomeOf(task);
      const interrupted = this.interrupted;
      if (interrupted !== null && !outcome.ok && outcome.error instanceof CancelledError) {
        onOutcome({ ok: false, error: interrupted });
      } else {
        onOutcome(outcome);
      }
    });
    return task;
  }

  /** Starts the shutdown once; `onClosed` runs when the loop is closed. */
  private shutdown(onClosed: () => void): void {
    if (this.state === 'closed') {
      onClosed();
      return;
    }
    this.closeWaiters.push(onClosed);
    if (this.state === 'closing') return;
    this.state = 'closing';
    const loop = this.loop;
    const shutdown = loop.createTask(shutdownTasks(loop), { name: 'run() shutdown' });
    const close = (): void => {
      if (loop.isRunning()) {
        // The scheduler ran this at once, inside the loop's own callback (queueScheduler does
        // when the loop's batch came from the host's turn, outside its queue): close() would
        // fail there, so run again once the callback has returned, as a delayed action.
        loop.scheduler.schedule(close, 1);
        return;
      }
      closeQuietly(loop);
      this.state = 'closed';
      for (const done of this.closeWaiters.splice(0)) done();
    };
    shutdown.addDoneCallback(() => {
      // close() must run outside the loop's own callbacks: use a separate scheduler action.
      try {
        loop.scheduler.schedule(close);
      } catch (exception) {
        // The scheduler broke during the shutdown: halting makes the loop call `_onHalt`
        // (which closes it) once this callback has returned.
        loop._halt(
          exception instanceof Error ? exception : new RuntimeError(String(exception)),
          'The scheduler threw: the event loop cannot run any more',
        );
      }
    });
  }
}

// How many loop iterations a halted loop may still run for the tasks' synchronous cleanup.
const HALT_CLEANUP_ITERATIONS = 10_000;

function closedError(what: string): RuntimeError {
  return new RuntimeError(
    `${what}(): Runner is closed; a closed Runner cannot run again, create a new one`,
  );
}

function outcomeOf<T>(task: Future<T>): RunOutcome<T> {
  try {
    return { ok: true, value: task.result() };
  } catch (error) {
    return { ok: false, error };
  }
}

function closeQuietly(loop: EventLoop): void {
  try {
    loop.close();
  } catch (exception) {
    loop.callExceptionHandler({ message: 'Exception while closing the loop', exception });
  }
}

/** Cancels every other pending task and waits for them, until none is left; then the hooks. */
function* shutdownTasks(loop: EventLoop): Coroutine<void> {
  for (;;) {
    const self = loop._currentTask;
    const toCancel = [...loop._pendingTasks].filter((t) => t !== self);
    if (toCancel.length === 0) break;
    for (const t of toCancel) t.cancel();
    yield* allDone(loop, toCancel);
    for (const t of toCancel) {
      // An error another task already retrieved (it awaited this one) is not lost: asyncio
      // reports it anyway, rx-asyncio reports each error once.
      if (t.cancelled() || t._logTraceback === null) continue;
      const exception = t.exception();
      if (exception !== null) {
        loop.callExceptionHandler({
          message: 'unhandled exception during run() shutdown',
          exception,
          task: t,
        });
      }
    }
  }
  for (const hook of loop._shutdownHooks.splice(0)) {
    try {
      yield* hook();
    } catch (exception) {
      loop.callExceptionHandler({ message: 'Exception in a run() shutdown hook', exception });
    }
  }
}

/** A future that completes when every one of `futures` is done (outcomes are not retrieved). */
function allDone(loop: EventLoop, futures: readonly Future<unknown>[]): Future<void> {
  const all = loop.createFuture<void>();
  let left = futures.length;
  const one = (): void => {
    if (--left === 0 && !all.done()) all.setResult(undefined);
  };
  for (const f of futures) f.addDoneCallback(one);
  return all;
}
