import type { SchedulerLike } from 'rxjs';
import { RuntimeError } from '../errors.js';
import type { Coroutine } from '../kernel/Awaitable.js';
import { checkCoroutine } from '../kernel/coroutineChecks.js';
import { EventLoop, type EventLoopOptions, type ExceptionHandler } from '../kernel/EventLoop.js';
import type { Future } from '../kernel/Future.js';
import { _getRunningLoopOrNull } from '../kernel/runningLoop.js';
import type { Task } from '../kernel/Task.js';

/** Options of {@link run} and {@link Runner}. */
export interface RunOptions extends EventLoopOptions {
  /** The scheduler that drives the loop; default `asyncScheduler` (real time). */
  scheduler?: SchedulerLike;
  /** Installed on the loop before `main` starts. */
  exceptionHandler?: ExceptionHandler;
}

/** How a run ended: `main`'s result, or the error it raised (or the loop halted with). */
export type RunOutcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * asyncio's `Runner`: one loop, one `main`, and asyncio.run's shutdown. {@link run} is the usual
 * entry point; use a Runner to drive a program synchronously on a `TestScheduler` (the outcome
 * callback fires during `flush()`) or to reach the loop before `main` starts.
 *
 * Shutdown, when `main` is done: every task still pending is cancelled and awaited, round after
 * round until none is left (their async cleanup included; errors raised there are reported);
 * then the shutdown hooks run (the default executor's shutdown), the loop closes (reporting
 * exceptions nobody retrieved), and the outcome callback fires.
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
 * ```
 */
export class Runner {
  readonly loop: EventLoop;
  private started = false;

  constructor(options: RunOptions = {}) {
    if (_getRunningLoopOrNull() !== null) {
      throw new RuntimeError(
        'run() cannot be called from a running event loop: inside a coroutine, `yield*` the ' +
          'coroutine or start it with createTask()',
      );
    }
    this.loop = new EventLoop(options.scheduler, options);
    if (options.exceptionHandler) this.loop.setExceptionHandler(options.exceptionHandler);
  }

  /**
   * Starts `main` and calls `onDone` once with its outcome, after shutdown and close.
   * @returns the main task.
   */
  start<T>(main: Coroutine<T>, onDone: (outcome: RunOutcome<T>) => void): Task<T> {
    checkCoroutine('run', main);
    if (this.started)
      throw new RuntimeError('Runner.start(): a Runner runs one main coroutine; create another');
    this.started = true;
    const loop = this.loop;
    let finished = false;
    const finish = (outcome: RunOutcome<T>): void => {
      if (finished) return;
      finished = true;
      onDone(outcome);
    };
    loop._onHalt = (error) => {
      // The loop stopped (a same-instant spin): no callback can run any more, so end here.
      loop.scheduler.schedule(() => {
        closeQuietly(loop);
        finish({ ok: false, error });
      });
    };
    const mainTask = loop.createTask(main, { name: 'main' });
    mainTask.addDoneCallback(() => {
      const shutdown = loop.createTask(shutdownTasks(loop), { name: 'run() shutdown' });
      shutdown.addDoneCallback(() => {
        // close() must run outside the loop's own callbacks: use a separate scheduler action.
        loop.scheduler.schedule(() => {
          const outcome = outcomeOf(mainTask); // retrieves main's error before close() reports it
          closeQuietly(loop);
          finish(outcome);
        });
      });
    });
    return mainTask;
  }
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
