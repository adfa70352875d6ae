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

// Counts the jobs this worker ran (worker globals survive between jobs). With `ran`, it also
// publishes the count there, so the main thread can see that the job ran without its result.
function countJob(busyMs: number, ran?: Int32Array): number {
  const g = globalThis as { jobsRun?: number };
  const end = Date.now() + busyMs;
  while (Date.now() < end) {}
  g.jobsRun = (g.jobsRun ?? 0) + 1;
  if (ran) Atomics.store(ran, 0, g.jobsRun);
  return g.jobsRun;
}

// A job that blocks its worker until the main thread opens the gate, then counts like countJob.
// Shared memory makes "still running when we act" an outcome, not a race against a busy-wait.
function gatedCount(gate: Int32Array): number {
  Atomics.wait(gate, 0, 0);
  const g = globalThis as { jobsRun?: number };
  g.jobsRun = (g.jobsRun ?? 0) + 1;
  return g.jobsRun;
}

function newGate(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4));
}

function open(gate: Int32Array): void {
  Atomics.store(gate, 0, 1);
  Atomics.notify(gate, 0);
}

/** Waits (in small real sleeps; the spec timeout is the hang guard) until a job published its count. */
function* untilRan(ran: Int32Array): Coroutine<void> {
  while (Atomics.load(ran, 0) === 0) yield* sleep(5);
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
          const gate = newGate();
          const first = loop.runInExecutor(pool, gatedCount, gate); // holds the worker
          const second = loop.runInExecutor(pool, countJob, 0);
          const third = loop.runInExecutor(pool, countJob, 0);
          yield* sleep(0); // the batch of two is posted to the worker now
          second.cancel();
          open(gate);
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
            const gate = newGate(); // the long job runs until we open it
            const long = createTask(
              (function* () {
                return yield* loop.runInExecutor(two, gatedCount, gate);
              })(),
            );
            yield* sleep(0);
            const tiny = Array.from({ length: 8 }, () => loop.runInExecutor(two, countJob, 1));
            for (const f of tiny) yield* f;
            const done = long.done();
            open(gate);
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
          const ran = new Int32Array(new SharedArrayBuffer(4));
          const first = loop.runInExecutor(pool, countJob, 0);
          const quick = loop.runInExecutor(pool, countJob, 0, ran);
          const long = loop.runInExecutor(pool, countJob, 600_000); // ends only by cancel
          const out: unknown[] = [yield* first];
          yield* untilRan(ran); // `quick` ran; its result waits for `long`'s
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
      // Whether `quick`'s result was held for `long`'s (lost: an error) or travelled alone (22)
      // depends on the pool's measured-duration batching, which a busy machine changes. Either
      // way it ran once: the new worker's first job counts 1, so nothing ran again there.
      const [firstCount, longCancelled, quickOutcome, fresh] = results;
      expect([firstCount, longCancelled, fresh]).toEqual([21, true, 1]);
      expect([true, 22] as unknown[]).toContain(quickOutcome);
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
