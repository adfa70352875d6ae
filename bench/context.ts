/**
 * What context variables and the AsyncLocalStorage bridge cost (issue 18):
 * `npm run bench:context` (options `--rounds=N`, `--quick`).
 *
 * W1 (spawn + join, n = 100,000) and W2 (`sleep(0)` in one task, n = 1,000,000) as in
 * `npm run bench`, each plain, with one `ContextVar` set in the spawning task (so every task
 * copies a non-empty context), and with `bridgeAsyncLocalStorage` installed, in both of its
 * captures (`AsyncLocalStorage.snapshot()`, and `{ AsyncResource }`). Rounds are interleaved
 * (bench/rounds.ts); ratios to the plain variant and the time each variant adds per task (W1) or
 * per step (W2) are medians of per-round values. Writes section `context` of bench/RESULTS.md.
 *
 * The cost of the context machinery when no variable is set (the "zero cost" claim) is an A/B of
 * two checkouts, not something one process can show: `bench/ab.ts` (see CHANGELOG.md).
 */
import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import {
  bridgeAsyncLocalStorage,
  ContextVar,
  type Coroutine,
  createTask,
  run,
  sleep,
  type Task,
} from '../src/index.js';
import { type Measure, median, now, opsPerSec } from './harness.js';
import { writeResultsSection } from './resultsSection.js';
import {
  fmtRate,
  interleavedRounds,
  loadText,
  medianExtraNs,
  medianRatio,
  type Variant,
  type Workload,
} from './rounds.js';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const rounds = Number(
  argv.find((a) => a.startsWith('--rounds='))?.split('=')[1] ?? (quick ? 1 : 7),
);

const requestId = new ContextVar<string>('requestId');

// biome-ignore lint/correctness/useYield: W1 tasks return at once
function* child(i: number): Coroutine<number> {
  return i;
}

/** W1's body: spawn n tasks that return at once, join each. */
function* spawnJoin(n: number): Coroutine<void> {
  const tasks = new Array<Task<number>>(n);
  for (let i = 0; i < n; i++) tasks[i] = createTask(child(i));
  let sum = 0;
  for (let i = 0; i < n; i++) sum += yield* tasks[i] as Task<number>;
  if (sum < 0) throw new Error('unreachable');
}

/** W2's body: n `sleep(0)` in this task. */
function* spin(n: number): Coroutine<void> {
  for (let i = 0; i < n; i++) yield* sleep(0);
}

/** How a variant sets the scene around the timed body. */
type Setup = 'plain' | 'variable' | 'snapshot' | 'resource';

/** `body(n)` timed inside `run()`, with the variable set or a bridge installed per `setup`. */
function timed(body: (n: number) => Coroutine<void>, setup: Setup): Measure {
  return async (n) => {
    const unbridge =
      setup === 'snapshot'
        ? bridgeAsyncLocalStorage(AsyncLocalStorage)
        : setup === 'resource'
          ? bridgeAsyncLocalStorage(AsyncLocalStorage, { AsyncResource })
          : null;
    let ms = 0;
    try {
      await run(
        (function* () {
          if (setup === 'variable') requestId.set('req-1');
          const t0 = now();
          yield* body(n);
          ms = now() - t0;
        })(),
        { handleSigint: false },
      );
    } finally {
      unbridge?.();
    }
    return opsPerSec(n, ms);
  };
}

const variantsOf = (body: (n: number) => Coroutine<void>): Variant[] => [
  { name: 'plain', measure: timed(body, 'plain') },
  { name: 'one variable set', measure: timed(body, 'variable') },
  { name: 'ALS bridge, snapshot()', measure: timed(body, 'snapshot') },
  { name: 'ALS bridge, { AsyncResource }', measure: timed(body, 'resource') },
];

const workloads: Workload[] = [
  {
    id: 'W1',
    title: 'W1 spawn + join',
    n: quick ? 10_000 : 100_000,
    variants: variantsOf(spawnJoin),
  },
  {
    id: 'W2',
    title: 'W2 `sleep(0)` in one task',
    n: quick ? 100_000 : 1_000_000,
    variants: variantsOf(spin),
  },
];

async function main(): Promise<void> {
  const started = Date.now();
  const loadBefore = loadText();
  const samples = await interleavedRounds(workloads, rounds);
  const lines = [
    '# Context variables and the AsyncLocalStorage bridge (`npm run bench:context`)',
    '',
    `Generated on ${new Date().toISOString()}; Node ${process.version}; ${rounds} rounds, every variant in every ` +
      'round in a rotating order, each timed run after a warm-up run; values are medians, ratios and ' +
      'added times are medians of per-round values against the plain variant of the same round. ' +
      `Run time ${((Date.now() - started) / 1000).toFixed(0)} s. Load averages (1 / 5 / 15 min, 2 cores) ` +
      `${loadBefore} at the start, ${loadText()} at the end: a shared, busy machine (other engineers ` +
      'were building and testing), so read the ratios and added times rather than the absolute rates.',
    '',
    '| workload | variant | n | rate | ÷ plain | added per task (W1) / per step (W2) |',
    '|---|---|---:|---:|---:|---:|',
  ];
  for (const w of workloads) {
    const plain = `${w.id}/plain`;
    for (const v of w.variants) {
      const key = `${w.id}/${v.name}`;
      const added = v.name === 'plain' ? '' : `${medianExtraNs(samples, key, plain).toFixed(0)} ns`;
      lines.push(
        `| ${w.title} | ${v.name} | ${w.n.toLocaleString('en')} | ${fmtRate(median(samples.get(key) ?? []))}/s | ` +
          `${medianRatio(samples, key, plain).toFixed(2)}× | ${added} |`,
      );
    }
  }
  const markdown = lines.join('\n');
  console.log(markdown);
  if (!quick) writeResultsSection('context', markdown);
}

await main();
