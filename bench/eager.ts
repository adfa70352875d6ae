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
import { type Measure, median, now, opsPerSec } from './harness.js';
import { writeResultsSection } from './resultsSection.js';
import {
  fmtRate,
  interleavedRounds,
  loadText,
  medianRatio,
  type Samples,
  type Workload,
} from './rounds.js';
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

const workloads: Workload[] = [
  {
    id: 'w1',
    title: 'W1: spawn + join, tasks return at once (hoisted generator function)',
    n,
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
    n,
    variants: [
      { name: 'native', measure: nativeFanOut },
      { name: 'default', measure: rxSpawnJoin(halfChild, false) },
      { name: 'eager', measure: rxSpawnJoin(halfChild, true) },
    ],
  },
];

async function main(): Promise<void> {
  const started = Date.now();
  const loadBefore = loadText();
  const samples = await interleavedRounds(workloads, rounds);
  const markdown = report(samples, (Date.now() - started) / 1000, loadBefore);
  console.log(markdown);
  if (!quick) writeResultsSection('eager', markdown);
}

function report(samples: Samples, seconds: number, loadBefore: string): string {
  const lines: string[] = [
    '# Eager tasks (`npm run bench:eager`)',
    '',
    `Generated on ${new Date().toISOString()}; Node ${process.version}; n = ${n.toLocaleString('en')}; ` +
      `${rounds} rounds, every variant in every round in a rotating order, each timed run after a warm-up run; ` +
      `values are medians, ratios medians of per-round ratios. Run time ${seconds.toFixed(0)} s. ` +
      `Load averages (1 / 5 / 15 min, 2 cores) ${loadBefore} at the start, ${loadText()} at the end: ` +
      'a shared, busy machine (other engineers were building and testing), so read the ratios, ' +
      'which are taken within each round, rather than the absolute rates.',
    '',
    '| workload | native | rx-asyncio default | rx-asyncio eager | eager ÷ native | eager ÷ default | targets |',
    '|---|---:|---:|---:|---:|---:|---|',
  ];
  for (const w of workloads) {
    const med = (v: string): number => median(samples.get(`${w.id}/${v}`) ?? []);
    const vsNative = medianRatio(samples, `${w.id}/eager`, `${w.id}/native`);
    const vsDefault = medianRatio(samples, `${w.id}/eager`, `${w.id}/default`);
    const targets =
      w.id === 'w1'
        ? `≥ 0.6× native: ${vsNative.toFixed(2)}× ${vsNative >= 0.6 ? 'met' : '**missed**'}<br>` +
          `≥ 2× default: ${vsDefault.toFixed(2)}× ${vsDefault >= 2 ? 'met' : '**missed**'}`
        : '(no target)';
    lines.push(
      `| ${w.title} | ${fmtRate(med('native'))}/s | ${fmtRate(med('default'))}/s | ${fmtRate(med('eager'))}/s | ` +
        `${vsNative.toFixed(2)}× | ${vsDefault.toFixed(2)}× | ${targets} |`,
    );
  }
  return lines.join('\n');
}

await main();
