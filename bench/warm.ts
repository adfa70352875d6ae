/**
 * Warm code against a garbage collection between runs (issue 19, item 4).
 *
 *   node --expose-gc --import tsx bench/warm.ts [--runs=6] [--reps=3] [--only=pingpong,yield2,spawn]
 *
 * Each rx-asyncio workload runs `runs` times in a row in a fresh process (with `--trace-deopt`),
 * once per variant: no GC between runs; a regular full GC (`gc({ type: 'major', execution:
 * 'sync' })`); and the harness's two forced `gc()` calls (bench/harness.ts `fullGc`), which are
 * memory-reducing. The variants alternate process by process, `reps` times (the machine is
 * shared). Printed: the median rate of the runs after the first two, and how many optimized
 * functions V8 threw away during those runs, by `--trace-deopt` reason.
 *
 * What a forced GC did before the kernel's shape anchors (issue 19, item 4): V8 keeps the hidden
 * classes (maps) that optimized code checks only weakly, and a memory-reducing GC skips the "map
 * retention" that otherwise keeps a map alive while its constructor lives. So a kernel class of
 * which no instance was alive at that moment (every Task, WaiterFuture, Handle... of a finished
 * `run()`) lost its map, and every optimized function that embedded it was deoptimized ("weak
 * objects"); the next run re-learned its field types ("code dependencies"). Evidence: `get
 * _mustCancel`'s optimized code embeds only the Task map and the native context
 * (`--print-opt-code`), and it was among the functions deoptimized. Now the kernel and the
 * queues and timers park one live instance of each hot class on an inert loop
 * (`_anchorShapes` in src/kernel/EventLoop.ts), and this script shows no such deopts; what is left
 * after a forced GC is the young generation it shrinks (`--min-semi-space-size=16` gives most of
 * it back), which library code cannot change.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median } from './harness.js';
import { loadText } from './rounds.js';
import { loadQueue, w1Hoisted, w2PingPong, w2Yield2 } from './systems/rx-asyncio.js';

type Measure = (n: number) => Promise<number>;
type Mode = 'none' | 'major' | 'forced';

const MODES: Record<Mode, string> = {
  none: 'no GC between runs',
  major: "gc({ type: 'major', execution: 'sync' })",
  forced: 'gc(); gc() (memory-reducing, as the harness)',
};

const argv = process.argv.slice(2);
const arg = (name: string): string | undefined =>
  argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const runs = Number(arg('runs') ?? 6);
const reps = Number(arg('reps') ?? 3);

async function cases(): Promise<Record<string, [string, Measure, number]>> {
  const Queue_ = await loadQueue();
  return {
    pingpong: [
      'Queue ping-pong (round trips/s)',
      w2PingPong(Queue_ as NonNullable<typeof Queue_>),
      100_000,
    ],
    yield2: ['sleep(0), two tasks (yields/s)', w2Yield2, 1_000_000],
    spawn: ['spawn + join (tasks/s)', w1Hoisted, 100_000],
  };
}

/** Child mode: `runs` runs of one case in one mode; prints one rate per line. */
async function child(name: string, mode: Mode): Promise<void> {
  const [, f, n] = (await cases())[name] as [string, Measure, number];
  const gc = (globalThis as { gc?: (o?: object) => void }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc');
  for (let i = 0; i < runs; i++) {
    if (mode === 'major') gc({ type: 'major', execution: 'sync' });
    if (mode === 'forced') {
      gc();
      gc();
    }
    console.log(`--- run ${i}`);
    console.log(`RATE ${await f(n)}`);
  }
}

interface Outcome {
  rate: number;
  deopts: Map<string, number>;
}

/** Runs the child with `--trace-deopt`; counts deopt reasons in runs 2.. (after warming up). */
function measure(name: string, mode: Mode): Outcome {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      '--trace-deopt',
      '--import',
      'tsx',
      self,
      '--child',
      name,
      mode,
      `--runs=${runs}`,
    ],
    { encoding: 'utf8', maxBuffer: 256 << 20 },
  );
  if (r.status !== 0) throw new Error(`warm.ts child failed: ${r.stderr}`);
  const rates: number[] = [];
  const deopts = new Map<string, number>();
  let run = -1;
  for (const line of r.stdout.split('\n')) {
    if (line.startsWith('--- run ')) run = Number(line.slice(8));
    else if (line.startsWith('RATE ')) {
      if (run >= 2) rates.push(Number(line.slice(5)));
    } else if (run >= 2) {
      const m = /reason: ([^)\]]+)/.exec(line);
      if (m !== null && /deoptimiz/.test(line)) {
        const reason = (m[1] as string).trim();
        deopts.set(reason, (deopts.get(reason) ?? 0) + 1);
      }
    }
  }
  return { rate: median(rates), deopts };
}

const fmt = (x: number): string =>
  x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : `${(x / 1e3).toFixed(0)}k`;

async function main(): Promise<void> {
  if (argv[0] === '--child') {
    await child(argv[1] as string, argv[2] as Mode);
    return;
  }
  const all = await cases();
  const only = arg('only')?.split(',') ?? Object.keys(all);
  const variants = Object.keys(MODES) as Mode[];
  console.log(
    `${runs} runs per process; rate = median over ${reps} processes of each one's median of runs ` +
      `3..${runs}; deopts = total over those runs; variants interleaved process by process ` +
      `(load ${loadText()})`,
  );
  for (const name of only) {
    const [title] = all[name] as [string, Measure, number];
    const rates = variants.map((): number[] => []);
    const deopts = variants.map(() => new Map<string, number>());
    for (let rep = 0; rep < reps; rep++) {
      variants.forEach((mode, i) => {
        const o = measure(name, mode);
        (rates[i] as number[]).push(o.rate);
        for (const [k, v] of o.deopts) deopts[i]?.set(k, (deopts[i]?.get(k) ?? 0) + v);
      });
    }
    const warm = median(rates[0] as number[]);
    console.log(`\n${title}`);
    variants.forEach((mode, i) => {
      const rate = median(rates[i] as number[]);
      const d = [...(deopts[i] as Map<string, number>)]
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      const label = MODES[mode];
      console.log(
        `  ${label.padEnd(58)} ${fmt(rate).padStart(7)}  ${(rate / warm).toFixed(2)}× warm  deopts: ${d || 'none'}`,
      );
    });
  }
  console.log(`\nload ${loadText()}`);
}

await main();
