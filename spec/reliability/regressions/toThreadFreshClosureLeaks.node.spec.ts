/**
 * Issue 14, item 6: `toThread((x) => x * 2, i)` in a loop passes a new function object each call.
 * Each one got its own spec, its own pool-wide id, its own entry in the worker's books (main side)
 * and in the worker's function maps, so both heaps grew without bound (~230 B and ~309 B a call)
 * and each call re-scanned the source. Now functions are known by their text, in bounded caches on
 * both sides (the least recently used go; a worker re-learns one that comes back).
 *
 * White-box: the counts of the pool's and the worker's books are read from the pool's private
 * fields, because heap sizes are no verdict on a busy machine (`npm run bench:closures` measures
 * the heaps over 1,000,000 calls).
 */
import {
  type Coroutine,
  gather,
  getRunningLoop,
  run,
  toThread,
  WorkerPool,
} from '../../../src/index.js';
import { WORKER_FUNCTIONS } from '../../../src/offload/WorkerSlot.js';
import { SPEC_CACHE_SIZE } from '../../../src/offload/workSpec.js';

interface Books {
  _specs: { size: number };
  _slots: Array<{ _known: { size: number } }>;
}

function books(pool: WorkerPool): { specs: number; known: number[] } {
  const b = pool as unknown as Books;
  return { specs: b._specs.size, known: b._slots.map((s) => s._known.size) };
}

function onPool<T>(pool: WorkerPool, main: () => Coroutine<T>): Promise<T> {
  return run(
    (function* () {
      getRunningLoop().setDefaultExecutor(pool);
      return yield* main();
    })(),
  );
}

describe('regression: a fresh closure per toThread call grows both heaps', () => {
  it('3,000 calls of one arrow, each a new function object: one function in the books', async () => {
    const pool = new WorkerPool({ maxWorkers: 1 });
    const out = await onPool(pool, function* () {
      const calls: Coroutine<number>[] = [];
      for (let i = 0; i < 3000; i++) calls.push(toThread((x: number) => x * 2, i));
      const results = yield* gather(...calls);
      return { last: results[2999], books: books(pool) }; // before run() shuts the pool down
    });
    expect(out.last).toBe(5998);
    expect(out.books).toEqual({ specs: 1, known: [1] });
  }, 120_000);

  it('more distinct functions than the caches hold: bounded books, and evicted ones still run', async () => {
    const pool = new WorkerPool({ maxWorkers: 1 });
    const distinct = SPEC_CACHE_SIZE + 500;
    const fns = Array.from(
      { length: distinct },
      (_, i) => new Function('x', `return x + ${i};`) as (x: number) => number,
    );
    const out = await onPool(pool, function* () {
      const first: Coroutine<number>[] = fns.map((f) => toThread(f, 1000));
      const a = yield* gather(...first);
      // The first ones were dropped from every cache by now: they must be re-learned.
      const again = yield* gather(...fns.slice(0, 50).map((f) => toThread(f, 2000)));
      return { results: [...a, ...again], books: books(pool) };
    });
    expect(out.results.slice(0, distinct)).toEqual(fns.map((_, i) => 1000 + i));
    expect(out.results.slice(distinct)).toEqual(fns.slice(0, 50).map((_, i) => 2000 + i));
    const { specs, known } = out.books;
    expect(known.length).toBe(1);
    expect(specs).toBeLessThanOrEqual(1024);
    expect(known.every((n) => n <= WORKER_FUNCTIONS)).toBeTrue();
  }, 120_000);
});
