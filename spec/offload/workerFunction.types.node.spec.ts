/**
 * Type-level tests of workerFunction typed by its module: checked by `npm run typecheck` (an
 * unused @ts-expect-error fails it), and the calls run for real in Node.
 */
import {
  type Coroutine,
  getRunningLoop,
  run,
  toThread,
  type WorkerFunction,
  WorkerPool,
  workerFunction,
} from '../../src/index.js';

type Work = typeof import('./fixtures/typedWork.js');
const url = new URL('./fixtures/typedWork.ts', import.meta.url);

type Equals<A, B> =
  (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_proof?: T): void {}

const hash = workerFunction<Work, 'hash'>(url, 'hash');
const label = workerFunction<Work, 'label'>(url, 'label');

function* typed() {
  const h = yield* toThread(hash, 'abc');
  assertType<Equals<typeof h, number>>();
  const withSeed = yield* toThread(hash, 'abc', 7);
  assertType<Equals<typeof withSeed, number>>();
  const l = yield* toThread(label, 3); // an async export: its awaited value
  assertType<Equals<typeof l, string>>();
  return [h, withSeed, l] as const;
}

function* misuse(): Coroutine<void> {
  // @ts-expect-error hash takes a string, not a number
  yield* toThread(hash, 42);
  // @ts-expect-error label takes one number
  yield* toThread(label, 'x');
}

// @ts-expect-error not an export of the module
workerFunction<Work, 'nope'>(url, 'nope');
// @ts-expect-error an export, but not a function
workerFunction<Work, 'notAFunction'>(url, 'notAFunction');
// The explicit form still works.
const explicit = workerFunction<[string], number>(url, 'hash');
assertType<Equals<typeof explicit, WorkerFunction<[string], number>>>();
const fromLocal = workerFunction(url, 'hash', (s: string) => s.length);
assertType<Equals<typeof fromLocal, WorkerFunction<[s: string], number>>>();

describe('workerFunction typed by its module', () => {
  it('types the arguments and the awaited result from the module (checked by typecheck)', () => {
    expect(typeof typed).toBe('function');
    expect(typeof misuse).toBe('function');
  });

  it('runs the typed functions on a worker (a .ts module URL: Node under tsx)', async () => {
    const pool = new WorkerPool({ maxWorkers: 1 });
    try {
      const out = await run(
        (function* () {
          getRunningLoop().setDefaultExecutor(pool);
          return yield* typed();
        })(),
        { handleSigint: false },
      );
      expect(out[2]).toBe('#3');
      expect(out[0]).toBe(out[0] >>> 0);
    } finally {
      await pool.shutdown();
    }
  });
});
