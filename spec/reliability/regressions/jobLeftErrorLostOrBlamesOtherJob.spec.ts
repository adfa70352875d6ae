/**
 * Issue 14, item 7: an error a pool job leaves behind (thrown by a timer it set, or a Promise
 * rejection nobody handles, after the job returned) was lost on an idle worker (Node: the worker
 * died silently; browsers: the rejection went nowhere), and on a worker running another job,
 * that innocent job failed with `WorkerCrashedError` quoting the other job's error. Now the
 * worker survives and reports it; the loop's exception handler gets it, naming the job that left
 * it, and the running job finishes.
 */

import {
  type Coroutine,
  type ExceptionContext,
  type Future,
  getRunningLoop,
  WorkerPool,
  waitFor,
} from '../../../src/index.js';
import { guarded } from '../../support/outcome.js';

/** Which worker this is: its globals survive between jobs, and a new worker has none. */
function workerMark(): number {
  const g = globalThis as { rxioWorkerMark?: number };
  g.rxioWorkerMark ??= Math.random();
  return g.rxioWorkerMark;
}

function leavesThrowingTimer(): string {
  setTimeout(() => {
    throw new Error('thrown after leavesThrowingTimer returned');
  }, 5);
  return 'returned';
}

function leavesRejection(): string {
  setTimeout(() => {
    void Promise.reject(new Error('rejected after leavesRejection returned'));
  }, 5);
  return 'returned';
}

/** Leaves an interval that throws (or rejects) once the next job, {@link innocent}, runs. */
function leavesErrorForNextJob(kind: string): string {
  const g = globalThis as { nextJobRunning?: boolean; errorLeft?: boolean };
  const timer = setInterval(() => {
    if (!g.nextJobRunning) return;
    clearInterval(timer);
    g.errorLeft = true;
    if (kind === 'reject') void Promise.reject(new Error('rejected while the next job ran'));
    else throw new Error('thrown while the next job ran');
  }, 1);
  return 'returned';
}

/** Runs until the error the job before it left has been thrown, then a little longer. */
async function innocent(): Promise<string> {
  const g = globalThis as { nextJobRunning?: boolean; errorLeft?: boolean };
  g.nextJobRunning = true;
  while (!g.errorLeft) await new Promise((resolve) => setTimeout(resolve, 1));
  await new Promise((resolve) => setTimeout(resolve, 20));
  g.nextJobRunning = false;
  g.errorLeft = false;
  return 'innocent finished';
}

interface Seen {
  results: unknown[];
  reports: ExceptionContext[];
  sameWorker: boolean;
}

/** Runs `jobs` one after another on a one-worker pool, then waits for `expected` reports. */
function onOneWorker(
  pool: WorkerPool,
  jobs: ReadonlyArray<readonly [(...args: never[]) => unknown, ...unknown[]]>,
  expected: number,
): () => Coroutine<Seen> {
  return function* () {
    const loop = getRunningLoop();
    const reports: ExceptionContext[] = [];
    const reported: Future<void> = loop.createFuture();
    loop.setExceptionHandler((_loop, context) => {
      reports.push(context);
      if (reports.length === expected && !reported.done()) reported.setResult(undefined);
    });
    const before = yield* loop.runInExecutor(pool, workerMark);
    const results: unknown[] = [];
    for (const [fn, ...args] of jobs) {
      results.push(yield* loop.runInExecutor(pool, fn as never, ...(args as never[])));
    }
    yield* waitFor(reported, 20_000);
    const after = yield* loop.runInExecutor(pool, workerMark);
    return { results, reports, sameWorker: before === after };
  };
}

describe('regression: an error a worker job left behind was lost or blamed on another job', () => {
  let pool: WorkerPool;

  beforeEach(() => {
    pool = new WorkerPool({ maxWorkers: 1 });
  });

  afterEach(async () => {
    await pool.shutdown();
  });

  it('a timer that throws after its job returned, on an idle worker, is reported', async () => {
    const seen = await guarded(onOneWorker(pool, [[leavesThrowingTimer]], 1), 60_000);
    expect(seen.results).toEqual(['returned']);
    expect(seen.sameWorker).toBe(true);
    const report = seen.reports[0]!;
    expect(report.message).toContain('leavesThrowingTimer()');
    expect(report.message).toMatch(/^An uncaught error /);
    expect((report.exception as Error).message).toBe('thrown after leavesThrowingTimer returned');
    expect(report.executor).toBe(pool);
  }, 90_000);

  it('a rejection nobody handles, left by a returned job, is reported', async () => {
    const seen = await guarded(onOneWorker(pool, [[leavesRejection]], 1), 60_000);
    expect(seen.sameWorker).toBe(true);
    const report = seen.reports[0]!;
    expect(report.message).toMatch(/^A Promise rejection nobody handled /);
    expect(report.message).toContain('leavesRejection()');
    expect((report.exception as Error).message).toBe('rejected after leavesRejection returned');
  }, 90_000);

  for (const kind of ['throw', 'reject']) {
    it(`the job running when an earlier job's leftover ${kind}s finishes; the report names the earlier one`, async () => {
      const seen = await guarded(
        onOneWorker(pool, [[leavesErrorForNextJob, kind], [innocent as never]], 1),
        60_000,
      );
      expect(seen.results).toEqual(['returned', 'innocent finished']);
      expect(seen.sameWorker).toBe(true);
      expect(seen.reports.length).toBe(1);
      const report = seen.reports[0]!;
      expect(report.message).toContain('leavesErrorForNextJob()');
      expect((report.exception as Error).message).toBe(
        kind === 'reject' ? 'rejected while the next job ran' : 'thrown while the next job ran',
      );
    }, 90_000);
  }
});
