/**
 * W8: thread offload against the floor, a bare `worker_threads` postMessage round trip measured
 * in the same run. Latency of one tiny job (median of 2,000 sequential) and throughput of 20,000
 * tiny jobs submitted at once, each on a pool of 2 workers.
 *
 * `benchOffload()` returns the rows for bench/index.ts; `npx tsx bench/offload.ts` prints them.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { asapScheduler, asyncScheduler, type SchedulerLike } from 'rxjs';
import { type Coroutine, getRunningLoop, run, WorkerPool } from '../src/index.js';

/** A row of the W8 table (see bench/report.ts). */
export interface OffloadBenchRow {
  name: string;
  value: number;
  unit: string;
  baseline: number;
  ratio: number;
  /** A non-default configuration, shown for comparison (no target of its own). */
  comparison?: boolean;
}

const LATENCY_JOBS = 2_000;
const THROUGHPUT_JOBS = 20_000;
const POOL = 2;
const ROUNDS = 5;
// WorkerPool's default where workers share memory (Node): see WorkerPoolOptions.prefetch.
const DEFAULT_PREFETCH = 256;

function tiny(n: number): number {
  return n + 1;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

// --- The floor: two bare workers answering { id, n } with { id, n + 1 }.

const BARE_SOURCE = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => parentPort.postMessage({ id: m.id, value: m.n + 1 }));
`;

class BarePool {
  private readonly workers: Worker[];
  private readonly waiting = new Map<number, () => void>();
  private next = 0;

  constructor(size: number) {
    this.workers = Array.from({ length: size }, () => {
      const w = new Worker(BARE_SOURCE, { eval: true });
      w.on('message', (m: { id: number }) => {
        const done = this.waiting.get(m.id);
        this.waiting.delete(m.id);
        done?.();
      });
      return w;
    });
  }

  call(n: number): Promise<void> {
    const id = this.next++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.workers[id % this.workers.length]!.postMessage({ id, n });
    });
  }

  close(): Promise<unknown> {
    return Promise.all(this.workers.map((w) => w.terminate()));
  }
}

async function bareLatency(): Promise<number> {
  const pool = new BarePool(1);
  const times: number[] = [];
  for (let i = 0; i < 200; i++) await pool.call(i); // warm-up
  for (let i = 0; i < LATENCY_JOBS; i++) {
    const t0 = performance.now();
    await pool.call(i);
    times.push(performance.now() - t0);
  }
  await pool.close();
  return median(times) * 1000;
}

async function bareThroughput(): Promise<number> {
  const pool = new BarePool(POOL);
  await Promise.all(Array.from({ length: 200 }, (_, i) => pool.call(i))); // warm-up
  const t0 = performance.now();
  await Promise.all(Array.from({ length: THROUGHPUT_JOBS }, (_, i) => pool.call(i)));
  const ms = performance.now() - t0;
  await pool.close();
  return THROUGHPUT_JOBS / (ms / 1000);
}

// --- rx-asyncio: loop.runInExecutor on a WorkerPool of 2, awaited by a coroutine under run().

async function rxioLatency(scheduler: SchedulerLike): Promise<number> {
  const pool = new WorkerPool({ maxWorkers: POOL });
  const times: number[] = [];
  await run(
    (function* (): Coroutine<void> {
      const loop = getRunningLoop();
      for (let i = 0; i < 200; i++) yield* loop.runInExecutor(pool, tiny, i);
      for (let i = 0; i < LATENCY_JOBS; i++) {
        const t0 = performance.now();
        yield* loop.runInExecutor(pool, tiny, i);
        times.push(performance.now() - t0);
      }
    })(),
    { handleSigint: false, scheduler },
  );
  await pool.shutdown();
  return median(times) * 1000;
}

async function rxioThroughput(prefetch?: number): Promise<number> {
  // Undefined: the pool's default prefetch (the configuration most users get).
  const pool = new WorkerPool(
    prefetch === undefined ? { maxWorkers: POOL } : { maxWorkers: POOL, prefetch },
  );
  let ms = 0;
  await run(
    (function* (): Coroutine<void> {
      const loop = getRunningLoop();
      const warm = Array.from({ length: 200 }, (_, i) => loop.runInExecutor(pool, tiny, i));
      for (const f of warm) yield* f;
      const t0 = performance.now();
      const futures = Array.from({ length: THROUGHPUT_JOBS }, (_, i) =>
        loop.runInExecutor(pool, tiny, i),
      );
      for (const f of futures) yield* f;
      ms = performance.now() - t0;
    })(),
    { handleSigint: false, scheduler: asapScheduler },
  );
  await pool.shutdown();
  return THROUGHPUT_JOBS / (ms / 1000);
}

const row = (name: string, unit: string, value: number, baseline: number): OffloadBenchRow => ({
  name,
  value,
  unit,
  baseline,
  ratio: value / baseline,
});

/**
 * Runs W8 and returns its rows; each ratio is rx-asyncio / bare measured in this same run. The loop's
 * scheduler matters for latency: a job's completion wakes the loop through it, and run()'s
 * default `asyncScheduler` re-arms with `setInterval(0)`, which Node clamps to 1 ms.
 */
export async function benchOffload(): Promise<OffloadBenchRow[]> {
  const n = LATENCY_JOBS.toLocaleString('en');
  const m = THROUGHPUT_JOBS.toLocaleString('en');
  // Rounds interleave the systems, so that JIT warm-up and machine noise hit them alike.
  const lat: Record<string, number[]> = { bare: [], asap: [], async: [] };
  const tput: Record<string, number[]> = { bare: [], p1: [], p32: [], def: [] };
  for (let round = 0; round < ROUNDS; round++) {
    lat.bare!.push(await bareLatency());
    lat.asap!.push(await rxioLatency(asapScheduler));
    lat.async!.push(await rxioLatency(asyncScheduler));
    tput.bare!.push(await bareThroughput());
    tput.p1!.push(await rxioThroughput(1));
    tput.p32!.push(await rxioThroughput(32));
    tput.def!.push(await rxioThroughput());
  }
  const med = (xs: number[] | undefined): number => median(xs ?? []);
  const bareLat = med(lat.bare);
  const bareTput = med(tput.bare);
  return [
    row(
      `latency of one tiny job (median of ${n} sequential), asapScheduler loop`,
      'µs',
      med(lat.asap),
      bareLat,
    ),
    row(
      `latency of one tiny job (median of ${n} sequential), run() default asyncScheduler`,
      'µs',
      med(lat.async),
      bareLat,
    ),
    row(
      `throughput, ${m} tiny jobs at once, pool of ${POOL}, default prefetch (${DEFAULT_PREFETCH})`,
      'jobs/s',
      med(tput.def),
      bareTput,
    ),
    // One job per worker at a time: every job pays a full round trip (the browser default).
    {
      ...row(
        `throughput, ${m} tiny jobs at once, pool of ${POOL}, prefetch 1`,
        'jobs/s',
        med(tput.p1),
        bareTput,
      ),
      comparison: true,
    },
    {
      ...row(
        `throughput, ${m} tiny jobs at once, pool of ${POOL}, prefetch 32`,
        'jobs/s',
        med(tput.p32),
        bareTput,
      ),
      comparison: true,
    },
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const row of await benchOffload()) {
    console.log(
      `${row.name}: rx-asyncio ${row.value.toFixed(1)} ${row.unit}, bare ${row.baseline.toFixed(1)} ${row.unit}, ratio ${row.ratio.toFixed(2)}`,
    );
  }
}
