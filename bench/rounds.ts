/**
 * Interleaved rounds for the one-process benchmarks (`bench:eager`, `bench:context`): every
 * variant of every workload runs once per round, in an order that rotates from round to round,
 * each timed run after a warm-up run of the same variant and a full GC. Ratios are then taken
 * within a round (a busy machine slows a whole round, not one variant) and the medians reported.
 * Also the load-average line every section quotes, since the machine is shared.
 */
import { loadavg } from 'node:os';
import { fullGc, type Measure, median } from './harness.js';

export interface Variant {
  readonly name: string;
  readonly measure: Measure;
}

export interface Workload {
  readonly id: string;
  readonly title: string;
  /** The n every variant of this workload runs with. */
  readonly n: number;
  readonly variants: readonly Variant[];
}

/** Per-round values: `${workload id}/${variant name}` -> one value per round, in round order. */
export type Samples = Map<string, number[]>;

/** Runs `rounds` interleaved rounds of `workloads` (see the module comment). */
export async function interleavedRounds(
  workloads: readonly Workload[],
  rounds: number,
): Promise<Samples> {
  const samples: Samples = new Map();
  for (let r = 0; r < rounds; r++) {
    console.log(`round ${r + 1}/${rounds} (load ${loadText()})`);
    for (const w of workloads) {
      const k = w.variants.length;
      for (let j = 0; j < k; j++) {
        const v = w.variants[(j + r) % k] as Variant;
        await v.measure(w.n); // warm-up
        fullGc();
        const key = `${w.id}/${v.name}`;
        samples.set(key, [...(samples.get(key) ?? []), await v.measure(w.n)]);
      }
    }
  }
  return samples;
}

/** Median over rounds of the per-round ratio `a ÷ b` (keys as in {@link Samples}). */
export function medianRatio(samples: Samples, a: string, b: string): number {
  const xs = samples.get(a) ?? [];
  const ys = samples.get(b) ?? [];
  return median(xs.map((x, i) => x / (ys[i] as number)));
}

/**
 * Median over rounds of the per-round extra time per operation of rate `a` over rate `b`
 * (both in ops/s), in nanoseconds: what `a`'s variant adds to each operation.
 */
export function medianExtraNs(samples: Samples, a: string, b: string): number {
  const xs = samples.get(a) ?? [];
  const ys = samples.get(b) ?? [];
  return median(xs.map((x, i) => (1 / x - 1 / (ys[i] as number)) * 1e9));
}

/** The 1-, 5- and 15-minute load averages, e.g. "3.10 / 2.50 / 1.20 (2 cores)". */
export function loadText(): string {
  const [a, b, c] = loadavg() as [number, number, number];
  return `${a.toFixed(2)} / ${b.toFixed(2)} / ${c.toFixed(2)}`;
}

/** Compact rate: 1.23M, 456.7k. */
export const fmtRate = (x: number): string =>
  x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)}k` : x.toFixed(0);
