import { TestScheduler } from 'rxjs/testing';
import { DeadlockError } from '../src/errors.js';
import type { EventLoop } from '../src/index.js';
import {
  type Coroutine,
  type ExceptionContext,
  Runner,
  type RunOptions,
  type RunOutcome,
} from '../src/index.js';
import { pendingTaskCount } from '../src/kernel/internals.js';
import { describeDifference, firstDifference } from './deepEqual.js';

/**
 * A `TestScheduler` for running coroutines: no frame limit (a plain TestScheduler stops flushing
 * at 750 frames, which would silently drop every later timer) and, by default, an assertion
 * function using the kit's {@link deepEqual} (Node's `util.isDeepStrictEqual` semantics) that
 * throws on mismatch, naming the path where the values differ and both sides.
 *
 * @example
 * ```ts
 * import { virtualScheduler } from 'rx-asyncio/marbles';
 * const scheduler = virtualScheduler();
 * scheduler.flush();
 * ```
 */
export function virtualScheduler(
  assertDeepEqual: ConstructorParameters<typeof TestScheduler>[0] = defaultDeepEqual,
): TestScheduler {
  const scheduler = new TestScheduler(assertDeepEqual);
  scheduler.maxFrames = Number.POSITIVE_INFINITY;
  return scheduler;
}

function defaultDeepEqual(actual: unknown, expected: unknown): void {
  const d = firstDifference(expected, actual);
  if (d) throw new Error(`the values differ ${describeDifference(d)}`);
}

/** What {@link runVirtual} observed. */
export interface VirtualRun<T> {
  /** How `main` ended; undefined if it never did (it still waits on something). */
  outcome: RunOutcome<T> | undefined;
  /** The virtual time (ms) at which the run ended (or the flush stopped). */
  time: number;
  /** Everything the loop reported to its exception handler, in order. */
  reports: ExceptionContext[];
  loop: EventLoop;
  scheduler: TestScheduler;
  /**
   * Set when the run stopped with tasks still waiting and nothing that could wake them (no ready
   * callback, no timer): a deadlock, with a task dump. Null otherwise.
   */
  deadlock: DeadlockError | null;
}

/** Options of {@link runVirtual}. */
export interface VirtualRunOptions extends RunOptions {
  scheduler?: TestScheduler;
  /** Called with the loop before `main` starts (attach a recorder, a tie-break policy...). */
  setup?: (loop: EventLoop) => void;
}

/**
 * The deadlock check: tasks still pending, nothing ready, no timer pending, and the loop neither
 * closed nor halted. Call it after `scheduler.flush()`; returns the error to report, or null.
 * Something outside the loop (a Promise, a worker) could still wake a task in real time; in a
 * virtual-time run nothing else is coming.
 *
 * @example
 * ```ts
 * import { EventLoop } from 'rx-asyncio';
 * import { detectDeadlock, virtualScheduler } from 'rx-asyncio/marbles';
 * const scheduler = virtualScheduler();
 * const loop = new EventLoop(scheduler);
 * loop.createTask(function* () { yield* loop.createFuture(); }(), { name: 'stuck' });
 * scheduler.flush();
 * console.log(detectDeadlock(loop)?.message);
 * ```
 */
export function detectDeadlock(loop: EventLoop): DeadlockError | null {
  const pending = pendingTaskCount(loop);
  if (loop.isClosed() || loop.haltedWith() !== null || pending === 0 || !loop.isIdle()) return null;
  const dump = loop.dumpTasks();
  return new DeadlockError(
    `deadlock at ${loop.time()} ms: ${pending} task(s) still wait and nothing is ` +
      'scheduled that could wake them (no ready callback, no timer). ' +
      (REAL_JOB.test(dump)
        ? REAL_JOB_HINT
        : 'Find the future or lock nobody will complete or release. ') +
      `Pending tasks:\n${dump}`,
  );
}

// A task waiting on a WorkerPool job shows `waiting on <job name() ...>` in the dump.
const REAL_JOB = /waiting on <job /;
const REAL_JOB_HINT =
  'A task waits on a job of a real executor (a WorkerPool, e.g. the default one of toThread): ' +
  'its worker answers in real time, which a virtual-time run never waits for. In virtual time, ' +
  'use a FakeExecutor from rx-asyncio/marbles: getRunningLoop().setDefaultExecutor(new ' +
  'FakeExecutor(script)) at the start of the scenario (or pass it to runInExecutor). ';

/**
 * Runs `main` with asyncio.run's semantics on a virtual-time scheduler and returns at once, with
 * no real time spent: a 10-second program takes microseconds. Reports that would go to the
 * console are collected in `reports` instead.
 *
 * @example
 * ```ts
 * import { sleep } from 'rx-asyncio';
 * import { runVirtual } from 'rx-asyncio/marbles';
 * const r = runVirtual(function* () { yield* sleep(10_000); return 'ok'; }());
 * console.log(r.outcome, r.time); // { ok: true, value: 'ok' } 10000
 * ```
 */
export function runVirtual<T>(main: Coroutine<T>, options: VirtualRunOptions = {}): VirtualRun<T> {
  const scheduler = options.scheduler ?? virtualScheduler();
  const reports: ExceptionContext[] = [];
  const runner = new Runner({
    exceptionHandler: (_loop, context) => {
      reports.push(context);
    },
    ...options,
    scheduler,
  });
  options.setup?.(runner.loop);
  let outcome: RunOutcome<T> | undefined;
  let time = Number.NaN;
  runner.start(main, (o) => {
    outcome = o;
    time = scheduler.now();
  });
  scheduler.flush();
  const loop = runner.loop;
  return {
    outcome,
    time: outcome === undefined ? scheduler.now() : time,
    reports,
    loop,
    scheduler,
    deadlock: outcome === undefined ? detectDeadlock(loop) : null,
  };
}
