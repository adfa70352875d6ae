/**
 * @internal Errors a pool job leaves behind on its worker (issue 14, item 7): what the worker
 * reports of them, and how the pool words them. Why they exist: a job can return while a timer,
 * callback or Promise it started goes on; what those throw has no job to fail. Nobody awaits
 * them, so, as asyncio does with such errors, they go to the loop's exception handler, naming
 * the job that left them, and the worker runs on. A `process.exit()` is the exception: the worker
 * really dies, and the job it was running fails, saying which job ended it.
 * @module
 */
import type { EventLoop } from '../kernel/EventLoop.js';
import type { ExceptionContext } from '../kernel/EventLoopOptions.js';
import { type Job, jobName, type Nameable } from './poolJob.js';
import { reviveError, type WireError } from './reviveError.js';

/** The job an error is blamed on: its id and what names it (its spec, without the source). */
type Blamed = { readonly id: number } & Nameable;

/** @internal A worker's `{ stray }` message (see workerSource). */
export interface StrayReport {
  readonly stray: 'exception' | 'rejection' | 'exit';
  /** The error as it crossed (exception, rejection), or the exit code. */
  readonly detail: WireError | number;
  /** The job whose code left it, or null: outside any job. */
  readonly job: Blamed | null;
  /**
   * True when the blame is exact (Node: each job runs in its own async context); false in
   * browsers, where `job` is only the job that started last on the worker.
   */
  readonly exact: boolean;
  /** Browsers: the job that started before `job`. */
  readonly previous?: Blamed | null;
}

/**
 * @internal The exception-handler context for an uncaught error or unhandled rejection a worker
 * reported; `running` is the job the worker runs now, if any.
 */
export function strayContext(report: StrayReport, running: Job | undefined): ExceptionContext {
  const what =
    report.stray === 'rejection' ? 'A Promise rejection nobody handled' : 'An uncaught error';
  const name = report.job === null ? null : jobName(report.job);
  const bystander =
    running === undefined || running.id === report.job?.id
      ? ''
      : ` (the job it runs now, ${jobName(running.spec)}, is not affected)`;
  return {
    message: `${what} ${where(report, running)}; nothing awaits it, so it is reported here, and the worker runs on${bystander}`,
    exception: reviveError(report.detail as WireError, name ?? 'outside any job'),
    job: name,
  };
}

/** Where the error came from, as far as the worker could tell. */
function where(report: StrayReport, running: Job | undefined): string {
  const job = report.job;
  if (job === null) return 'on a pool worker, outside any job';
  const name = jobName(job);
  const isRunning = running?.id === job.id;
  if (report.exact) {
    return isRunning
      ? `in a timer, callback or Promise of ${name}, outside what the job awaits`
      : `in a timer, callback or Promise that ${name} left behind after it returned`;
  }
  const previous = report.previous ?? null;
  const before = previous === null ? '' : ` (the one before it was ${jobName(previous)})`;
  const candidates = isRunning
    ? `${name} (running there now) or of an earlier job${before}`
    : `${name} (the last job to run there) or of an earlier job`;
  return `on a pool worker, in a timer, callback or Promise of ${candidates}: a browser cannot tell which`;
}

/**
 * @internal What to add to the crash message of `job` when its worker died from a
 * `process.exit()` the worker reported: who called it.
 */
export function exitBlame(report: StrayReport, job: Job): string {
  const call = `process.exit(${String(report.detail)})`;
  const blamed = report.job;
  if (blamed === null) return `: ${call} was called outside any job`;
  if (blamed.id === job.id) return `: ${jobName(blamed)} called ${call}`;
  return (
    `: the earlier job ${jobName(blamed)} called ${call} from a timer, callback or Promise it ` +
    `left behind, so ${jobName(job.spec)} did not fail by itself`
  );
}

/**
 * @internal The context for a worker that died with no job of its own running: nothing fails,
 * so the death and its cause are reported.
 */
export function idleDeathContext(error: Error, exit: StrayReport | null): ExceptionContext {
  const blamed = exit?.job ?? null;
  const cause =
    exit === null
      ? ''
      : blamed === null
        ? `: process.exit(${String(exit.detail)}) was called outside any job`
        : `: ${jobName(blamed)} called process.exit(${String(exit.detail)}) from a timer, ` +
          'callback or Promise it left behind after it returned';
  return {
    message: `A pool worker died while running no job (${error.message})${cause}; a new worker will replace it when needed`,
    exception: error,
    job: blamed === null ? null : jobName(blamed),
  };
}

/**
 * @internal Reports `context` on `loop`: from inside the loop, as its other reports are, or at
 * once if the loop is closed (the error must not be lost).
 */
export function reportOn(loop: EventLoop, context: ExceptionContext): void {
  if (loop.isClosed()) loop.callExceptionHandler(context);
  else loop._callSoon(callHandler as never, 2, loop, context);
}

function callHandler(loop: EventLoop, context: ExceptionContext): void {
  loop.callExceptionHandler(context);
}
