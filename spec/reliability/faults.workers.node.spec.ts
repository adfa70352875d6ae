/**
 * Fault injection for workers, beyond what spec/offload/WorkerPool.spec.ts covers (a worker that
 * crashes outside its job, a cancelled spinning job): a job that never answers, cancelled by a
 * deadline, and a worker that calls `process.exit()`. Real workers run in real time: every job is
 * tiny and the pool is shut down after each spec.
 */
import {
  type Coroutine,
  type Future,
  getRunningLoop,
  run,
  TimeoutError,
  WorkerCrashedError,
  WorkerPool,
  waitFor,
} from '../../src/index.js';

function neverAnswers(): Promise<never> {
  return new Promise(() => {});
}

function exitsWorker(): void {
  (globalThis as unknown as { process: { exit(code: number): never } }).process.exit(3);
}

function double(n: number): number {
  return 2 * n;
}

describe('reliability: worker faults (Node)', () => {
  let pool: WorkerPool;
  beforeEach(() => {
    pool = new WorkerPool({ maxWorkers: 1 });
  });
  afterEach(async () => {
    await pool.shutdown();
  });

  function onPool<A extends unknown[], R>(fn: (...a: A) => R, ...args: A): Future<Awaited<R>> {
    return getRunningLoop().runInExecutor(
      pool,
      fn as never,
      ...(args as unknown as never[]),
    ) as never;
  }

  function runReal<T>(main: Coroutine<T>): Promise<T> {
    return run(main, { handleSigint: false });
  }

  it('a job that never answers: waitFor raises TimeoutError, the worker is freed for the next job', async () => {
    const [error, next] = await runReal(
      (function* () {
        let failure: unknown;
        try {
          yield* waitFor(onPool(neverAnswers), 100);
        } catch (e) {
          failure = e;
        }
        // One worker: this runs only if the stuck one was terminated and replaced.
        return [failure, yield* waitFor(onPool(double, 21), 5000)] as const;
      })(),
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expect(next).toBe(42);
  });

  it('a worker that exits: its job fails with WorkerCrashedError, the next job runs', async () => {
    const [error, next] = await runReal(
      (function* () {
        let failure: unknown;
        try {
          yield* waitFor(onPool(exitsWorker), 5000);
        } catch (e) {
          failure = e;
        }
        return [failure, yield* waitFor(onPool(double, 4), 5000)] as const;
      })(),
    );
    expect(error).toBeInstanceOf(WorkerCrashedError);
    expect(String((error as Error).message)).toMatch(/exit|exitsWorker/);
    expect(next).toBe(8);
  });
});
