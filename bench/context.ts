/**
 * What context variables and the AsyncLocalStorage bridge cost (issue 18):
 * `npm run bench:context` (options `--rounds=N`, `--quick`).
 *
 * W1 (spawn + join, n = 100,000) and W2 (`sleep(0)` in one task, n = 1,000,000) as in
 * `npm run bench`, each plain, with one `ContextVar` set in the spawning task (so every task
 * copies a non-empty context), and with `bridgeAsyncLocalStorage` installed. Every variant runs
 * in every round in a rotating order, each timed run after a warm-up run; ratios to the plain
 * variant are taken round by round. Writes section `context` of bench/RESULTS.md.
 *
 * The cost of the context machinery when no variable is set (the "zero cost" claim) is an A/B of
 * two checkouts, not something one process can show: `bench/ab.ts` (see CHANGELOG.md).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  bridgeAsyncLocalStorage,
  ContextVar,
  type Coroutine,
  createTask,
  run,
  sleep,
  type Task,
} from '../src/index.js';
import { fullGc, type Measure, median, now, opsPerSec } from './harness.js';
import { writeResultsSection } from './resultsSection.js';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const rounds = Number(
  argv.find((a) => a.startsWith('--rounds='))?.split('=')[1] ?? (quick ? 1 : 7),
);
const n1 = quick ? 10_000 : 100_000;
const n2 = quick ? 100_000 : 1_000_000;

const requestId = new ContextVar<string>('requestId');
const opts = { handleSigint: false };

// biome-ignore lint/correctness/useYield: W1 tasks return at once
function* child(i: number): Coroutine<number> {
  return i;
}

function* spin(k: number): Coroutine<void> {
  for (let i = 0; i < k; i++) yield* sleep(0);
}

function w1(setVar: boolean): Measure {
  return async (n) => {
    let ms = 0;
    await run(
      (function* () {
        if (setVar) requestId.set('req-1');
        const t0 = now();
        const tasks = new Array<Task<number>>(n);
        for (let i = 0; i < n; i++) tasks[i] = createTask(child(i));
        let sum = 0;
        for (let i = 0; i < n; i++) sum += yield* tasks[i] as Task<number>;
        ms = now() - t0;
        if (sum < 0) throw new Error('unreachable');
      })(),
      opts,
    );
    return opsPerSec(n, ms);
  };
}

function w2(setVar: boolean): Measure {
  return async (n) => {
    let ms = 0;
    await run(
      (function* () {
        if (setVar) requestId.set('req-1');
        const t0 = now();
        yield* spin(n);
        ms = now() - t0;
      })(),
      opts,
    );
    return opsPerSec(n, ms);
  };
}

/** `m` with the AsyncLocalStorage bridge installed for its duration. */
function bridged(m: Measure): Measure {
  return async (n) => {
    const unbridge = bridgeAsyncLocalStorage(AsyncLocalStorage);
    try {
      return await m(n);
    } finally {
      unbridge();
    }
  };
}

interface Variant {
  readonly name: string;
  readonly measure: Measure;
}
const workloads = [
  {
    id: 'W1',
    title: 'W1 spawn + join (tasks/s)',
    n: n1,
    variants: [
      { name: 'plain', measure: w1(false) },
      { name: 'one variable set', measure: w1(true) },
      { name: 'AsyncLocalStorage bridge', measure: bridged(w1(false)) },
    ] as Variant[],
  },
  {
    id: 'W2',
    title: 'W2 `sleep(0)` in one task (yields/s)',
    n: n2,
    variants: [
      { name: 'plain', measure: w2(false) },
      { name: 'one variable set', measure: w2(true) },
      { name: 'AsyncLocalStorage bridge', measure: bridged(w2(false)) },
    ] as Variant[],
  },
];

const fmt = (x: number): string =>
  x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)}k` : x.toFixed(0);

async function main(): Promise<void> {
  const samples = new Map<string, number[]>();
  const started = Date.now();
  for (let r = 0; r < rounds; r++) {
    console.log(`round ${r + 1}/${rounds}`);
    for (const w of workloads) {
      const k = w.variants.length;
      for (let j = 0; j < k; j++) {
        const v = w.variants[(j + r) % k] as Variant;
        await v.measure(w.n);
        fullGc();
        const key = `${w.id}/${v.name}`;
        samples.set(key, [...(samples.get(key) ?? []), await v.measure(w.n)]);
      }
    }
  }
  const lines = [
    '# Context variables and the AsyncLocalStorage bridge (`npm run bench:context`)',
    '',
    `Generated on ${new Date().toISOString()}; Node ${process.version}; ${rounds} rounds, every variant in every ` +
      'round in a rotating order, each timed run after a warm-up run; values are medians, ratios medians ' +
      `of per-round ratios to the plain variant. Run time ${((Date.now() - started) / 1000).toFixed(0)} s. ` +
      'Measured on a shared, busy 2-core machine (other engineers were running builds and tests): read ' +
      'the ratios rather than the absolute rates.',
    '',
    '| workload | variant | n | rate | ÷ plain |',
    '|---|---|---:|---:|---:|',
  ];
  for (const w of workloads) {
    const base = samples.get(`${w.id}/plain`) ?? [];
    for (const v of w.variants) {
      const xs = samples.get(`${w.id}/${v.name}`) ?? [];
      const ratio = median(xs.map((x, i) => x / (base[i] as number)));
      lines.push(
        `| ${w.title} | ${v.name} | ${w.n.toLocaleString('en')} | ${fmt(median(xs))}/s | ${ratio.toFixed(2)}× |`,
      );
    }
  }
  const markdown = lines.join('\n');
  console.log(markdown);
  if (!quick) writeResultsSection('context', markdown);
}

await main();
