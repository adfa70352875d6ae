import { asapScheduler } from 'rxjs';
import { type Coroutine, getRunningLoop, run, WorkerPool } from '../src/index.js';

function tiny(n: number): number {
  return n + 1;
}
for (let r = 0; r < 8; r++) {
  const pool = new WorkerPool({ maxWorkers: 2 });
  let ms = 0;
  await run(
    (function* (): Coroutine<void> {
      const loop = getRunningLoop();
      const warm = Array.from({ length: 200 }, (_, i) => loop.runInExecutor(pool, tiny, i));
      for (const f of warm) yield* f;
      const t0 = performance.now();
      const futures = Array.from({ length: 20000 }, (_, i) => loop.runInExecutor(pool, tiny, i));
      for (const f of futures) yield* f;
      ms = performance.now() - t0;
    })(),
    { handleSigint: false, scheduler: asapScheduler },
  );
  await pool.shutdown();
  console.log(((20000 / ms) * 1000).toFixed(0));
}
