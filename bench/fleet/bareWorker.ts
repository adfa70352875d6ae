/**
 * The baseline worker of bench/fleet.ts: BullMQ used directly (its own `Worker`), running the
 * same job functions as the rx-asyncio workers. Usage: bareWorker.ts PORT QUEUE CONCURRENCY
 */
import { Worker } from 'bullmq';
import { burn, tiny } from './fleetBenchJobs.js';

const [port, queue, concurrency] = process.argv.slice(2);
const worker = new Worker(
  queue!,
  async (job) => (job.name === 'burn' ? burn(job.data.n as number) : tiny(job.data.n as number)),
  {
    connection: { host: '127.0.0.1', port: Number(port) },
    concurrency: Number(concurrency),
    maxStalledCount: 0,
  },
);
await worker.waitUntilReady();
console.log(`rx-asyncio-worker ready pid=${process.pid} queue=${queue} (bare BullMQ)`);
process.on('SIGTERM', () => void worker.close().then(() => process.exit(0)));
