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
async function one(root: string, name: string, n: number): Promise<void> {
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
  console.log(String(await f(n)));
}

const args = process.argv.slice(2);
if (args[0] === '--one') {
  await one(args[1] as string, args[2] as string, Number(args[3]));
} else {
  const [dir, name, nArg, repsArg] = args;
  if (dir === undefined || name === undefined) {
    console.error('usage: bench/ab.ts <checkout A> <case> [n=100000] [reps=10]');
    process.exit(2);
  }
  const n = Number(nArg ?? 100_000);
  const reps = Number(repsArg ?? 10);
  const self = fileURLToPath(import.meta.url);
  const measure = (root: string): number =>
    Number(
      execFileSync(
        process.execPath,
        ['--expose-gc', '--import', 'tsx', self, '--one', root, name, String(n)],
        { encoding: 'utf8' },
      ).trim(),
    );
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < reps; i++) {
    a.push(measure(resolve(dir)));
    b.push(measure(resolve(import.meta.dirname, '..')));
  }
  const ratios = a.map((x, i) => (b[i] as number) / x);
  console.log(
    `${name} n=${n}: A ${median(a).toPrecision(3)}  B ${median(b).toPrecision(3)}  B÷A ${median(ratios).toFixed(2)} (${reps} pairs, a process each)`,
  );
}
