// Node-only behaviours of the worker pool: process.exit in a worker, .ts modules under tsx.
import {
  awaitable,
  type Coroutine,
  createTask,
  getRunningLoop,
  run,
  sleep,
  WorkerCrashedError,
  WorkerPool,
  workerFunction,
} from '../../src/index.js';

function runReal<T>(main: Coroutine<T>): Promise<T> {
  return run(main, { handleSigint: false });
}

function exitsTheWorker(): void {
  (globalThis as unknown as { process: { exit(code: number): never } }).process.exit(7);
}

function square(n: number): number {
  return n * n;
}

// Counts the jobs this worker ran (worker globals survive between jobs).
function countJob(busyMs: number): number {
  const g = globalThis as { jobsRun?: number };
  const end = Date.now() + busyMs;
  while (Date.now() < end) {}
  g.jobsRun = (g.jobsRun ?? 0) + 1;
  return g.jobsRun;
}

function spinForever(): never {
  for (;;) {}
}

function maybeExit(n: number): number {
  if (n < 0) (globalThis as unknown as { process: { exit(code: number): never } }).process.exit(3);
  return n;
}

describe('WorkerPool (Node)', () => {
  let pool: WorkerPool;

  beforeEach(() => {
    pool = new WorkerPool({ maxWorkers: 1 });
  });

  afterEach(async () => {
    await pool.shutdown();
  });

  it('fails only the job of a worker that calls process.exit(), and replaces the worker', async () => {
    const [failure, next] = await runReal(
      (function* () {
        const loop = getRunningLoop();
        let caught: unknown;
        try {
          yield* loop.runInExecutor(pool, exitsTheWorker);
        } catch (e) {
          caught = e;
        }
        return [caught, yield* loop.runInExecutor(pool, square, 6)] as const;
      })(),
    );
    expect(failure).toBeInstanceOf(WorkerCrashedError);
    expect((failure as Error).message).toContain('exited with code 7');
    expect(((failure as Error).cause as Error).message).toContain('code 7');
    expect(next).toBe(36);
  });

  it('imports a TypeScript module by URL when running under tsx', async () => {
    const fn = workerFunction<[unknown], string>(
      new URL('./fixtures/tsModule.ts', import.meta.url),
      'describeOnWorker',
    );
    const text = await runReal(
      (function* () {
        return yield* getRunningLoop().runInExecutor(pool, fn, [1, 2]);
      })(),
    );
    expect(text).toMatch(/^worker says /);
  });

  it('shutdown({ cancelPending: false }) lets queued jobs finish first', async () => {
    const results = await runReal(
      (function* () {
        const loop = getRunningLoop();
        const futures = [1, 2, 3].map((n) => loop.runInExecutor(pool, square, n));
        const closed = pool.shutdown({ cancelPending: false });
        const out: number[] = [];
        for (const f of futures) out.push(yield* f);
        yield* awaitable(closed);
        return out;
      })(),
    );
    expect(results).toEqual([1, 4, 9]);
    expect(pool.isShutdown()).toBe(true);
  });

  describe('exact hand-off (shared memory), default prefetch', () => {
    it('never runs a job cancelled while it waited on a busy worker', async () => {
      const results = await runReal(
        (function* () {
          const loop = getRunningLoop();
          yield* loop.runInExecutor(pool, square, 1); // the worker is up
          const first = loop.runInExecutor(pool, countJob, 60);
          const second = loop.runInExecutor(pool, countJob, 0);
          const third = loop.runInExecutor(pool, countJob, 0);
          yield* sleep(20); // all three are on the worker now
          second.cancel();
          return [yield* first, second.cancelled(), yield* third];
        })(),
      );
      expect(results).toEqual([1, true, 2]);
    });

    it('cancelling the running job stops it; each job behind it runs once, elsewhere', async () => {
      const results = await runReal(
        (function* () {
          const loop = getRunningLoop();
          const spinning = loop.runInExecutor(pool, spinForever);
          const behind = [0, 0, 0].map((ms) => loop.runInExecutor(pool, countJob, ms));
          yield* sleep(50);
          spinning.cancel();
          const out: unknown[] = [spinning.cancelled()];
          for (const f of behind) out.push(yield* f);
          return out;
        })(),
      );
      // A new worker ran them: its count starts at 1, and none ran twice.
      expect(results).toEqual([true, 1, 2, 3]);
    });

    it('an idle worker takes back the jobs waiting behind a long one', async () => {
      const two = new WorkerPool({ maxWorkers: 2 });
      try {
        const longDone = await runReal(
          (function* () {
            const loop = getRunningLoop();
            const long = createTask(
              (function* () {
                return yield* loop.runInExecutor(two, countJob, 400);
              })(),
            );
            yield* sleep(0);
            const tiny = Array.from({ length: 8 }, () => loop.runInExecutor(two, countJob, 1));
            for (const f of tiny) yield* f;
            const done = long.done();
            yield* long;
            return done;
          })(),
        );
        expect(longDone).toBe(false);
      } finally {
        await two.shutdown();
      }
    });

    it('runs a job at most once: a result lost with a stopped worker fails, never reruns', async () => {
      const results = await runReal(
        (function* () {
          const loop = getRunningLoop();
          // 20 quick calls: countJob now counts as bulk tiny jobs, whose results travel together.
          for (let i = 0; i < 20; i++) yield* loop.runInExecutor(pool, countJob, 0);
          // `first` goes at once; `quick` and `long` follow in one batch, so `quick`'s result
          // waits to travel with `long`'s, which never comes: `long` is cancelled and its
          // worker terminated.
          const first = loop.runInExecutor(pool, countJob, 0);
          const quick = loop.runInExecutor(pool, countJob, 0);
          const long = loop.runInExecutor(pool, countJob, 10_000);
          const out: unknown[] = [yield* first];
          yield* sleep(100);
          long.cancel();
          out.push(long.cancelled());
          try {
            out.push(yield* quick);
          } catch (e) {
            out.push(e instanceof WorkerCrashedError && /result was lost/.test(e.message));
          }
          out.push(yield* loop.runInExecutor(pool, countJob, 0)); // a new worker: count 1
          return out;
        })(),
      );
      expect(results).toEqual([21, true, true, 1]);
    });

    it('a worker that exits in a batch of quick jobs fails only that job', async () => {
      const results = await runReal(
        (function* () {
          const loop = getRunningLoop();
          yield* loop.runInExecutor(pool, maybeExit, 0); // loaded and known quick: next ones batch
          const futures = [1, 2, -1, 4].map((n) => loop.runInExecutor(pool, maybeExit, n));
          const out: unknown[] = [];
          for (const f of futures) {
            try {
              out.push(yield* f);
            } catch (e) {
              out.push(e instanceof WorkerCrashedError);
            }
          }
          return out;
        })(),
      );
      expect(results).toEqual([1, 2, true, 4]);
    });
  });
});
