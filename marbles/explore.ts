/**
 * The interleaving explorer: runs a scenario under the other orders of events that are ready at
 * the same virtual instant, groups the outcomes, and reports a failing order as a replayable,
 * shrunk schedule with its timeline.
 *
 * @module
 */
import { InterleavingError } from '../src/errors.js';
import type { Coroutine, RunOutcome } from '../src/index.js';
import { diffTimelines } from './expectTimeline.js';
import { Legend } from './marbleText.js';
import { type RecordedRun, type RecordOptions, record } from './record.js';
import {
  type Chooser,
  deviation,
  type ExploreScope,
  factorial,
  formatSchedule,
  installPolicy,
  nthPermutation,
  type PolicyLog,
  parseSchedule as parseScheduleText,
  type Schedule,
  scheduleOf,
} from './Schedule.js';
import { showValue } from './showValue.js';
import { Timeline } from './Timeline.js';

/** A scenario: builds the program to run, given the recorder its tasks print to. */
export type Scenario<T> = (tl: Timeline) => Coroutine<T>;

/**
 * Says whether a run passed: throw (e.g. a failed `assert`) or return false to fail it. An
 * outcome is undefined when the run deadlocked (`run.deadlock` says why).
 */
export type Check<T> = (outcome: RunOutcome<T> | undefined, run: RecordedRun<T>) => unknown;

/** Options of {@link explore}. */
export interface ExploreOptions<T> {
  /** Fails a run (see {@link Check}); without one the explorer only groups outcomes. */
  check?: Check<T>;
  /** Which same-instant callbacks may be reordered; default `'timers'` (timers due together). */
  scope?: ExploreScope;
  /** Most runs of the exhaustive search; past it the space counts as large. Default 500. */
  bound?: number;
  /** Seeded-random runs when the exhaustive search did not finish within `bound`. Default 200. */
  samples?: number;
  /** Seed of the random phase; the same seed explores the same orders. Default 1. */
  seed?: number;
  /** Shrink a failing schedule to the smallest deviation from FIFO that still fails. Default true. */
  shrink?: boolean;
  /** Passed to each run (`spinLimit`, `debug`...). */
  run?: RecordOptions;
}

/** The runs that ended the same way. */
export interface OutcomeGroup<T> {
  /** e.g. `returned 2`, `raised Error("boom")`, `deadlock`. */
  readonly key: string;
  readonly outcome: RunOutcome<T> | undefined;
  readonly count: number;
  /** The first schedule that produced it (FIFO first when FIFO did). */
  readonly schedule: Schedule;
}

/** A failing order, shrunk. */
export interface InterleavingFailure<T> {
  readonly schedule: Schedule;
  /** The first failing schedule found, before shrinking. */
  readonly found: Schedule;
  /** What the check threw (or a note that it returned false). */
  readonly error: unknown;
  readonly run: RecordedRun<T>;
  /** The failing run's timeline as marble text, one lane per task, with its legend. */
  readonly diagram: string;
  /** The FIFO run and the failing run on one time axis, `^` under the instants that differ. */
  readonly comparedWithFifo: string;
}

/** What {@link explore} found. */
export interface Exploration<T> {
  readonly runs: number;
  /** True if every order within the scope was tried. */
  readonly exhaustive: boolean;
  readonly outcomes: ReadonlyArray<OutcomeGroup<T>>;
  readonly failure: InterleavingFailure<T> | null;
  /** A readable report: outcome groups, then the failing order, its replay and its diagram. */
  toString(): string;
}

/**
 * Runs `scenario` in virtual time under every order of same-instant events within `scope`
 * (depth-first from FIFO, up to `bound` runs), then under `samples` seeded-random orders if the
 * space was larger. Outcomes are grouped. The first run that fails `check` stops the search; its
 * schedule is shrunk to the fewest swaps from FIFO that still fail and reported with its timeline.
 *
 * With the default scope, only timers that fall due at the same instant are reordered: that is
 * the order asyncio leaves undefined (and the one real clocks blur). Callbacks queued by
 * `callSoon` keep their FIFO order, which asyncio guarantees, so those are not explored: rx-asyncio
 * knows they cannot legitimately run in another order. `scope: 'all'` reorders every iteration.
 *
 * @example
 * ```ts
 * import { createTask, sleep } from 'rx-asyncio';
 * import { explore } from 'rx-asyncio/marbles';
 * const result = explore((tl) => function* () {
 *   let counter = 0;
 *   const a = createTask(function* () { const v = counter; yield* sleep(15); counter = v + 1; }(), { name: 'A' });
 *   const b = createTask(function* () { yield* sleep(5); yield* sleep(10); counter = counter + 1; }(), { name: 'B' });
 *   yield* a;
 *   yield* b;
 *   return counter;
 * }(), { check: (o) => o?.ok === true && o.value === 2 });
 * console.log(String(result)); // names the failing order "#0@15ms:1,0" and shows the diagram
 * ```
 */
export function explore<T>(scenario: Scenario<T>, options: ExploreOptions<T> = {}): Exploration<T> {
  const bound = positive('bound', options.bound ?? 500);
  const samples = nonNegative('samples', options.samples ?? 200);
  const groups = new Map<
    string,
    { outcome: RunOutcome<T> | undefined; count: number; schedule: Schedule }
  >();
  let runs = 0;
  let exhaustive = false;
  let failing: { schedule: Schedule; error: unknown } | null = null;
  const attempt = (choose: Chooser): boolean => {
    const { run, log } = runWith(scenario, choose, options);
    runs++;
    const schedule = scheduleOf(log);
    const key = outcomeKey(run);
    const g = groups.get(key);
    if (g === undefined) groups.set(key, { outcome: run.outcome, count: 1, schedule });
    else g.count++;
    const error = failureOf(options.check, run);
    if (error !== undefined) failing = { schedule, error };
    lastLog = log;
    return error !== undefined;
  };
  let lastLog: PolicyLog = { points: [] };
  // Depth-first over the Lehmer indices of each decision point, FIFO (all zeros) first.
  let prefix: number[] = [];
  for (;;) {
    if (runs >= bound) break;
    const fixed = prefix;
    // A choice past the points' size (the run took another path there) falls back to FIFO.
    const pick: Chooser = (p, k) => {
      const idx = fixed[p];
      return idx !== undefined && idx < factorial(k) ? nthPermutation(k, idx) : null;
    };
    if (attempt(pick)) break;
    const sizes = lastLog.points.map((p) => factorial(p.k));
    const choices = sizes.map((_, i) => fixed[i] ?? 0);
    let j = choices.length - 1;
    while (j >= 0 && (choices[j] as number) >= (sizes[j] as number) - 1) j--;
    if (j < 0) {
      exhaustive = true;
      break;
    }
    prefix = [...choices.slice(0, j), (choices[j] as number) + 1];
  }
  if (failing === null && !exhaustive) {
    const rand = mulberry32(options.seed ?? 1);
    for (let i = 0; i < samples && failing === null; i++) {
      attempt((_p, k) => shuffled(k, rand));
    }
  }
  const outcomes = [...groups].map(([key, g]) => ({ key, ...g }));
  const found = failing as { schedule: Schedule; error: unknown } | null;
  const failure = found === null ? null : shrinkFailure(scenario, options, found);
  return report(runs, exhaustive, outcomes, failure);
}

/**
 * Like {@link explore}, but throws when some order fails `check`.
 *
 * @throws {InterleavingError} naming the failing order (a schedule to pass to {@link replay}),
 * the outcome groups and the failing run's diagram.
 * @example
 * ```ts
 * import { createTask, Lock, sleep } from 'rx-asyncio';
 * import { assertEveryOrder } from 'rx-asyncio/marbles';
 * assertEveryOrder((tl) => function* () {
 *   const lock = new Lock();
 *   let n = 0;
 *   const inc = function* () { yield* lock.acquire(); try { const v = n; yield* sleep(5); n = v + 1; } finally { lock.release(); } };
 *   yield* createTask(inc());
 *   return n;
 * }(), (o) => o?.ok === true && o.value === 1);
 * ```
 */
export function assertEveryOrder<T>(
  scenario: Scenario<T>,
  check: Check<T>,
  options: Omit<ExploreOptions<T>, 'check'> = {},
): Exploration<T> {
  const result = explore(scenario, { ...options, check });
  if (result.failure !== null) throw new InterleavingError(String(result));
  return result;
}

/**
 * Runs `scenario` once under `schedule` (a {@link Schedule} or its text form, as a report
 * prints it), recording its timeline: the way to turn a reported failing order into a regression
 * test.
 *
 * @example
 * ```ts
 * import { sleep } from 'rx-asyncio';
 * import { replay } from 'rx-asyncio/marbles';
 * const run = replay((tl) => function* () { yield* sleep(1); tl.print('x'); }(), '#0@15ms:1,0');
 * console.log(run.timeline.toMarbles().lanes);
 * ```
 */
export function replay<T>(
  scenario: Scenario<T>,
  schedule: Schedule | string,
  options: { scope?: ExploreScope; run?: RecordOptions } = {},
): RecordedRun<T> & { schedule: Schedule } {
  const s = typeof schedule === 'string' ? parseScheduleText(schedule) : schedule;
  const byPoint = new Map(s.map((d) => [d.point, d.order]));
  const { run, log } = runWith(scenario, (p) => byPoint.get(p) ?? null, options);
  return { ...run, schedule: scheduleOf(log) };
}

function runWith<T>(
  scenario: Scenario<T>,
  choose: Chooser,
  options: { scope?: ExploreScope; run?: RecordOptions },
): { run: RecordedRun<T>; log: PolicyLog } {
  let log: PolicyLog = { points: [] };
  const base = options.run ?? {};
  const run = record(scenario, {
    ...base,
    setup: (loop) => {
      log = installPolicy(loop, choose, options.scope ?? 'timers', Timeline.attachedTo(loop));
      base.setup?.(loop);
    },
  });
  return { run, log };
}

function failureOf<T>(check: Check<T> | undefined, run: RecordedRun<T>): unknown {
  if (check === undefined) return undefined;
  try {
    return check(run.outcome, run) === false
      ? new Error(`check returned false for: ${outcomeKey(run)}`)
      : undefined;
  } catch (e) {
    return e ?? new Error('check threw');
  }
}

function outcomeKey(run: RecordedRun<unknown>): string {
  const o = run.outcome;
  if (o === undefined) return run.deadlock === null ? 'never finished' : 'deadlock';
  return o.ok ? `returned ${showValue(o.value)}` : `raised ${showValue(o.error)}`;
}

/** Greedy shrinking: drop decisions, then undo single swaps, while the run still fails. */
function shrinkFailure<T>(
  scenario: Scenario<T>,
  options: ExploreOptions<T>,
  found: { schedule: Schedule; error: unknown },
): InterleavingFailure<T> {
  let best = found.schedule;
  let bestError = found.error;
  let budget = options.shrink === false ? 0 : 200;
  let improved = true;
  while (improved && budget > 0) {
    improved = false;
    for (const candidate of simpler(best)) {
      if (budget-- <= 0) break;
      const run = replay(scenario, candidate, options);
      const error = failureOf(options.check, run);
      if (error !== undefined && smaller(run.schedule, best)) {
        best = run.schedule;
        bestError = error;
        improved = true;
        break;
      }
    }
  }
  const run = replay(scenario, best, options);
  const fifo = replay(scenario, [], options);
  const { lanes, values } = run.timeline.toMarbles();
  const legend = new Legend(values);
  const grid = diffTimelines(fifo.timeline, run.timeline, ['FIFO', 'failing'], legend);
  const width = Math.max(...Object.keys(lanes).map((l) => l.length));
  const all = Object.entries(values)
    .map(([k, v]) => `${k} = ${showValue(v)}`)
    .join(', ');
  const diagram = [
    ...Object.entries(lanes).map(([l, m]) => `  ${l.padEnd(width)}  ${m}`),
    `  legend: ${all || '(no values)'}; | = returned, # = raised or cancelled`,
  ].join('\n');
  const comparedWithFifo =
    grid === null
      ? '  (the same timeline as FIFO)'
      : [...grid, `legend: ${legend.describe(grid)}`].map((l) => `  ${l}`).join('\n');
  return {
    schedule: best,
    found: found.schedule,
    error: bestError,
    run,
    diagram,
    comparedWithFifo,
  };
}

function smaller(a: Schedule, b: Schedule): boolean {
  return a.length < b.length || (a.length === b.length && deviation(a) < deviation(b));
}

/** Candidates one step closer to FIFO: one decision dropped, or one adjacent swap undone. */
function* simpler(s: Schedule): Generator<Schedule> {
  for (let i = 0; i < s.length; i++) yield [...s.slice(0, i), ...s.slice(i + 1)];
  for (let i = 0; i < s.length; i++) {
    const d = s[i] as Schedule[number];
    for (let j = 0; j + 1 < d.order.length; j++) {
      if ((d.order[j] as number) < (d.order[j + 1] as number)) continue;
      const order = [...d.order];
      [order[j], order[j + 1]] = [order[j + 1] as number, order[j] as number];
      yield [...s.slice(0, i), { ...d, order }, ...s.slice(i + 1)];
    }
  }
}

function report<T>(
  runs: number,
  exhaustive: boolean,
  outcomes: Array<OutcomeGroup<T>>,
  failure: InterleavingFailure<T> | null,
): Exploration<T> {
  return {
    runs,
    exhaustive,
    outcomes,
    failure,
    toString() {
      const lines = [
        `Explored ${runs} order(s)${exhaustive ? ' (every order in scope)' : ''}: ${outcomes.length} outcome(s)`,
        ...outcomes.map(
          (g) => `  ${g.key}: ${g.count} run(s), e.g. under ${formatSchedule(g.schedule)}`,
        ),
      ];
      if (failure === null) return lines.join('\n');
      const err = failure.error;
      lines.push(
        '',
        `Failing order: ${formatSchedule(failure.schedule)}${describeDecisions(failure.schedule)}`,
        `  (shrunk from ${formatSchedule(failure.found)}; replay it with replay(scenario, '${formatSchedule(failure.schedule)}'))`,
        `Failure: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`,
        '',
        'Timeline of the failing order:',
        failure.diagram,
        '',
        'Compared with FIFO:',
        failure.comparedWithFifo,
      );
      return lines.join('\n');
    },
  };
}

function describeDecisions(s: Schedule): string {
  return s
    .map((d) => {
      if (d.labels === undefined) return '';
      const fifo = d.labels.join(', ');
      const ran = d.order.map((i) => d.labels?.[i]).join(', ');
      return `\n  at ${d.time} ms (decision #${d.point}): ran [${ran}] instead of FIFO [${fifo}]`;
    })
    .join('');
}

function shuffled(k: number, rand: () => number): number[] {
  const a = Array.from({ length: k }, (_, i) => i);
  for (let i = k - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j] as number, a[i] as number];
  }
  return a;
}

/** A small seeded PRNG, so a seed always explores the same orders. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function positive(name: string, v: number): number {
  if (!(v >= 1)) throw new RangeError(`explore(): ${name} must be at least 1, got ${v}`);
  return v;
}

function nonNegative(name: string, v: number): number {
  if (!(v >= 0)) throw new RangeError(`explore(): ${name} must be 0 or more, got ${v}`);
  return v;
}
