/**
 * Schedules: which order the loop gave events that were ready at the same instant, written as
 * the deviations from FIFO, so that a failing order can be printed, pasted into a test and
 * replayed.
 *
 * @module
 */
import type { EventLoop, Task } from '../src/index.js';
import { type ReadyEntry, readyEntryInfo, setTieBreak } from '../src/kernel/internals.js';
import type { Timeline } from './Timeline.js';

/**
 * One tie-break decision: at the `point`-th iteration that had several candidates (counting from
 * 0 in the run), the candidates ran in `order` (indices into their FIFO order).
 */
export interface Decision {
  readonly point: number;
  /** The virtual time of the iteration (informative; replay goes by `point`). */
  readonly time: number;
  readonly order: readonly number[];
  /** What the candidates were, in FIFO order (e.g. `timer→A`, `step B`); informative. */
  readonly labels?: readonly string[];
}

/** The non-FIFO decisions of a run; empty means plain FIFO. */
export type Schedule = readonly Decision[];

/** Which ready callbacks the explorer reorders: only timers due together (default), or all. */
export type ExploreScope = 'timers' | 'all';

/**
 * The text form of a schedule: `#3@15ms:1,0 #7@20ms:2,0,1` (point, time, order), or `FIFO`.
 *
 * @example
 * ```ts
 * import { formatSchedule } from 'rx-asyncio/marbles';
 * formatSchedule([{ point: 0, time: 15, order: [1, 0] }]); // "#0@15ms:1,0"
 * ```
 */
export function formatSchedule(schedule: Schedule): string {
  if (schedule.length === 0) return 'FIFO';
  return schedule.map((d) => `#${d.point}@${d.time}ms:${d.order.join(',')}`).join(' ');
}

/**
 * Parses {@link formatSchedule}'s text form.
 *
 * @throws {SyntaxError} for text that is not a schedule.
 * @example
 * ```ts
 * import { parseSchedule } from 'rx-asyncio/marbles';
 * parseSchedule('#0@15ms:1,0'); // [{ point: 0, time: 15, order: [1, 0] }]
 * ```
 */
export function parseSchedule(text: string): Schedule {
  const t = text.trim();
  if (t === 'FIFO' || t === '') return [];
  return t.split(/\s+/).map((part) => {
    const m = /^#(\d+)@(-?[\d.]+)ms:(\d+(?:,\d+)*)$/.exec(part);
    if (m === null) {
      throw new SyntaxError(
        `parseSchedule: ${JSON.stringify(part)} is not a decision; expected "#<point>@<time>ms:<order>", e.g. "#0@15ms:1,0"`,
      );
    }
    const order = (m[3] as string).split(',').map(Number);
    if (!isPermutation(order)) {
      throw new SyntaxError(
        `parseSchedule: ${JSON.stringify(part)}: the order must be a permutation of 0..${order.length - 1}`,
      );
    }
    return { point: Number(m[1]), time: Number(m[2]), order };
  });
}

/** How far a schedule is from FIFO: the number of swapped pairs over all its decisions. */
export function deviation(schedule: Schedule): number {
  let n = 0;
  for (const d of schedule) {
    for (let i = 0; i < d.order.length; i++) {
      for (let j = i + 1; j < d.order.length; j++)
        if ((d.order[i] as number) > (d.order[j] as number)) n++;
    }
  }
  return n;
}

export function isIdentity(order: readonly number[]): boolean {
  return order.every((v, i) => v === i);
}

function isPermutation(order: readonly number[]): boolean {
  const sorted = [...order].sort((a, b) => a - b);
  return sorted.every((v, i) => v === i);
}

/** The permutation of `k` items with Lehmer index `index` (0 is the identity). */
export function nthPermutation(k: number, index: number): number[] {
  const pool = Array.from({ length: k }, (_, i) => i);
  const out: number[] = [];
  let fact = 1;
  for (let i = 2; i < k; i++) fact *= i;
  for (let i = k - 1; i >= 0; i--) {
    const q = Math.floor(index / fact);
    index %= fact;
    out.push(pool.splice(q, 1)[0] as number);
    if (i > 0) fact /= i;
  }
  return out;
}

export function factorial(k: number): number {
  let f = 1;
  for (let i = 2; i <= k; i++) f *= i;
  return f;
}

/** Chooses an order for decision point `point` with `k` candidates; null keeps FIFO. */
export type Chooser = (point: number, k: number) => readonly number[] | null;

/** What a tie-break policy saw during one run: every decision point, FIFO ones included. */
export interface PolicyLog {
  readonly points: Array<Decision & { k: number }>;
}

/**
 * Installs a tie-break policy on `loop` that asks `choose` at each iteration with two or more
 * candidates (in `scope`) and logs what it did. Returns the log.
 */
export function installPolicy(
  loop: EventLoop,
  choose: Chooser,
  scope: ExploreScope,
  timeline: Timeline | null,
): PolicyLog {
  const log: PolicyLog = { points: [] };
  setTieBreak(loop, (batch) => {
    const idx: number[] = [];
    for (let i = 0; i < batch.length; i++) {
      const info = readyEntryInfo(batch[i] as ReadyEntry);
      if (!info.cancelled && (scope === 'all' || info.timer)) idx.push(i);
    }
    const k = idx.length;
    if (k < 2) return;
    const point = log.points.length;
    const wanted = choose(point, k);
    const order =
      wanted !== null && wanted.length === k && isPermutation(wanted) ? wanted : identity(k);
    const cands = idx.map((i) => batch[i]) as typeof batch;
    const labels = cands.map((h) => labelOf(h, timeline));
    idx.forEach((pos, j) => {
      batch[pos] = cands[order[j] as number] as (typeof batch)[number];
    });
    log.points.push({ point, time: loop.time(), order: [...order], labels, k });
  });
  return log;
}

function identity(k: number): number[] {
  return Array.from({ length: k }, (_, i) => i);
}

/** The non-FIFO decisions of a log: the schedule that replays the run. */
export function scheduleOf(log: PolicyLog): Schedule {
  return log.points
    .filter((p) => !isIdentity(p.order))
    .map(({ point, time, order, labels }) =>
      labels === undefined ? { point, time, order } : { point, time, order, labels },
    );
}

/** A short name for a ready callback: `timer→A` (a timer that wakes task A), `step A`... */
function labelOf(h: ReadyEntry, timeline: Timeline | null): string {
  const name = (t: Task<unknown>): string => (timeline === null ? t.getName() : timeline.laneOf(t));
  const info = readyEntryInfo(h);
  const prefix = info.timer ? 'timer' : 'call';
  if (info.task !== null) return `${info.timer ? 'timer' : 'step'} ${name(info.task)}`;
  if (info.wakes !== null) return `${prefix}→${name(info.wakes)}`;
  if (info.about !== null) return `${prefix} ${name(info.about)}`;
  return `${prefix} ${info.callback || '(anonymous)'}`;
}
