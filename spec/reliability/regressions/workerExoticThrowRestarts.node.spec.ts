/**
 * Issue 14, item 12: a job throwing a null-prototype object, a Proxy, or an object whose
 * `message`/`name`/`toString` throws made the worker's own error reporting throw; the worker died
 * and the job failed with `WorkerCrashedError "worker died (Cannot convert object to primitive
 * value)"`, then the worker was restarted. Now the job fails with a plain `Error` saying what was
 * thrown, and the same worker runs the next job.
 */

import { getRunningLoop, run, WorkerCrashedError, WorkerPool } from '../../../src/index.js';

async function threadId(): Promise<number> {
  const wt = await import('node:worker_threads');
  return wt.threadId;
}

function throwNullProto(): never {
  throw Object.create(null);
}

function throwProxy(): never {
  const boom = (): never => {
    throw new Error('trap');
  };
  throw new Proxy({}, { get: boom, has: boom, getPrototypeOf: boom });
}

function throwBadMessage(): never {
  throw {
    get message(): string {
      throw new Error('no message for you');
    },
  };
}

describe('regression: a worker throwing an exotic value was reported as a crash and restarted', () => {
  it('each job fails with a clear Error; the worker is not restarted', async () => {
    const pool = new WorkerPool({ maxWorkers: 1, prefetch: 1 });
    try {
      const outcome = await run(
        (function* () {
          const loop = getRunningLoop();
          const before = yield* loop.runInExecutor(pool, threadId);
          const errors: unknown[] = [];
          for (const fn of [throwNullProto, throwProxy, throwBadMessage]) {
            try {
              yield* loop.runInExecutor(pool, fn);
              errors.push('no error');
            } catch (e) {
              errors.push(e);
            }
          }
          const after = yield* loop.runInExecutor(pool, threadId);
          return { before, after, errors };
        })(),
        { handleSigint: false, detectDeadlock: false },
      );
      expect(outcome.after).toBe(outcome.before);
      for (const e of outcome.errors) {
        expect(e).toBeInstanceOf(Error);
        expect(e).not.toBeInstanceOf(WorkerCrashedError);
      }
      const messages = outcome.errors.map((e) => (e as Error).message);
      expect(messages[0]).toMatch(
        /^the job threw a value that cannot be described .*\[object Object\]/,
      );
      expect(messages[1]).toMatch(/^the job threw a value that cannot be described/);
      expect(messages[2]).toMatch(/^the job threw a value that cannot be described/);
    } finally {
      await pool.shutdown();
    }
  }, 120_000);
});
