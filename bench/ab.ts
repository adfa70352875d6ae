/**
 * A/B for kernel work: runs one rxio workload from another checkout (A, e.g. a copy of `src/`,
 * `marbles/` and `bench/` taken before a change) and from this one (B), alternating, and prints
 * the medians and the median of the per-pair ratios B ÷ A.
 *
 *   node --expose-gc --import tsx bench/ab.ts /tmp/before w1Hoisted 100000 10
 *
 * Each measurement runs in a fresh process (this script with `--one`), after one warm-up run of
 * the same case. Why not both in one process: the copy loaded second shares the process's
 * feedback and heap with the first, and for some cases that is not neutral (two identical copies
 * of w2Yield1 in one process measured 1.98× apart).
 *
 * The cases are the exports of bench/systems/rx-asyncio.ts (w1Hoisted, w2Yield1, w2PingPong, w3Heap,
 * w7Sleep...).
 *
 * Pairs alternate which checkout runs first, so an order effect (the second process of a pair
 * meeting a warmer or busier machine) cancels out. `--cpu` times each measured run by the
 * process's CPU time (user + system, all threads) instead of the case's own wall clock, and
 * reports n ÷ CPU seconds. Why: on a shared machine a process loses whole time slices to others,
 * which the wall clock counts and CPU time does not (with a load of 7 on 2 cores, two identical
 * checkouts measured 1.43 apart by the wall clock over 7 pairs, 0.96 by CPU time). Not for
 * w3Heap, whose value is bytes, not a rate.
 */
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fullGc, median } from './harness.js';

type Measure = (n: number) => Promise<number>;
type Mod = Record<string, unknown>;

/** A case by name; `w2PingPong` is a factory over the checkout's own `Queue`. */
async function pick(mod: Mod, name: string): Promise<Measure | undefined> {
  if (name !== 'w2PingPong') return mod[name] as Measure | undefined;
  const m = mod as unknown as { w2PingPong(q: unknown): Measure; loadQueue(): Promise<unknown> };
  return m.w2PingPong(await m.loadQueue());
}

/** Child mode: one warm-up and one measured run of `name` from `root`; prints the value. */
async function one(root: string, name: string, n: number, cpu: boolean): Promise<void> {
  const mod = (await import(
    pathToFileURL(join(root, 'bench', 'systems', 'rx-asyncio.ts')).href
  )) as Mod;
  const f = await pick(mod, name);
  if (typeof f !== 'function') {
    console.error(`no case ${name} in ${root}`);
    process.exit(2);
  }
  await f(n);
  fullGc();
  if (!cpu) {
    console.log(String(await f(n)));
    return;
  }
  const start = process.cpuUsage();
  await f(n);
  const used = process.cpuUsage(start);
  console.log(String(n / ((used.user + used.system) / 1e6)));
}

const cpu = process.argv.includes('--cpu');
const args = process.argv.slice(2).filter((a) => a !== '--cpu');
if (args[0] === '--one') {
  await one(args[1] as string, args[2] as string, Number(args[3]), cpu);
} else {
  const [dir, name, nArg, repsArg] = args;
  if (dir === undefined || name === undefined) {
    console.error('usage: bench/ab.ts <checkout A> <case> [n=100000] [reps=10] [--cpu]');
    process.exit(2);
  }
  const n = Number(nArg ?? 100_000);
  const reps = Number(repsArg ?? 10);
  const self = fileURLToPath(import.meta.url);
  const measure = (root: string): number =>
    Number(
      execFileSync(
        process.execPath,
        [
          '--expose-gc',
          '--import',
          'tsx',
          self,
          '--one',
          root,
          name,
          String(n),
          ...(cpu ? ['--cpu'] : []),
        ],
        { encoding: 'utf8' },
      ).trim(),
    );
  const a: number[] = [];
  const b: number[] = [];
  const rootA = resolve(dir);
  const rootB = resolve(import.meta.dirname, '..');
  for (let i = 0; i < reps; i++) {
    if (i % 2 === 1) b.push(measure(rootB));
    a.push(measure(rootA));
    if (i % 2 === 0) b.push(measure(rootB));
  }
  const ratios = a.map((x, i) => (b[i] as number) / x);
  const sorted = [...ratios].sort((x, y) => x - y);
  console.log(
    `${name} n=${n}: A ${median(a).toPrecision(3)}  B ${median(b).toPrecision(3)}  B÷A ${median(ratios).toFixed(2)} ` +
      `(pairs ${(sorted[0] as number).toFixed(2)}–${(sorted[sorted.length - 1] as number).toFixed(2)}; ` +
      `${reps} pairs, a process each, ${cpu ? 'CPU time' : 'wall clock'})`,
  );
}
