// Node-only behaviours of the worker pool: process.exit in a worker, .ts modules under tsx.
import {
  awaitable,
  type Coroutine,
  getRunningLoop,
  run,
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
});
