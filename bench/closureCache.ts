/**
 * Issue 14, item 6: a fresh closure per `toThread` call, `toThread((x) => x * 2, i)` in a loop.
 * Each call passes a new function object with the same source; the heap of the main thread and
 * of the worker must stay flat (the function is cached by its source text, in bounded caches on
 * both sides), and the call should cost about what a hoisted function costs.
 *
 *   node --expose-gc --import tsx bench/closureCache.ts [calls=1000000] [--write]
 *   npm run bench:closures    (1,000,000 calls, writes the section)
 *
 * Runs the hoisted and the fresh-closure loops in the same process, one worker, batches of 1,000
 * concurrent calls; prints the heap (after a full GC) of both threads at checkpoints and the time
 * per call of each. `--write` puts the table in section `closure-cache` of bench/RESULTS.md.
 */
import { loadavg } from 'node:os';
import { type Coroutine, gather, getRunningLoop, run, toThread, WorkerPool } from '../src/index.js';
import { writeResultsSection } from './resultsSection.js';

const calls = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const write = process.argv.includes('--write');
const BATCH = 1000;
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

function double(x: number): number {
  return x * 2;
}

/** The worker's own heap after a full GC (the worker inherits --expose-gc). */
function workerHeap(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

function mainHeap(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}

interface Row {
  mode: string;
  at: number;
  main: number;
  worker: number;
}

function* loop(mode: 'hoisted' | 'fresh', rows: Row[]): Coroutine<number> {
  yield* toThread(workerHeap); // warms the worker
  const checkpoints = new Set([calls / 10, calls / 2, calls].map(Math.round));
  const t0 = performance.now();
  let busy = 0;
  for (let done = 0; done < calls; ) {
    const n = Math.min(BATCH, calls - done);
    const batch: Coroutine<number>[] = [];
    for (let i = 0; i < n; i++) {
      batch.push(
        mode === 'hoisted' ? toThread(double, done + i) : toThread((x: number) => x * 2, done + i),
      );
    }
    const out = yield* gather(...batch);
    if (out[n - 1] !== (done + n - 1) * 2) throw new Error('wrong result');
    done += n;
    if (checkpoints.has(done)) {
      const s = performance.now();
      rows.push({
        mode,
        at: done,
        main: mainHeap(),
        worker: (yield* toThread(workerHeap)) as number,
      });
      busy += performance.now() - s;
    }
  }
  return (performance.now() - t0 - busy) / calls;
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

const rows: Row[] = [];
const load0 = loadavg()[0]!;
const pool = new WorkerPool({ maxWorkers: 1 });
const perCall = await run(
  (function* (): Coroutine<Record<string, number>> {
    getRunningLoop().setDefaultExecutor(pool);
    const hoisted = yield* loop('hoisted', rows);
    const fresh = yield* loop('fresh', rows);
    return { hoisted, fresh };
  })(),
);
const load1 = loadavg()[0]!;

const lines = [
  `toThread in batches of ${BATCH}, ${calls.toLocaleString('en')} calls per loop, one worker; ` +
    `load average ${load0.toFixed(1)} before, ${load1.toFixed(1)} after (shared 2-core machine).`,
  '',
  '| loop | after calls | main heap | worker heap |',
  '|---|---:|---:|---:|',
  ...rows.map(
    (r) => `| ${r.mode} | ${r.at.toLocaleString('en')} | ${mb(r.main)} | ${mb(r.worker)} |`,
  ),
  '',
  `Time per call: hoisted ${(perCall.hoisted! * 1000).toFixed(2)} µs, fresh closure ` +
    `${(perCall.fresh! * 1000).toFixed(2)} µs (${(perCall.fresh! / perCall.hoisted!).toFixed(2)}×).`,
];
console.log(lines.join('\n'));
if (write)
  writeResultsSection(
    'closure-cache',
    `### toThread with a fresh closure per call (issue 14, item 6)\n\n${lines.join('\n')}\n\nCommand: \`node --expose-gc --import tsx bench/closureCache.ts ${calls} --write\`.`,
  );
