/**
 * A/B for kernel work: runs one rxio workload from another checkout (A, e.g. a copy of `src/`,
 * `marbles/` and `bench/` taken before a change) and from this one (B), alternating in one
 * process so JIT warm-up and machine noise hit both alike, and prints the medians and the median
 * of the per-pair ratios B ÷ A.
 *
 *   node --expose-gc --import tsx bench/ab.ts /tmp/before w1Hoisted 100000 10
 *
 * The cases are the exports of bench/systems/rxio.ts (w1Hoisted, w2Yield1, w3Heap, w7Sleep...).
 */
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fullGc, median } from './harness.js';

type Mod = Record<string, (n: number) => Promise<number>>;

const [dir, name, nArg, repsArg] = process.argv.slice(2);
if (dir === undefined || name === undefined) {
  console.error('usage: bench/ab.ts <checkout A> <case> [n=100000] [reps=10]');
  process.exit(2);
}
const n = Number(nArg ?? 100_000);
const reps = Number(repsArg ?? 10);
const load = async (root: string): Promise<Mod> =>
  (await import(pathToFileURL(join(root, 'bench', 'systems', 'rxio.ts')).href)) as Mod;
const A = await load(resolve(dir));
const B = await load(resolve(import.meta.dirname, '..'));
/** A case by name; `w2PingPong` is a factory over the checkout's own `Queue`. */
const pick = async (mod: Mod): Promise<Mod[string] | undefined> => {
  if (name !== 'w2PingPong') return mod[name];
  const m = mod as unknown as {
    w2PingPong(q: unknown): Mod[string];
    loadQueue(): Promise<unknown>;
  };
  return m.w2PingPong(await m.loadQueue());
};
const fa = await pick(A);
const fb = await pick(B);
if (typeof fa !== 'function' || typeof fb !== 'function') {
  console.error(`no case ${name} in both checkouts`);
  process.exit(2);
}
const a: number[] = [];
const b: number[] = [];
for (let i = 0; i < reps; i++) {
  fullGc();
  a.push(await fa(n));
  fullGc();
  b.push(await fb(n));
}
const ratios = a.map((x, i) => (b[i] as number) / x);
console.log(
  `${name} n=${n}: A ${median(a).toPrecision(3)}  B ${median(b).toPrecision(3)}  B÷A ${median(ratios).toFixed(2)} (${reps} pairs)`,
);
