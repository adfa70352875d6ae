/**
 * BullMQExecutor against real components: a redis-server on a free loopback port, two
 * `rx-asyncio-worker` processes, and jobs submitted from this (third) process. Run by
 * `npm run test:distributed` (also in .ci/run). Every wait is bounded by an outcome with a
 * generous hang guard; nothing depends on the machine's speed.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { from, lastValueFrom, toArray } from 'rxjs';
import { BullMQExecutor, type BullMQExecutorOptions } from '../../src/bullmq/index.js';
import {
  ExecutorQueueFullError,
  ExecutorShutdownError,
  JobRefusedError,
  WorkerCrashedError,
} from '../../src/errors.js';
import {
  sleep as asleep,
  type Coroutine,
  type EventLoop,
  ensureFuture,
  getRunningLoop,
  mapToThread,
  run,
  workerFunction,
} from '../../src/index.js';
import {
  type RedisServer,
  redisMissing,
  type Started,
  startRedis,
  startWorker,
} from './support/fleetHarness.js';

const JOBS = new URL('./fixtures/fleetJobs.ts', import.meta.url);
const FORBIDDEN = new URL('./fixtures/fleetForbidden.ts', import.meta.url);
const add = workerFunction<[number, number], number>(JOBS, 'add');
const fail = workerFunction<[string], never>(JOBS, 'fail');
const touch = workerFunction<[string, string], string>(JOBS, 'touch');
const barrier = workerFunction<[string, string, number], number>(JOBS, 'barrier');
const block = workerFunction<[string, string], string>(JOBS, 'block');
const stubborn = workerFunction<[string, string], string>(JOBS, 'stubborn');
const makeDate = workerFunction<[], Date>(JOBS, 'makeDate');
const steal = workerFunction<[], string>(FORBIDDEN, 'steal');

const SPEC_MS = 90_000;
const missing = redisMissing();

describe('BullMQExecutor with a real redis-server, two worker processes and this process submitting', () => {
  if (missing !== undefined) {
    console.log(`fleet specs skipped: ${missing}`);
    it('needs redis-server', () => pending(missing));
    return;
  }

  let redis: RedisServer;
  let workers: Started[] = [];
  let crashWorkers: Started[] = [];
  let base: string;
  /** This spec's own directory of marker files (a fresh one per spec). */
  let dir: string;
  let marker: string;
  const executors: BullMQExecutor[] = [];

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'rx-asyncio-fleet-'));
    marker = join(base, 'forbidden-loaded');
    redis = await startRedis();
    const started = await Promise.all([
      ...[1, 2].map(() =>
        startWorker({
          port: redis.port,
          queue: 'main',
          modules: { jobs: JOBS.href },
          concurrency: 1,
          env: { RX_FLEET_FORBIDDEN_MARKER: marker },
        }),
      ),
      // The crash spec's own queue, so the shared workers stay alive; short locks so the survivor
      // notices soon (still far above any pause of a live worker's event loop).
      ...[1, 2].map(() =>
        startWorker({
          port: redis.port,
          queue: 'crash',
          modules: { jobs: JOBS.href },
          lockDuration: 8000,
          stalledInterval: 1000,
        }),
      ),
    ]);
    workers = started.slice(0, 2);
    crashWorkers = started.slice(2);
  }, SPEC_MS);

  beforeEach(() => {
    dir = mkdtempSync(join(base, 'spec-'));
  });

  afterEach(async () => {
    // Whatever a spec left blocked is released, so the workers are idle for the next one.
    for (const f of ['a', 'b', 'c', 'd', 'e', 'k', 'w'])
      writeFileSync(join(dir, `${f}.release`), '');
    await Promise.all(executors.splice(0).map((e) => e.shutdown()));
  }, SPEC_MS);

  afterAll(async () => {
    await Promise.all([...workers, ...crashWorkers].map((w) => w.stop()));
    await redis?.stop();
    rmSync(base, { recursive: true, force: true });
  }, SPEC_MS);

  function executor(options: Partial<BullMQExecutorOptions> = {}): BullMQExecutor {
    const e = new BullMQExecutor({
      connection: redis.connection,
      queueName: 'main',
      modules: { jobs: JOBS },
      ...options,
    });
    executors.push(e);
    return e;
  }

  /** Runs `main` on a real-time loop whose exception handler records what it is told. */
  async function runFleet<T>(main: () => Coroutine<T>, reports: string[] = []): Promise<T> {
    return run(
      (function* () {
        getRunningLoop().setExceptionHandler((_loop: EventLoop, ctx) => {
          reports.push(ctx.message);
        });
        return yield* main();
      })(),
    );
  }

  const file = (name: string): string => join(dir, name);
  const started = (name: string): boolean => existsSync(file(`${name}.started`));

  it(
    'returns results, fanned out over both workers (mapToThread, runInExecutor)',
    async () => {
      const ex = executor();
      const out = await runFleet(function* () {
        const loop = getRunningLoop();
        // mapToThread calls add(value, index).
        const sums = yield* ensureFuture(
          lastValueFrom(
            from([1, 2, 3, 4, 5, 6, 7, 8]).pipe(mapToThread(add, { executor: ex }), toArray()),
          ),
        );
        const one = yield* loop.runInExecutor(ex, add, 20, 22);
        // Two jobs that can only finish while both run at once: on two different workers.
        const pids = yield* gatherPids(loop, ex);
        return { sums, one, pids };
      });
      expect(out.sums).toEqual([1, 3, 5, 7, 9, 11, 13, 15]);
      expect(out.one).toBe(42);
      expect(new Set(out.pids).size).toBe(2);
      expect(out.pids.every((p) => workers.some((w) => w.pid === p))).toBeTrue();
    },
    SPEC_MS,
  );

  function* gatherPids(loop: EventLoop, ex: BullMQExecutor): Coroutine<number[]> {
    const a = loop.runInExecutor(ex, barrier, dir, 'pair', 2);
    const b = loop.runInExecutor(ex, barrier, dir, 'pair', 2);
    return [yield* a, yield* b];
  }

  it(
    'sends back a thrown error with its class, message and the worker-side stack',
    async () => {
      const ex = executor();
      const error = await runFleet(function* () {
        try {
          yield* getRunningLoop().runInExecutor(ex, fail, 'too big');
        } catch (e) {
          return e;
        }
        return undefined;
      });
      expect(error).toBeInstanceOf(RangeError);
      expect((error as Error).message).toBe('too big');
      expect((error as Error).stack).toContain('fleetJobs.ts');
      expect((error as Error).stack).toContain('<BullMQ worker>');
    },
    SPEC_MS,
  );

  it(
    'refuses at submit what cannot travel: a self-contained function, a non-JSON argument',
    async () => {
      const ex = executor();
      await runFleet(function* () {
        const loop = getRunningLoop();
        expect(() => loop.runInExecutor(ex, (n: number) => n * 2, 1)).toThrowError(
          TypeError,
          /the queue carries data, never code/,
        );
        expect(() => loop.runInExecutor(ex, add, 1, new Date() as never)).toThrowError(
          TypeError,
          /args\[1\] is a Date/,
        );
        // A result that cannot travel fails the job with a TypeError from the worker.
        let error: unknown;
        try {
          yield* loop.runInExecutor(ex, makeDate);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(TypeError);
        expect((error as Error).message).toMatch(/is a Date/);
      });
    },
    SPEC_MS,
  );

  it(
    'cancelling a job still waiting in Redis removes it: it never runs',
    async () => {
      const ex = executor();
      await runFleet(function* () {
        const loop = getRunningLoop();
        const a = loop.runInExecutor(ex, block, dir, 'a');
        const b = loop.runInExecutor(ex, block, dir, 'b');
        yield* until(() => started('a') && started('b'), 'both workers busy');
        const waiting = loop.runInExecutor(ex, touch, dir, 'never');
        const after = loop.runInExecutor(ex, touch, dir, 'after');
        yield* until(
          () => ex.counts().waiting === 2 && ex.counts().running === 2,
          () => `jobs queued (${ex})`,
        );
        waiting.cancel();
        expect(waiting.cancelled()).toBeTrue();
        // The removal is a Redis round trip: release the workers once it has landed (a worker
        // that took the job first would run it, aborted, as a cancelled running job).
        yield* until(
          () => ex.counts().waiting === 1,
          () => `the cancelled job left Redis (${ex})`,
        );
        writeFileSync(file('a.release'), '');
        writeFileSync(file('b.release'), '');
        expect(yield* a).toBe('a released');
        expect(yield* b).toBe('b released');
        // FIFO: had the cancelled job stayed in Redis, it would have run before this one.
        expect(yield* after).toBe('after');
      });
      expect(existsSync(file('never'))).toBeFalse();
      expect(await ex.queue.getWaitingCount()).toBe(0);
    },
    SPEC_MS,
  );

  it(
    'cancelling a running job aborts the AbortSignal its function received',
    async () => {
      const ex = executor();
      const reports: string[] = [];
      await runFleet(function* () {
        const loop = getRunningLoop();
        const c = loop.runInExecutor(ex, block, dir, 'c');
        yield* until(() => started('c'), 'job c started');
        c.cancel();
        yield* until(() => existsSync(file('c.aborted')), 'job c saw its signal abort');
        // The worker is free again: the next job runs.
        expect(yield* loop.runInExecutor(ex, add, 1, 1)).toBe(2);
      }, reports);
      expect(readFileSync(file('c.aborted'), 'utf8')).toContain('cancelled');
      expect(reports).toEqual([]);
    },
    SPEC_MS,
  );

  it(
    'reports a cancelled job that ignores its AbortSignal as not stopped',
    async () => {
      const ex = executor({ stopTimeout: 200 });
      const reports: string[] = [];
      await runFleet(function* () {
        const loop = getRunningLoop();
        const d = loop.runInExecutor(ex, stubborn, dir, 'd');
        yield* until(() => started('d'), 'job d started');
        d.cancel();
        // It cannot finish before its release file exists, so the report must come first.
        yield* until(() => reports.length > 0, 'the not-stopped report');
        writeFileSync(file('d.release'), '');
      }, reports);
      expect(reports.length).toBe(1);
      expect(reports[0]).toMatch(
        /did not stop within 200 ms: its function ignores the AbortSignal/,
      );
    },
    SPEC_MS,
  );

  it(
    'back-pressure: maxQueue counts the jobs waiting for a worker',
    async () => {
      const ex = executor({ maxQueue: 1 });
      await runFleet(function* () {
        const loop = getRunningLoop();
        // One at a time: a job counts as waiting until a worker has taken it.
        const a = loop.runInExecutor(ex, block, dir, 'a');
        yield* until(() => ex.counts().running === 1, 'job a running');
        const b = loop.runInExecutor(ex, block, dir, 'b');
        yield* until(() => ex.counts().running === 2, 'both jobs running');
        const queued = loop.runInExecutor(ex, add, 2, 2);
        expect(() => loop.runInExecutor(ex, add, 3, 3)).toThrowError(
          ExecutorQueueFullError,
          /1 jobs already wait for a worker \(maxQueue 1\)/,
        );
        writeFileSync(file('a.release'), '');
        writeFileSync(file('b.release'), '');
        yield* a;
        yield* b;
        expect(yield* queued).toBe(4);
        expect(yield* loop.runInExecutor(ex, add, 3, 3)).toBe(6);
      });
    },
    SPEC_MS,
  );

  it(
    'shutdown() fails pending jobs with ExecutorShutdownError and aborts the running ones',
    async () => {
      const ex = executor();
      const outcome = await runFleet(function* () {
        const loop = getRunningLoop();
        const e = loop.runInExecutor(ex, block, dir, 'e');
        const w = loop.runInExecutor(ex, block, dir, 'w');
        const x = loop.runInExecutor(ex, touch, dir, 'x-ran');
        yield* until(() => started('e') && started('w'), 'jobs e, w running');
        const closing = ex.shutdown();
        const errors: unknown[] = [];
        for (const f of [e, w, x]) {
          try {
            yield* f;
          } catch (err) {
            errors.push(err);
          }
        }
        let late: unknown;
        try {
          loop.runInExecutor(ex, add, 1, 2);
        } catch (err) {
          late = err;
        }
        yield* until(
          () => existsSync(file('e.aborted')) && existsSync(file('w.aborted')),
          'aborted',
        );
        return { errors, late, closing };
      });
      await outcome.closing;
      expect(outcome.errors.length).toBe(3);
      for (const err of outcome.errors) expect(err).toBeInstanceOf(ExecutorShutdownError);
      expect(outcome.late).toBeInstanceOf(ExecutorShutdownError);
      expect(existsSync(file('x-ran'))).toBeFalse();
    },
    SPEC_MS,
  );

  it(
    'shutdown({ cancelPending: false }) waits for pending jobs',
    async () => {
      const ex = executor();
      const result = await runFleet(function* () {
        const job = getRunningLoop().runInExecutor(ex, add, 40, 2);
        const closing = ex.shutdown({ cancelPending: false });
        expect(() => getRunningLoop().runInExecutor(ex, add, 1, 2)).toThrowError(
          ExecutorShutdownError,
        );
        const value = yield* job;
        return { value, closing };
      });
      await result.closing;
      expect(result.value).toBe(42);
    },
    SPEC_MS,
  );

  it(
    'refuses a forged job naming an unlisted module without ever loading it',
    async () => {
      // Through the executor: the worker refuses, the caller gets JobRefusedError.
      const ex = executor();
      const viaExecutor = await runFleet(function* () {
        try {
          yield* getRunningLoop().runInExecutor(ex, steal);
        } catch (e) {
          return e;
        }
        return undefined;
      });
      expect(viaExecutor).toBeInstanceOf(JobRefusedError);
      expect((viaExecutor as Error).message).toMatch(/not in this worker's allowlist/);
      // Written into Redis by hand, as an attacker would: by URL, by name, an unlisted export.
      const queue = new Queue('main', { connection: redis.connection });
      const events = new QueueEvents('main', { connection: redis.connection });
      try {
        await events.waitUntilReady();
        const forged = [
          { module: FORBIDDEN.href, export: 'steal', args: '[]' },
          { module: 'fleetForbidden', export: 'steal', args: '[]' },
          { module: 'jobs', export: 'constructor', args: '[]' },
          { code: 'process.exit(1)' },
        ];
        const reasons = await Promise.all(
          forged.map(async (data) => {
            const job = await queue.add('forged', data);
            return job.waitUntilFinished(events, 30_000).then(
              () => 'completed?!',
              (e: Error) => e.message,
            );
          }),
        );
        expect(reasons[0]).toMatch(/JobRefusedError.*not in this worker's allowlist/);
        expect(reasons[1]).toMatch(/JobRefusedError.*not in this worker's allowlist/);
        expect(reasons[2]).toMatch(
          /JobRefusedError.*has no function export named \\"constructor\\"/,
        );
        expect(reasons[3]).toMatch(/JobRefusedError.*not an rx-asyncio job/);
      } finally {
        await events.close();
        await queue.close();
      }
      expect(existsSync(marker)).toBeFalse();
    },
    SPEC_MS,
  );

  describe('a worker killed mid-job', () => {
    it(
      'fails that job with WorkerCrashedError, and it never runs twice',
      async () => {
        const ex = executor({ queueName: 'crash' });
        const error = await runFleet(function* () {
          const job = getRunningLoop().runInExecutor(ex, stubborn, dir, 'k');
          yield* until(() => started('k'), 'job k started');
          const pid = Number(readFileSync(file('k.started'), 'utf8'));
          const victim = crashWorkers.find((w) => w.pid === pid);
          expect(victim).toBeDefined();
          victim?.child.kill('SIGKILL');
          try {
            yield* job;
          } catch (e) {
            return e;
          }
          return undefined;
        });
        expect(error).toBeInstanceOf(WorkerCrashedError);
        expect((error as Error).message).toMatch(/stalled-job check failed the job/);
        // The survivor is idle and serves the queue: a job after the crash runs, and k never did again.
        const ex2 = executor({ queueName: 'crash' });
        expect(await runFleet(() => oneJob(ex2))).toBe(3);
        expect(readFileSync(file('k.starts'), 'utf8').trim().split('\n').length).toBe(1);
      },
      SPEC_MS,
    );
  });

  function* oneJob(ex: BullMQExecutor): Coroutine<number> {
    return yield* getRunningLoop().runInExecutor(ex, add, 1, 2);
  }

  /** Waits in the loop (real time) until `check` holds; a generous hang guard. */
  function* until(check: () => boolean, what: string | (() => string)): Coroutine<void> {
    const deadline = Date.now() + 30_000;
    while (!check()) {
      if (Date.now() > deadline) {
        const text = typeof what === 'string' ? what : what();
        throw new Error(
          `hang guard: ${text}; workers said:\n${workers.map((w) => w.output()).join('\n')}`,
        );
      }
      yield* asleep(20);
    }
  }
});
