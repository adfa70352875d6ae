/**
 * `npm start -- fleet`: offloaded work past one machine. Starts a local redis-server and two
 * `rx-asyncio-worker` processes (standing in for workers on other hosts, which would point at the
 * same Redis), then fans a batch of CPU jobs out to them through a `BullMQExecutor`, with
 * `mapToThread` as with a local pool. Needs the `redis-server` binary (Debian: apt-get install
 * redis-server); without it, it says so and exits with status 1.
 */
import { from, lastValueFrom, toArray } from 'rxjs';
import {
  redisMissing,
  type Started,
  startRedis,
  startWorker,
} from '../spec/bullmq/support/fleetHarness.js';
import { BullMQExecutor } from '../src/bullmq/index.js';
import { ensureFuture, mapToThread, run, workerFunction } from '../src/index.js';

const WORK = new URL('./fleet/work.ts', import.meta.url);
const countPrimes = workerFunction<[number, number], { n: number; primes: number; pid: number }>(
  WORK,
  'countPrimes',
);

export async function runFleet(print: (...values: unknown[]) => void = console.log): Promise<void> {
  const missing = redisMissing();
  if (missing !== undefined) {
    console.error(`fleet example: cannot start Redis: ${missing}`);
    process.exit(1);
  }
  print('starting redis-server and two rx-asyncio-worker processes...');
  const redis = await startRedis();
  const workers: Started[] = [];
  try {
    workers.push(
      ...(await Promise.all(
        [1, 2].map(() =>
          startWorker({ port: redis.port, queue: 'fleet-example', modules: { work: WORK.href } }),
        ),
      )),
    );
    print(
      `redis on 127.0.0.1:${redis.port}; workers: pid ${workers.map((w) => w.pid).join(', pid ')}`,
    );
    const executor = new BullMQExecutor({
      connection: redis.connection,
      queueName: 'fleet-example',
      modules: { work: WORK },
    });
    const sizes = [200_000, 400_000, 300_000, 500_000, 250_000, 350_000, 450_000, 150_000];
    await run(
      (function* () {
        // The same operator as with a local pool; only the executor differs.
        const results = yield* ensureFuture(
          lastValueFrom(from(sizes).pipe(mapToThread(countPrimes, { executor }), toArray())),
        );
        for (const r of results) print(`primes below ${r.n}: ${r.primes} (worker pid ${r.pid})`);
      })(),
    ).finally(() => executor.shutdown());
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await redis.stop();
  }
}
