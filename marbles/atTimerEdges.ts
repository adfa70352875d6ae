import { InterleavingError } from '../src/errors.js';
import type { Coroutine, RunOutcome } from '../src/index.js';
import { type Exploration, type ExploreOptions, explore } from './explore.js';
import type { RecordedRun } from './record.js';
import type { Timeline } from './Timeline.js';

/** Options of {@link atTimerEdges}. */
export interface TimerEdgesOptions<T> extends Omit<ExploreOptions<T>, 'check'> {
  /** The edges to test around, in ms (e.g. a timeout's deadline). */
  around: number | readonly number[];
  /** How far before and after each edge; default 1 ms. */
  delta?: number;
  /** Fails a run; it also gets the time under test. Without one, rows only group outcomes. */
  check?: (outcome: RunOutcome<T> | undefined, run: RecordedRun<T>, time: number) => unknown;
}

/** One time under test and what exploring every order there found. */
export interface TimerEdgeRow<T> {
  readonly time: number;
  readonly exploration: Exploration<T>;
}

/**
 * Time as a test input: runs `scenario(t)` for each `t` just before, at, and just after each edge
 * (`edge - delta`, `edge`, `edge + delta`), and explores every same-instant order at each, since
 * at exactly the edge two timers tie and either may fire first. Made for "a timeout firing just
 * before, at, and just after the thing it guards completes".
 *
 * @returns one row per time, in increasing order.
 * @throws {InterleavingError} if `check` fails at some time, naming the time and the order.
 * @example
 * ```ts
 * import { sleep, waitFor } from 'rx-asyncio';
 * import { atTimerEdges } from 'rx-asyncio/marbles';
 * // Work takes t ms under a 100 ms timeout: it must win below 100 and lose above.
 * atTimerEdges((t) => function* () {
 *   try { return yield* waitFor(sleep(t, 'done'), 100); } catch { return 'timeout'; }
 * }(), {
 *   around: 100,
 *   check: (o, _run, t) => o?.ok === true && (t < 100 ? o.value === 'done' : t > 100 ? o.value === 'timeout' : true),
 * });
 * ```
 */
export function atTimerEdges<T>(
  scenario: (time: number, tl: Timeline) => Coroutine<T>,
  options: TimerEdgesOptions<T>,
): Array<TimerEdgeRow<T>> {
  const delta = options.delta ?? 1;
  if (!(delta > 0)) throw new RangeError(`atTimerEdges(): delta must be positive, got ${delta}`);
  const edges = typeof options.around === 'number' ? [options.around] : options.around;
  const times = [...new Set(edges.flatMap((e) => [e - delta, e, e + delta]))]
    .filter((t) => t >= 0)
    .sort((a, b) => a - b);
  const { check, around: _around, delta: _delta, ...rest } = options;
  const rows = times.map((time) => ({
    time,
    exploration: explore<T>((tl) => scenario(time, tl), {
      ...rest,
      ...(check === undefined ? {} : { check: (o, run) => check(o, run, time) }),
    }),
  }));
  const failed = rows.find((r) => r.exploration.failure !== null);
  if (failed !== undefined) {
    throw new InterleavingError(
      `at time input ${failed.time} ms:\n${String(failed.exploration)}\n\nAll times:\n${describeRows(rows)}`,
    );
  }
  return rows;
}

function describeRows(rows: ReadonlyArray<TimerEdgeRow<unknown>>): string {
  return rows
    .map((r) => `  ${r.time} ms: ${r.exploration.outcomes.map((g) => g.key).join(' | ')}`)
    .join('\n');
}
