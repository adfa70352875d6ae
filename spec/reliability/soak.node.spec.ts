/**
 * Soak and leak checks, short version (the long one is `npm run test:stress`). Every workload
 * must finish with the right results, no report, and nothing left in the loop. The heap must stay
 * flat: within 2 MB after a forced GC when `gc` is exposed (`node --expose-gc`), else within a
 * generous 64 MB over rounds (a leak of ~200 bytes per task would exceed it).
 */
import {
  cancelTimeoutCycles,
  deepYieldChain,
  heapGrowth,
  longGather,
  type SoakResult,
  sequentialTasks,
} from './support/soak.js';

const gcExposed = typeof (globalThis as { gc?: unknown }).gc === 'function';
const MB = 1024 * 1024;

function expectClean(r: SoakResult): void {
  expect(r.problems).toEqual([]);
  expect(r.leftovers).toEqual({ tasks: 0, timers: 0, ready: 0, unretrieved: 0 });
}

function expectFlatHeap(r: SoakResult): void {
  const growth = heapGrowth(r);
  expect(growth)
    .withContext(`heap samples (MB): ${r.heap.map((h) => (h / MB).toFixed(1)).join(', ')}`)
    .toBeLessThan(gcExposed ? 2 * MB : 64 * MB);
}

describe('reliability: soak and leaks (short)', () => {
  it('300,000 sequential tasks: nothing left behind, heap flat', () => {
    const r = sequentialTasks(5, 60_000);
    expectClean(r);
    expectFlatHeap(r);
  });

  it('30,000 cancel / timeout cycles: nothing left behind, heap flat', () => {
    const r = cancelTimeoutCycles(5, 6_000);
    expectClean(r);
    expectFlatHeap(r);
  });

  it('a 2,000-level yield* chain runs (the engine limit is measured by test:stress)', () => {
    expect(deepYieldChain(2_000)).toBe(2_000);
  });

  it('gathers of 100,000 done futures and of 100,000 coroutines', () => {
    expectClean(longGather(100_000, 'futures'));
    expectClean(longGather(100_000, 'coroutines'));
  });
});
