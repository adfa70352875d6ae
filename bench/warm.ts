/**
 * Cold against warm: the same rx-asyncio workload measured eight times in a row, once with the two
 * forced full GCs that the main harness (bench/index.ts) runs before every measurement, once
 * without. After a forced GC V8 throws away much of rx-asyncio's optimized kernel code (`--trace-deopt`
 * says "weak objects"), so each measurement of the main table re-warms; without it the kernel
 * stays optimized. Prints the median of the last six runs of each.
 *
 *   node --expose-gc --import tsx bench/warm.ts
 */
import { fullGc, median } from './harness.js';
import { loadQueue, w2PingPong, w2Yield2 } from './systems/rx-asyncio.js';

type Measure = (n: number) => Promise<number>;

async function series(f: Measure, n: number, gc: boolean): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < 8; i++) {
    if (gc) fullGc();
    xs.push(await f(n));
  }
  return median(xs.slice(2));
}

const Queue = await loadQueue();
const cases: [string, Measure, number][] = [
  ['sleep(0), two tasks (yields/s)', w2Yield2, 1_000_000],
  ...(Queue
    ? [['Queue ping-pong (round trips/s)', w2PingPong(Queue), 100_000] as [string, Measure, number]]
    : []),
];
for (const [name, f, n] of cases) {
  const cold = await series(f, n, true);
  const warm = await series(f, n, false);
  console.log(
    `${name}: after forced GCs ${(cold / 1e6).toFixed(2)}M, warm ${(warm / 1e6).toFixed(2)}M (${(warm / cold).toFixed(2)}x)`,
  );
}
