/**
 * `npm run bench:fleet`: the BullMQ executor (rx-asyncio/bullmq) against BullMQ used directly
 * (`Queue` + `Worker` + `QueueEvents`), in the same run, on a redis-server started here.
 *
 * Per worker-process count (1, 2, 4): 10,000 small jobs submitted at once (cost per job), and
 * 100 CPU-heavy jobs of ~50 ms each (throughput, and its scaling with processes). Both sides run
 * the same job functions (bench/fleet/fleetBenchJobs.ts), with the same worker concurrency, and
 * add one job per call (no bulk add: a `runInExecutor` call is one job). Each measurement is the
 * better of two rounds (`FLEET_ROUNDS`), bare and executor alternating. Writes section `fleet` of bench/RESULTS.md.
 */
import { cpus } from 'node:os';
import { Queue, QueueEvents } from 'bullmq';
import {
  redisMissing,
  type Started,
  startNodeScript,
  startRedis,
  startWorker,
} from '../spec/bullmq/support/fleetHarness.js';
import { BullMQExecutor } from '../src/bullmq/index.js';
import { type Coroutine, gather, getRunningLoop, run, workerFunction } from '../src/index.js';
import { writeResultsSection } from './resultsSection.js';

const JOBS = new URL('./fleet/fleetBenchJobs.ts', import.meta.url);
const BARE_WORKER = new URL('./fleet/bareWorker.ts', import.meta.url);
const tiny = workerFunction<[number], number>(JOBS, 'tiny');
const burn = workerFunction<[number], number>(JOBS, 'burn');

const SMALL = Number(process.env.FLEET_SMALL ?? 10_000);
const HEAVY = Number(process.env.FLEET_HEAVY ?? 100);
const HEAVY_MS = 50;
const PROCESSES = (process.env.FLEET_PROCESSES ?? '1,2,4').split(',').map(Number);
const CONCURRENCY = 8; // per worker process, both sides
const ROUNDS = Number(process.env.FLEET_ROUNDS ?? 2);

interface Measure {
  small: number; // ms per small job (wall time of the batch / jobs)
  heavy: number; // CPU-heavy jobs per second
}

async function bareBatch(
  port: number,
  queueName: string,
  name: string,
  n: number,
  arg: number,
): Promise<number> {
  const connection = { host: '127.0.0.1', port };
  const queue = new Queue(queueName, { connection, streams: { events: { maxLen: 100_000 } } });
  // From the start of the (fresh) stream: with the default '$', events of jobs that finish
  // before its first read reaches Redis would be missed.
  const events = new QueueEvents(queueName, { connection, lastEventId: '0-0' });
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
  const t0 = performance.now();
  let done = 0;
  const batch = `${name}-${Math.random().toString(36).slice(2, 10)}-`;
  const finished = new Promise<void>((resolve, reject) => {
    events.on('completed', ({ jobId }) => {
      if (jobId.startsWith(batch) && ++done === n) resolve();
    });
    events.on('failed', ({ failedReason }) => reject(new Error(failedReason)));
  });
  // Ids chosen here, as the executor does: completions of this batch only are counted.
  const adds: Promise<unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const jobId = batch + i;
    adds.push(queue.add(name, { n: arg }, { jobId, removeOnComplete: true, removeOnFail: 1000 }));
  }
  await Promise.all(adds);
  await finished;
  const ms = performance.now() - t0;
  await Promise.all([events.close(), queue.close()]);
  return ms;
}

async function executorBatch(
  port: number,
  queueName: string,
  fn: typeof tiny,
  n: number,
  arg: number,
): Promise<number> {
  const executor = new BullMQExecutor({
    connection: { host: '127.0.0.1', port },
    queueName,
    modules: { jobs: JOBS },
    queueOptions: { streams: { events: { maxLen: 100_000 } } },
  });
  try {
    await executor.whenReady();
    return await run(
      (function* (): Coroutine<number> {
        const loop = getRunningLoop();
        const t0 = performance.now();
        const jobs = [];
        for (let i = 0; i < n; i++) jobs.push(loop.runInExecutor(executor, fn, arg));
        yield* gather(...jobs);
        return performance.now() - t0;
      })(),
    );
  } finally {
    await executor.shutdown();
  }
}

async function measure(port: number, processes: number, bare: boolean): Promise<Measure> {
  const queueName = `${bare ? 'bare' : 'rx'}-${processes}-${Math.random().toString(36).slice(2, 8)}`;
  const workers: Started[] = await Promise.all(
    Array.from({ length: processes }, () =>
      bare
        ? startNodeScript([BARE_WORKER.pathname, String(port), queueName, String(CONCURRENCY)])
        : startWorker({
            port,
            queue: queueName,
            modules: { jobs: JOBS.href },
            concurrency: CONCURRENCY,
          }),
    ),
  );
  try {
    const cpu = process.cpuUsage();
    const small = bare
      ? await bareBatch(port, queueName, 'tiny', SMALL, 1)
      : await executorBatch(port, queueName, tiny, SMALL, 1);
    if (process.env.FLEET_TRACE) {
      const used = process.cpuUsage(cpu);
      console.log(
        `${bare ? 'bare' : 'rx'} small: ${small.toFixed(0)} ms wall, client CPU ${((used.user + used.system) / 1000).toFixed(0)} ms`,
      );
    }
    const heavy = bare
      ? await bareBatch(port, queueName, 'burn', HEAVY, HEAVY_MS)
      : await executorBatch(port, queueName, burn, HEAVY, HEAVY_MS);
    return { small: small / SMALL, heavy: HEAVY / (heavy / 1000) };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
}

function best(a: Measure | undefined, b: Measure): Measure {
  if (a === undefined) return b;
  return { small: Math.min(a.small, b.small), heavy: Math.max(a.heavy, b.heavy) };
}

async function main(): Promise<void> {
  const missing = redisMissing();
  if (missing !== undefined) {
    console.error(`bench:fleet needs redis-server: ${missing}`);
    process.exit(1);
  }
  const redis = await startRedis();
  const rows: { processes: number; bare: Measure; rx: Measure }[] = [];
  try {
    for (const processes of PROCESSES) {
      let bare: Measure | undefined;
      let rx: Measure | undefined;
      for (let round = 0; round < ROUNDS; round++) {
        bare = best(bare, await measure(redis.port, processes, true));
        rx = best(rx, await measure(redis.port, processes, false));
      }
      rows.push({ processes, bare: bare!, rx: rx! });
      console.log(
        `${processes} worker process(es): small ${rx!.small.toFixed(3)} ms/job vs bare ${bare!.small.toFixed(3)}; ` +
          `heavy ${rx!.heavy.toFixed(1)} jobs/s vs bare ${bare!.heavy.toFixed(1)}`,
      );
    }
  } finally {
    await redis.stop();
  }
  const base = rows[0]!;
  const lines = [
    '## Fleet: BullMQExecutor vs bare BullMQ (`npm run bench:fleet`)',
    '',
    `${SMALL.toLocaleString('en')} small jobs submitted at once, and ${HEAVY} CPU-heavy jobs of ${HEAVY_MS} ms of CPU time each, ` +
      `through \`BullMQExecutor\` (rx-asyncio/bullmq, \`rx-asyncio-worker\` processes) and through BullMQ ` +
      `used directly (\`Queue.add\` per job, \`Worker\`, \`QueueEvents\`), in the same run, on a local ` +
      `redis-server. Worker concurrency ${CONCURRENCY} per process on both ` +
      `sides; better of ${ROUNDS} rounds. Measured on a shared, busy ${cpus().length}-core machine ` +
      "(other engineers' builds and tests ran at the same time): compare the ratios, not the absolute numbers.",
    '',
    '| worker processes | small: rx-asyncio ms/job | small: bare ms/job | ratio (target <= 1.2x) | heavy: rx-asyncio jobs/s | heavy: bare jobs/s | ratio | heavy speed-up vs 1 process (rx-asyncio / bare) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.processes} | ${r.rx.small.toFixed(3)} | ${r.bare.small.toFixed(3)} | ` +
        `${(r.rx.small / r.bare.small).toFixed(2)}x | ${r.rx.heavy.toFixed(1)} | ${r.bare.heavy.toFixed(1)} | ` +
        `${(r.bare.heavy / r.rx.heavy).toFixed(2)}x | ${(r.rx.heavy / base.rx.heavy).toFixed(2)}x / ` +
        `${(r.bare.heavy / base.bare.heavy).toFixed(2)}x |`,
    ),
    '',
    `CPU-heavy throughput can scale only up to the cores (${cpus().length} here, shared with the redis-server and ` +
      'this client); past that, more processes only share them.',
  ];
  writeResultsSection('fleet', lines.join('\n'));
  console.log(lines.join('\n'));
}

await main();
