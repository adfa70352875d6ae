/**
 * Shared pieces of the benchmark suite: the clock, GC and heap helpers, the seeded random delays,
 * and the shape of a workload ("case") as the runner sees it.
 *
 * Every measurement is a function `(n) => Promise<number>` that does the whole workload once and
 * returns one number in the case's unit; the runner calls each system in the same round and takes
 * ratios round by round (see index.ts), so a noisy machine moves all systems together.
 */
import { performance } from 'node:perf_hooks';

/** One system's implementation of a case: returns the measured value in the case's unit. */
export type Measure = (n: number) => Promise<number>;

/** Whether a larger value of the unit is better (ops/s) or worse (µs, bytes). */
export type Better = 'higher' | 'lower';

/** A target on rx-asyncio's ratio to another system (or on rx-asyncio's absolute value). */
export interface Target {
  /** Text shown in the table, e.g. "≥ 1.0× effect". */
  label: string;
  /** The system the ratio is taken against, or "abs" for rx-asyncio's own value, "n10k" for W6. */
  against: string;
  /** Compare rx-asyncio/against (or rx-asyncio's value) with this bound. */
  op: '>=' | '<=';
  bound: number;
}

/** A workload row: n, unit, the systems that run it, and the targets it carries. */
export interface Case {
  id: string;
  workload: string;
  title: string;
  n: number;
  unit: string;
  better: Better;
  systems: Record<string, Measure>;
  targets?: Target[];
  /** Systems skipped for this case, with the reason (shown under the table). */
  skipped?: Record<string, string>;
  note?: string;
}

/** High-resolution wall clock in ms. */
export const now = (): number => performance.now();

/** A full, synchronous GC (needs `node --expose-gc`); a no-op without it. */
export function fullGc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) {
    g();
    g();
  }
}

export const hasGc = (): boolean => typeof (globalThis as { gc?: unknown }).gc === 'function';

/** Heap bytes in use right now (after a full GC when available). */
export function heapUsed(): number {
  fullGc();
  return process.memoryUsage().heapUsed;
}

/**
 * Deterministic delays in [0, max] ms (a small LCG, seeded), so every system sleeps the same
 * schedule and Python can reproduce it (asyncio_bench.py uses the same generator).
 */
export function delays(n: number, max = 100, seed = 12345): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = (s >>> 16) % (max + 1);
  }
  return out;
}

export function median(xs: number[]): number {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** ops/s from a count and a duration in ms. */
export const opsPerSec = (n: number, ms: number): number => (n * 1000) / ms;

/** µs per task beyond a fixed wall-clock floor (e.g. the longest sleep). */
export const usPerTaskBeyond = (n: number, ms: number, floorMs: number): number =>
  (Math.max(0, ms - floorMs) * 1000) / n;

/** Gives the host one macrotask turn (lets timers and GC settle between measurements). */
export const hostTurn = (): Promise<void> => new Promise((r) => setImmediate(r));
