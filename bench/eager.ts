/**
 * Eager tasks (issue 18): `npm run bench:eager` (options `--rounds=N`, `--n=N`, `--quick`).
 *
 * W1 (spawn + join of tasks that return at once) with rx-asyncio's eager tasks, beside native
 * `async` functions and rx-asyncio's default (lazy) tasks, and a fan-out where every other child
 * suspends once (`sleep(0)`; native: `await null`). Every variant runs in every round, in a
 * rotating order, each timed run after a warm-up run of the same variant; ratios are taken round
 * by round, the table shows medians. Writes section `eager` of bench/RESULTS.md.
 */
import { type Coroutine, createTask, run, sleep, type Task } from '../src/index.js';
import { fullGc, type Measure, median, now, opsPerSec } from './harness.js';
import { writeResultsSection } from './resultsSection.js';
import * as native from './systems/native.js';
import * as rx from './systems/rx-asyncio.js';

const argv = process.argv.slice(2);
const arg = (name: string): string | undefined =>
  argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const quick = argv.includes('--quick');
const rounds = Number(arg('rounds') ?? (quick ? 1 : 7));
const n = Number(arg('n') ?? (quick ? 10_000 : 100_000));

// biome-ignore lint/correctness/useYield: W1 children return at once
function* child(i: number): Coroutine<number> {
  return i;
}

/** Half of the children suspend once before returning. */
function* halfChild(i: number): Coroutine<number> {
  if ((i & 1) === 1) yield* sleep(0);
  return i;
}

function* joinAll(tasks: Task<number>[]): Coroutine<number> {
  let sum = 0;
  for (let i = 0; i < tasks.length; i++) sum += yield* tasks[i] as Task<number>;
  return sum;
}

/** spawn + join of `make(i)` tasks inside `run`, eager or not; measured inside the program. */
function rxSpawnJoin(make: (i: number) => Coroutine<number>, eagerTasks: boolean): Measure {
  return async (count) => {
    let ms = 0;
    await run(
      (function* () {
        const t0 = now();
        const tasks = new Array<Task<number>>(count);
        for (let i = 0; i < count; i++) tasks[i] = createTask(make(i));
        yield* joinAll(tasks);
        ms = now() - t0;
      })(),
      { handleSigint: false, eagerTasks },
    );
    return opsPerSec(count, ms);
  };
}

async function nativeHalf(i: number): Promise<number> {
  if ((i & 1) === 1) await null;
  return i;
}

const nativeFanOut: Measure = async (count) => {
  const t0 = now();
  const ps = new Array<Promise<number>>(count);
  for (let i = 0; i < count; i++) ps[i] = nativeHalf(i);
  let sum = 0;
  for (let i = 0; i < count; i++) sum += await (ps[i] as Promise<number>);
  if (sum < 0) throw new Error('unreachable');
  return opsPerSec(count, now() - t0);
};

interface Variant {
  readonly name: string;
  readonly measure: Measure;
}

interface Workload {
  readonly id: string;
  readonly title: string;
  readonly variants: readonly Variant[];
}

const workloads: Workload[] = [
  {
    id: 'w1',
    title: 'W1: spawn + join, tasks return at once (hoisted generator function)',
    variants: [
      { name: 'native', measure: native.w1Hoisted },
      { name: 'default', measure: rx.w1Hoisted },
      { name: 'eager', measure: rxSpawnJoin(child, true) },
    ],
  },
  {
    id: 'fanout',
    title:
      'fan-out: spawn + join, every other child suspends once (`sleep(0)`; native `await null`)',
    variants: [
      { name: 'native', measure: nativeFanOut },
      { name: 'default', measure: rxSpawnJoin(halfChild, false) },
      { name: 'eager', measure: rxSpawnJoin(halfChild, true) },
    ],
  },
];

type Samples = Map<string, number[]>; // `${workload}/${variant}` -> per-round values

async function main(): Promise<void> {
  const samples: Samples = new Map();
  const started = Date.now();
  for (let r = 0; r < rounds; r++) {
    console.log(`round ${r + 1}/${rounds}`);
    for (const w of workloads) {
      const k = w.variants.length;
      for (let j = 0; j < k; j++) {
        const v = w.variants[(j + r) % k] as Variant;
        await v.measure(n); // warm-up
        fullGc();
        const value = await v.measure(n);
        const key = `${w.id}/${v.name}`;
        samples.set(key, [...(samples.get(key) ?? []), value]);
      }
    }
  }
  const markdown = report(samples, (Date.now() - started) / 1000);
  console.log(markdown);
  if (!quick) writeResultsSection('eager', markdown);
}

const fmt = (x: number): string =>
  x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)}k` : x.toFixed(0);

/** Median over rounds of the per-round ratio a ÷ b. */
function ratio(samples: Samples, a: string, b: string): number {
  const xs = samples.get(a) ?? [];
  const ys = samples.get(b) ?? [];
  return median(xs.map((x, i) => x / (ys[i] as number)));
}

function report(samples: Samples, seconds: number): string {
  const lines: string[] = [
    '# Eager tasks (`npm run bench:eager`)',
    '',
    `Generated on ${new Date().toISOString()}; Node ${process.version}; n = ${n.toLocaleString('en')}; ` +
      `${rounds} rounds, every variant in every round in a rotating order, each timed run after a warm-up run; ` +
      `values are medians, ratios medians of per-round ratios. Run time ${seconds.toFixed(0)} s. ` +
      'Measured on a shared, busy 2-core machine (other engineers were running builds and tests): ' +
      'read the ratios, which are taken within each round, rather than the absolute rates.',
    '',
    '| workload | native | rx-asyncio default | rx-asyncio eager | eager ÷ native | eager ÷ default | targets |',
    '|---|---:|---:|---:|---:|---:|---|',
  ];
  for (const w of workloads) {
    const med = (v: string): number => median(samples.get(`${w.id}/${v}`) ?? []);
    const vsNative = ratio(samples, `${w.id}/eager`, `${w.id}/native`);
    const vsDefault = ratio(samples, `${w.id}/eager`, `${w.id}/default`);
    const targets =
      w.id === 'w1'
        ? `≥ 0.6× native: ${vsNative.toFixed(2)}× ${vsNative >= 0.6 ? 'met' : '**missed**'}<br>` +
          `≥ 2× default: ${vsDefault.toFixed(2)}× ${vsDefault >= 2 ? 'met' : '**missed**'}`
        : '(no target)';
    lines.push(
      `| ${w.title} | ${fmt(med('native'))}/s | ${fmt(med('default'))}/s | ${fmt(med('eager'))}/s | ` +
        `${vsNative.toFixed(2)}× | ${vsDefault.toFixed(2)}× | ${targets} |`,
    );
  }
  return lines.join('\n');
}

await main();
