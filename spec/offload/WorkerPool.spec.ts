// Real worker threads (Node) or Web Workers (browser): real time by nature, so every job is tiny
// and every pool is shut down after its spec.
import {
  type Coroutine,
  createTask,
  type ExceptionContext,
  ExecutorQueueFullError,
  ExecutorShutdownError,
  type Future,
  getRunningLoop,
  run,
  sleep,
  toThread,
  transfer,
  WorkerPool,
  workerFunction,
} from '../../src/index.js';
import { canShareMemory } from '../../src/offload/claimBoard.js';

function runReal<T>(main: Coroutine<T>): Promise<T> {
  return run(main, { handleSigint: false });
}

function square(n: number): number {
  return n * n;
}

async function later(n: number): Promise<number> {
  await new Promise((r) => setTimeout(r, 5));
  return n + 1;
}

function throwsTypeError(what: string): never {
  throw new TypeError(`bad ${what}`);
}

function throwsCustom(): never {
  class ParseFailure extends Error {
    override name = 'ParseFailure';
  }
  throw new ParseFailure('line 3');
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

// Its own timer throws while it still awaits: the error has no job to fail, the job goes on.
function crashMeanwhile(): Promise<string> {
  setTimeout(() => {
    throw new Error('outside what the job awaits');
  }, 0);
  return new Promise((resolve) => setTimeout(() => resolve('finished anyway'), 50));
}

describe('WorkerPool and toThread (real workers)', () => {
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

  it('returns the result of a function run on a worker (toThread, default pool)', async () => {
    expect(
      await runReal(
        (function* () {
          return yield* toThread(square, 7);
        })(),
      ),
    ).toBe(49);
  });

  it('awaits an async function in the worker', async () => {
    expect(
      await runReal(
        (function* () {
          return yield* onPool(later, 41);
        })(),
      ),
    ).toBe(42);
  });

  it('re-throws a worker error with its class, message and stack', async () => {
    const error = await runReal(
      (function* () {
        try {
          yield* onPool(throwsTypeError, 'input');
          return null;
        } catch (e) {
          return e as Error;
        }
      })(),
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(error?.name).toBe('TypeError');
    expect(error?.message).toBe('bad input');
    expect(error?.stack).toContain('throwsTypeError');
    expect(error?.stack).toContain('<worker thread>');
  });

  it('keeps the class name of a custom error', async () => {
    const error = await runReal(
      (function* () {
        try {
          yield* onPool(throwsCustom);
          return null;
        } catch (e) {
          return e as Error;
        }
      })(),
    );
    expect(error?.name).toBe('ParseFailure');
    expect(error?.message).toBe('line 3');
  });

  it('reports an error thrown outside what a job awaits; the job and the worker go on', async () => {
    const reported: ExceptionContext[] = [];
    const [first, next] = await runReal(
      (function* () {
        getRunningLoop().setExceptionHandler((_loop, context) => reported.push(context));
        return [yield* onPool(crashMeanwhile), yield* onPool(countJob, 0)] as const;
      })(),
    );
    expect(first).toBe('finished anyway');
    expect(next).toBe(1); // the same worker's first countJob: it was not replaced
    expect(reported.length).toBe(1);
    const report = reported[0]!;
    expect(report.message).toContain('crashMeanwhile()');
    expect((report.exception as Error).message).toBe('outside what the job awaits');
    expect(report.executor).toBe(pool);
  });

  it('drops a queued job whose task is cancelled: it never runs', async () => {
    const counts = await runReal(
      (function* () {
        const a = createTask(
          (function* () {
            return yield* onPool(countJob, 500);
          })(),
        );
        const b = createTask(
          (function* () {
            return yield* onPool(countJob, 0);
          })(),
        );
        yield* sleep(0); // both tasks submitted; a is far from done
        b.cancel();
        const c = yield* onPool(countJob, 0);
        return [yield* a, b.cancelled(), c];
      })(),
    );
    expect(counts).toEqual([1, true, 2]); // b never ran on the only worker
  });

  it('terminates the worker of a cancelled running job, and replaces it', async () => {
    const result = await runReal(
      (function* () {
        const spinning = createTask(
          (function* () {
            return yield* onPool(spinForever);
          })(),
        );
        yield* sleep(50);
        spinning.cancel();
        // With one worker, this could never run if the spinning worker were still alive.
        const next = yield* onPool(square, 5);
        return [spinning.cancelled(), next];
      })(),
    );
    expect(result).toEqual([true, 25]);
  });

  it('shutdown fails pending jobs and refuses new ones', async () => {
    const [running, queued, after] = await runReal(
      (function* () {
        const loop = getRunningLoop();
        const a = loop.runInExecutor(pool, spinForever);
        const b = loop.runInExecutor(pool, square, 2);
        yield* sleep(20);
        void pool.shutdown();
        const outcome = (f: Future<unknown>) =>
          createTask(
            (function* () {
              try {
                yield* f;
                return 'ok';
              } catch (e) {
                return e;
              }
            })(),
          );
        let late: unknown;
        try {
          loop.runInExecutor(pool, square, 3);
        } catch (e) {
          late = e;
        }
        return [yield* outcome(a), yield* outcome(b), late];
      })(),
    );
    for (const e of [running, queued, after]) expect(e).toBeInstanceOf(ExecutorShutdownError);
    expect(String((after as Error).message)).toContain('shut down');
  });

  it('rejects a closure at the call with a TypeError', async () => {
    const outside = 3;
    const addOutside = (n: number) => n + outside;
    await runReal(
      (function* () {
        expect(() => toThread(addOutside, 1)).toThrowError(TypeError, /`outside`.*closure/);
        yield* sleep(0);
      })(),
    );
  });

  it('translates a closure the scan missed into the same advice, from the worker', async () => {
    // The scan counts `captured` as declared (an inner arrow's parameter), so the function
    // ships; on the worker the outer `captured` does not exist. (Built from source: a compiler
    // would rename the shadowing parameter.)
    const missed = new Function(
      'captured',
      'return function missed(n) { const f = (captured) => captured; return f(n) + captured; };',
    )(2) as (n: number) => number;
    const error = await runReal(
      (function* () {
        try {
          yield* toThread(missed, 1);
          return null;
        } catch (e) {
          return e as Error;
        }
      })(),
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(error?.message).toMatch(
      /missed uses `captured` from outside its own body.*workerFunction/,
    );
    expect((error?.cause as Error | undefined)?.name).toBe('ReferenceError');
  });

  it('rejects method shorthands, bound and native functions at the call', () => {
    const obj = {
      twice(n: number) {
        return 2 * n;
      },
    };
    expect(() => toThread(obj.twice, 1)).toThrowError(TypeError, /method shorthand/);
    expect(() => toThread(square.bind(null), 1)).toThrowError(TypeError, /bound function/);
    expect(() => toThread(Math.max, 1)).toThrowError(TypeError, /native function/);
  });

  it('transfers an ArrayBuffer: detached on the sender side', async () => {
    function total(buf: ArrayBuffer): number {
      return new Uint8Array(buf).reduce((a, b) => a + b, 0);
    }
    const buf = new Uint8Array([1, 2, 3, 4]).buffer;
    const sum = await runReal(
      (function* () {
        return yield* onPool(total, transfer(buf, [buf]) as never);
      })(),
    );
    expect(sum).toBe(10);
    expect(buf.byteLength).toBe(0);
  });

  it('transfers a result wrapped the way transfer() wraps it', async () => {
    function make(n: number) {
      const buf = new Uint8Array(n).fill(7).buffer;
      return { value: buf, [Symbol.for('rx-asyncio.transfer')]: [buf] };
    }
    const got = await runReal(
      (function* () {
        return (yield* onPool(make, 3)) as unknown as ArrayBuffer;
      })(),
    );
    expect(Array.from(new Uint8Array(got))).toEqual([7, 7, 7]);
  });

  it('runs many concurrent jobs on a small pool', async () => {
    const big = new WorkerPool({ maxWorkers: 2 });
    try {
      const results = await runReal(
        (function* () {
          const loop = getRunningLoop();
          const futures = Array.from({ length: 300 }, (_, i) => loop.runInExecutor(big, square, i));
          const out: number[] = [];
          for (const f of futures) out.push(yield* f);
          return out;
        })(),
      );
      expect(results).toEqual(Array.from({ length: 300 }, (_, i) => i * i));
    } finally {
      await big.shutdown();
    }
  });

  it('applies back-pressure with maxQueue', async () => {
    const small = new WorkerPool({ maxWorkers: 1, maxQueue: 2 });
    try {
      await runReal(
        (function* () {
          const loop = getRunningLoop();
          yield* loop.runInExecutor(small, square, 0); // the worker is up and idle
          // A lone job and an idle worker: it is handed over at once, so the queue is empty.
          const running = loop.runInExecutor(small, countJob, 30);
          const queued = [
            loop.runInExecutor(small, square, 1),
            loop.runInExecutor(small, square, 2),
          ];
          expect(() => loop.runInExecutor(small, square, 3)).toThrowError(ExecutorQueueFullError);
          yield* running;
          for (const f of queued) yield* f;
          expect(yield* loop.runInExecutor(small, square, 3)).toBe(9); // room again
        })(),
      );
    } finally {
      await small.shutdown();
    }
  });

  it('runs an export of a module named by URL', async () => {
    const src = 'export function double(x) { return x * 2 }';
    const double = workerFunction<[number], number>(
      `data:text/javascript,${encodeURIComponent(src)}`,
      'double',
    );
    expect(
      await runReal(
        (function* () {
          return yield* onPool(double, 21);
        })(),
      ),
    ).toBe(42);
  });

  it('fails clearly for a module without the named export', async () => {
    const src = 'export const x = 1';
    const missing = workerFunction(`data:text/javascript,${encodeURIComponent(src)}`, 'nope');
    const error = await runReal(
      (function* () {
        try {
          yield* onPool(missing);
          return null;
        } catch (e) {
          return e as Error;
        }
      })(),
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(error?.message).toContain('no function export named "nope"');
  });

  it('fails a job whose argument cannot be cloned, in the awaiting task', async () => {
    const error = await runReal(
      (function* () {
        try {
          yield* onPool((x: unknown) => typeof x, (() => 1) as unknown);
          return null;
        } catch (e) {
          return e as Error;
        }
      })(),
    );
    expect(error?.name).toBe('DataCloneError');
  });

  it('fails a job whose result cannot be sent back', async () => {
    const error = await runReal(
      (function* () {
        try {
          yield* onPool(() => () => 1);
          return null;
        } catch (e) {
          return e as Error;
        }
      })(),
    );
    expect(error?.message).toContain('cannot be sent back');
  });

  it('with prefetch, queues again the jobs behind a cancelled running job', async () => {
    const piped = new WorkerPool({ maxWorkers: 1, prefetch: 4 });
    try {
      const results = await runReal(
        (function* () {
          const loop = getRunningLoop();
          const spinning = loop.runInExecutor(piped, spinForever);
          const behind = [
            loop.runInExecutor(piped, square, 2),
            loop.runInExecutor(piped, square, 3),
          ];
          yield* sleep(50);
          spinning.cancel();
          const out: unknown[] = [spinning.cancelled()];
          for (const f of behind) out.push(yield* f);
          return out;
        })(),
      );
      expect(results).toEqual([true, 4, 9]);
    } finally {
      await piped.shutdown();
    }
  });

  it('with prefetch, drops the result of a cancelled job already handed to the worker', async () => {
    const piped = new WorkerPool({ maxWorkers: 1, prefetch: 4 });
    try {
      const results = await runReal(
        (function* () {
          const loop = getRunningLoop();
          yield* loop.runInExecutor(piped, square, 1); // the worker is up: jobs go to it at once
          const first = loop.runInExecutor(piped, countJob, 500);
          const second = loop.runInExecutor(piped, countJob, 0);
          const third = loop.runInExecutor(piped, countJob, 0);
          yield* sleep(0); // all three are on the worker now (the batch goes out at once)
          second.cancel();
          return [yield* first, second.cancelled(), yield* third];
        })(),
      );
      // With shared memory the worker had not claimed the second job: it never ran, and the
      // third one counts 2. Without, the worker still ran it (it had it already): 3.
      expect(results).toEqual([1, true, canShareMemory() ? 2 : 3]);
    } finally {
      await piped.shutdown();
    }
  });

  it('sends a batch in one go: an uncloneable argument fails only its own job', async () => {
    const big = new WorkerPool({ maxWorkers: 1, prefetch: 8 });
    try {
      const results = await runReal(
        (function* () {
          const loop = getRunningLoop();
          const futures = [1, () => 2, 3].map((x) =>
            loop.runInExecutor(big, (v: unknown) => typeof v, x as never),
          );
          const out: unknown[] = [];
          for (const f of futures) {
            try {
              out.push(yield* f);
            } catch (e) {
              out.push((e as Error).name);
            }
          }
          return out;
        })(),
      );
      expect(results).toEqual(['number', 'DataCloneError', 'number']);
    } finally {
      await big.shutdown();
    }
  });

  it('in a batch, an unsendable result fails only its own job', async () => {
    function maybeFn(n: number): unknown {
      return n === 2 ? () => n : n;
    }
    const big = new WorkerPool({ maxWorkers: 1, prefetch: 8 });
    try {
      const results = await runReal(
        (function* () {
          const loop = getRunningLoop();
          yield* loop.runInExecutor(big, maybeFn, 0); // loaded and known quick: later ones batch
          const futures = [1, 2, 3].map((n) => loop.runInExecutor(big, maybeFn, n));
          const out: unknown[] = [];
          for (const f of futures) {
            try {
              out.push(yield* f);
            } catch (e) {
              out.push(String((e as Error).message).includes('cannot be sent back'));
            }
          }
          return out;
        })(),
      );
      expect(results).toEqual([1, true, 3]);
    } finally {
      await big.shutdown();
    }
  });

  it('in a batch, keeps order around async jobs and transferred arguments', async () => {
    function size(buf: ArrayBuffer): number {
      return buf.byteLength;
    }
    const big = new WorkerPool({ maxWorkers: 1, prefetch: 16 });
    const buf = new ArrayBuffer(5);
    try {
      const results = await runReal(
        (function* () {
          const loop = getRunningLoop();
          const futures = [
            loop.runInExecutor(big, square, 2),
            loop.runInExecutor(big, later, 10),
            loop.runInExecutor(big, square, 3),
            loop.runInExecutor(big, size, transfer(buf, [buf]) as never),
            loop.runInExecutor(big, later, 20),
            loop.runInExecutor(big, square, 4),
          ];
          const out: unknown[] = [];
          for (const f of futures) out.push(yield* f);
          return out;
        })(),
      );
      expect(results).toEqual([4, 11, 9, 5, 21, 16]);
      expect(buf.byteLength).toBe(0);
    } finally {
      await big.shutdown();
    }
  });

  it('shows its state in toString()', () => {
    expect(String(pool)).toBe('<WorkerPool workers=0 busy=0 queued=0>');
  });

  it('validates its options', () => {
    expect(() => new WorkerPool({ maxWorkers: 0 })).toThrowError(RangeError, /maxWorkers/);
    expect(() => new WorkerPool({ maxQueue: -1 })).toThrowError(RangeError, /maxQueue/);
    expect(() => new WorkerPool({ prefetch: 1.5 })).toThrowError(RangeError, /prefetch/);
  });
});
