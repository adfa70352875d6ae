#!/usr/bin/env node
/**
 * `rx-asyncio-worker`: runs a fleet worker (see `startBullMQWorker`) until SIGINT/SIGTERM.
 *
 *     rx-asyncio-worker --queue hashing --redis redis://127.0.0.1:6379 \
 *       --module work=./dist/work.js [--module more=file:///srv/more.js] [--concurrency 1]
 *
 * Prints `rx-asyncio-worker ready pid=<pid> queue=<name>` on stdout once it takes jobs.
 * @module
 */
import { parseWorkerArgs } from './parseWorkerArgs.js';
import { startBullMQWorker } from './startBullMQWorker.js';

let options: ReturnType<typeof parseWorkerArgs>;
try {
  options = parseWorkerArgs(process.argv.slice(2), process.cwd(), process.env);
} catch (e) {
  console.error(`rx-asyncio-worker: ${(e as Error).message}`);
  process.exit(2);
}
const handle = await startBullMQWorker(options);
console.log(`rx-asyncio-worker ready pid=${process.pid} queue=${options.queueName}`);
let stopping = false;
const stop = (signal: string): void => {
  if (stopping) {
    // A second signal: stop waiting for running jobs.
    void handle.close(true).finally(() => process.exit(1));
    return;
  }
  stopping = true;
  console.log(`rx-asyncio-worker: ${signal}: finishing running jobs, then exiting`);
  void handle.close().then(() => process.exit(0));
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
