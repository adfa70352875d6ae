/**
 * Issue 14, item 7 (Node): a `process.exit()` a pool job leaves behind (in a timer, after the job
 * returned) really kills its worker. On an idle worker the death went unreported; on a worker
 * running another job, that job failed with a `WorkerCrashedError` that did not say the other
 * job had ended the worker. Now an idle death is reported to the loop's exception handler, and
 * the running job's error names the earlier job that called `process.exit()`.
 */

import {
  type ExceptionContext,
  type Future,
  getRunningLoop,
  WorkerCrashedError,
  WorkerPool,
  waitFor,
} from '../../../src/index.js';
import { guarded, raised } from '../../support/outcome.js';

function exitsLater(): string {
  setTimeout(() => (globalThis as { process?: { exit(code: number): void } }).process?.exit(9), 5);
  return 'returned';
}

/** Leaves an interval that exits the worker once the next job, {@link innocent}, runs. */
function exitsWhenNextJobRuns(): string {
  const g = globalThis as {
    nextJobRunning?: boolean;
    process?: { exit(code: number): void };
  };
  const timer = setInterval(() => {
    if (!g.nextJobRunning) return;
    clearInterval(timer);
    g.process?.exit(9);
  }, 1);
  return 'returned';
}

/** Never finishes by itself: its worker is ended under it. */
function innocent(): Promise<string> {
  (globalThis as { nextJobRunning?: boolean }).nextJobRunning = true;
  return new Promise(() => {});
}

function exitsNow(): void {
  (globalThis as { process?: { exit(code: number): void } }).process?.exit(3);
}

function square(n: number): number {
  return n * n;
}

describe('regression: a process.exit() a worker job left behind went unreported or unexplained', () => {
  let pool: WorkerPool;

  beforeEach(() => {
    pool = new WorkerPool({ maxWorkers: 1 });
  });

  afterEach(async () => {
    await pool.shutdown();
  });

  it('the job running when an earlier job exits the worker fails, naming that job', async () => {
    const [failure, next] = await guarded(function* () {
      const loop = getRunningLoop();
      yield* loop.runInExecutor(pool, exitsWhenNextJobRuns);
      const error = yield* raised(loop.runInExecutor(pool, innocent));
      return [error, yield* loop.runInExecutor(pool, square, 4)] as const;
    }, 60_000);
    expect(failure).toBeInstanceOf(WorkerCrashedError);
    const message = (failure as Error).message;
    expect(message).toContain('the worker that was running innocent() died');
    expect(message).toContain('exited with code 9');
    expect(message).toContain('the earlier job exitsWhenNextJobRuns() called process.exit(9)');
    expect(message).toContain('innocent() did not fail by itself');
    expect(next).toBe(16); // a new worker took over
  }, 90_000);

  it('an idle worker ended by a job it ran is reported, naming the job', async () => {
    const reports = await guarded(function* () {
      const loop = getRunningLoop();
      const seen: ExceptionContext[] = [];
      const reported: Future<void> = loop.createFuture();
      loop.setExceptionHandler((_loop, context) => {
        seen.push(context);
        if (!reported.done()) reported.setResult(undefined);
      });
      yield* loop.runInExecutor(pool, exitsLater);
      yield* waitFor(reported, 20_000);
      return seen;
    }, 60_000);
    expect(reports.length).toBe(1);
    const report = reports[0]!;
    expect(report.message).toMatch(/^A pool worker died while running no job/);
    expect(report.message).toContain('exitsLater() called process.exit(9)');
    expect((report.exception as Error).message).toContain('exited with code 9');
    expect(report.executor).toBe(pool);
  }, 90_000);

  it('a job that exits its own worker fails, saying so', async () => {
    const failure = await guarded(function* () {
      return yield* raised(getRunningLoop().runInExecutor(pool, exitsNow));
    }, 60_000);
    expect(failure).toBeInstanceOf(WorkerCrashedError);
    expect((failure as Error).message).toContain('exitsNow() called process.exit(3)');
    expect((failure as Error).message).not.toContain('earlier job');
  }, 90_000);
});
