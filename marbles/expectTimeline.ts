/**
 * Comparing a recorded timeline with an expected marble diagram, with an aligned diff on mismatch.
 *
 * @module
 */
import { TestScheduler } from 'rxjs/testing';
import { TimelineMismatchError } from '../src/errors.js';
import { deepEqual, describeDifference, firstDifference } from './deepEqual.js';
import { groupNotes, type LaneNote, Legend, laneNotes, marbleLine } from './marbleText.js';
import type { Timeline } from './Timeline.js';
import type { TimelineEventKind } from './TimelineEvent.js';

/** Options of {@link expectTimeline}. */
export interface ExpectTimelineOptions {
  /** The error a `#` stands for (compared by name and message); default: any error. */
  error?: unknown;
  /** Which events make up the lanes (default: print, emit, return, raise, cancelled). */
  kinds?: readonly TimelineEventKind[];
  /** Also fail if the timeline has lanes the expected diagram does not mention. Default false. */
  strict?: boolean;
}

const ANY_ERROR = Symbol('any error');

/**
 * Checks a recorded timeline against expected marble diagrams, one per lane, in RxJS run-mode
 * syntax (one frame is 1 ms whatever the scheduler; `(ab)` groups same-instant notifications;
 * `1000ms` skips time; a letter is a value from `values`, or the letter itself; `|` is the task
 * returning, `#` raising or being cancelled). Lanes not listed are not checked unless
 * `options.strict`.
 *
 * @throws {TimelineMismatchError} on any difference; its message shows both diagrams aligned on
 * a shared time axis, marks the differing instants, gives the legend and the actual marbles to
 * paste.
 * @example
 * ```ts
 * import { sleep } from 'rx-asyncio';
 * import { expectTimeline, record } from 'rx-asyncio/marbles';
 * const { timeline } = record((tl) => function* () {
 *   yield* sleep(1000);
 *   tl.print('tick');
 * }());
 * expectTimeline(timeline, { main: '1000ms (t|)' }, { t: 'tick' });
 * ```
 */
export function expectTimeline(
  timeline: Timeline,
  expected: Record<string, string>,
  values?: Record<string, unknown>,
  options: ExpectTimelineOptions = {},
): void {
  const errorValue = 'error' in options ? options.error : ANY_ERROR;
  const lanes = Object.keys(expected);
  if (options.strict) {
    for (const l of timeline.lanes()) if (!lanes.includes(l)) lanes.push(l);
  }
  const rows: LaneRow[] = lanes.map((lane) => {
    const want = parseLane(expected[lane] ?? '', values, errorValue);
    const got = laneNotes(timeline, lane, options.kinds);
    return { lane, want, got, ok: notesEqual(want, got) };
  });
  if (rows.every((r) => r.ok)) return;
  throw new TimelineMismatchError(diffMessage(rows, new Legend(values)));
}

interface LaneRow {
  lane: string;
  want: LaneNote[];
  got: LaneNote[];
  ok: boolean;
}

/** Parses one lane with RxJS's own parser, in run mode's 1 ms frames. */
export function parseLane(
  marbles: string,
  values: Record<string, unknown> | undefined,
  errorValue: unknown = ANY_ERROR,
): LaneNote[] {
  const saved = TestScheduler.frameTimeFactor;
  TestScheduler.frameTimeFactor = 1;
  try {
    // As RxJS does without a values map, a letter missing from `values` stands for itself.
    const vals: Record<string, unknown> = {};
    for (const c of marbles) if (/[A-Za-z0-9]/.test(c)) vals[c] = c;
    Object.assign(vals, values);
    return TestScheduler.parseMarbles(marbles, vals, errorValue, true, true).map((m) => {
      const n = m.notification as { kind: 'N' | 'E' | 'C'; value?: unknown; error?: unknown };
      if (n.kind === 'E') return { time: m.frame, kind: 'E', value: n.error };
      if (n.kind === 'C') return { time: m.frame, kind: 'C' };
      return { time: m.frame, kind: 'N', value: n.value };
    });
  } finally {
    TestScheduler.frameTimeFactor = saved;
  }
}

function notesEqual(want: readonly LaneNote[], got: readonly LaneNote[]): boolean {
  return want.length === got.length && want.every((w, i) => noteEqual(w, got[i] as LaneNote));
}

function noteEqual(w: LaneNote, g: LaneNote): boolean {
  if (w.time !== g.time || w.kind !== g.kind) return false;
  if (w.kind === 'C') return true;
  if (w.kind === 'E') return w.value === ANY_ERROR || sameError(w.value, g.value);
  return deepEqual(w.value, g.value);
}

/**
 * The `error` option's comparison, as documented: by name and message. Why not deep equality:
 * a raised error carries run-specific own properties (a `CancelledError`'s `origin` holds the
 * cancelling task), so an expected `new CancelledError('stop')` could never match.
 */
function sameError(want: unknown, got: unknown): boolean {
  if (!(want instanceof Error && got instanceof Error)) return deepEqual(want, got);
  return want.name === got.name && want.message === got.message;
}

/** The failure message: a header, the aligned grid, the legend and the marbles to paste. */
function diffMessage(rows: readonly LaneRow[], legend: Legend): string {
  const grid = alignedGrid(rows, legend, ['expected', 'actual']);
  const texts = rows.flatMap((r) => [
    marbleLine(groupNotes(r.want, legend)),
    marbleLine(groupNotes(r.got, legend)),
  ]);
  return [
    `The timeline does not match the expected marble diagram (${rows.filter((r) => !r.ok).length} of ${rows.length} lanes differ).`,
    '',
    ...grid,
    '',
    `legend: ${legend.describe(texts) || '(no values)'}; | = returned, # = raised or cancelled`,
    '',
    'actual marbles:',
    ...rows.map((r) => `  ${r.lane}: '${marbleLine(groupNotes(r.got, legend))}'`),
    ...valueDifferences(rows),
  ].join('\n');
}

/**
 * Where the values of notes at the same instant differ: the path inside the value and both
 * sides, since two letters in the grid only say THAT a Map or an object differs, not where.
 */
function valueDifferences(rows: readonly LaneRow[]): string[] {
  const out: string[] = [];
  for (const r of rows) {
    if (r.ok) continue;
    // Pair the notes of one instant and kind in order: the i-th expected with the i-th actual.
    const same = (notes: readonly LaneNote[], n: LaneNote) =>
      notes.filter((x) => x.time === n.time && x.kind === n.kind);
    for (const w of r.want) {
      if (w.kind === 'C' || (w.kind === 'E' && w.value === ANY_ERROR)) continue;
      const other = same(r.got, w)[same(r.want, w).indexOf(w)];
      if (other === undefined) continue;
      const d = firstDifference(w.value, other.value);
      if (d) out.push(`  ${r.lane} at ${w.time} ms: ${describeDifference(d)}`);
    }
  }
  return out.length === 0 ? [] : ['', 'values that differ:', ...out];
}

/**
 * @internal Two recorded timelines on one time axis (every lane of either), with `^` under the
 * instants that differ; null if they are the same. The explorer uses it to show how a failing
 * order differs from FIFO.
 */
export function diffTimelines(
  base: Timeline,
  other: Timeline,
  labels: readonly [string, string],
  legend: Legend,
): string[] | null {
  const lanes = [...new Set([...base.lanes(), ...other.lanes()])];
  const rows = lanes.map((lane) => {
    const want = laneNotes(base, lane);
    const got = laneNotes(other, lane);
    return { lane, want, got, ok: notesEqual(want, got) };
  });
  return rows.every((r) => r.ok) ? null : alignedGrid(rows, legend, labels);
}

/** The aligned grid: a shared time axis, two rows per lane, `^` under the differing instants. */
function alignedGrid(
  rows: readonly LaneRow[],
  legend: Legend,
  labels: readonly [string, string],
): string[] {
  const times = [...new Set(rows.flatMap((r) => [...r.want, ...r.got].map((n) => n.time)))].sort(
    (a, b) => a - b,
  );
  const cellsOf = (notes: readonly LaneNote[]): Map<number, string> =>
    new Map(groupNotes(notes, legend).map((g) => [g.time, g.glyph]));
  const table = rows.map((r) => ({ r, want: cellsOf(r.want), got: cellsOf(r.got) }));
  const widths = times.map((t) =>
    Math.max(
      `${t}`.length,
      ...table.flatMap(({ want, got }) => [(want.get(t) ?? '').length, (got.get(t) ?? '').length]),
    ),
  );
  const [first, second] = labels;
  const laneW = Math.max(0, ...rows.map((r) => r.lane.length));
  const label = Math.max(9, laneW + 3 + Math.max(first.length, second.length)) + 3;
  const line = (head: string, cell: (t: number, i: number) => string): string =>
    (
      head.padEnd(label) +
      times.map((t, i) => cell(t, i).padEnd((widths[i] as number) + 2)).join('')
    ).trimEnd();
  const out = [line('time (ms)', (t) => `${t}`)];
  for (const { r, want, got } of table) {
    out.push(
      line(`${r.lane.padEnd(laneW)} ${r.ok ? ' ' : '✗'} ${first}`, (t) => want.get(t) ?? '-'),
    );
    out.push(line(`${' '.repeat(laneW)}   ${second}`, (t) => got.get(t) ?? '-'));
    if (!r.ok) {
      out.push(
        line('', (t, i) =>
          (want.get(t) ?? '') === (got.get(t) ?? '') && sameAt(r, t)
            ? ''
            : '^'.repeat(widths[i] as number),
        ),
      );
    }
  }
  return out;
}

/** Same glyphs at `t` could still hide different error values: compare the notes themselves. */
function sameAt(r: LaneRow, t: number): boolean {
  return notesEqual(
    r.want.filter((n) => n.time === t),
    r.got.filter((n) => n.time === t),
  );
}
