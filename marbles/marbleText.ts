/**
 * Timelines as marble text: one lane per task, in RxJS's run-mode syntax (one frame = 1 ms,
 * `(ab)` for same-instant groups, `1000ms` for long gaps), so a rendered lane can be pasted into
 * an expected diagram or given to `cold()`.
 *
 * @module
 */
import { deepEqual } from './deepEqual.js';
import { showValue } from './showValue.js';
import type { Timeline } from './Timeline.js';
import { OUTPUT_KINDS, type TimelineEventKind } from './TimelineEvent.js';

/** One notification of a lane, RxJS-style: a value (`N`), an error (`E`) or completion (`C`). */
export interface LaneNote {
  readonly time: number;
  readonly kind: 'N' | 'E' | 'C';
  readonly value?: unknown;
}

/** Lanes rendered as marble text, with the letters they use. */
export interface RenderedMarbles {
  /** Marble text per lane, in the order the tasks first ran. */
  readonly lanes: Record<string, string>;
  /** What each letter stands for. */
  readonly values: Record<string, unknown>;
}

/** Options of {@link Timeline}'s marble rendering. */
export interface MarbleOptions {
  /** Which events appear (default: print, emit, return, raise, cancelled). */
  kinds?: readonly TimelineEventKind[];
  /** Only these lanes, in this order (default: every lane). */
  lanes?: readonly string[];
  /** Letters to reuse for known values, e.g. `{ a: 'coro1()' }`. */
  values?: Record<string, unknown>;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Gives each distinct value a letter: the caller's letters first, then free ones in order. */
export class Legend {
  readonly values: Record<string, unknown> = {};
  private readonly used = new Set<string>();

  constructor(known: Record<string, unknown> = {}) {
    for (const [k, v] of Object.entries(known)) {
      this.values[k] = v;
      this.used.add(k);
    }
  }

  letterOf(value: unknown): string {
    for (const [k, v] of Object.entries(this.values)) if (deepEqual(v, value)) return k;
    const self = typeof value === 'string' && value.length === 1 && LETTERS.includes(value);
    const free =
      self && !this.used.has(value) ? value : [...LETTERS].find((c) => !this.used.has(c));
    if (free === undefined) return '?';
    this.used.add(free);
    this.values[free] = value;
    return free;
  }

  /** Only the letters that appear in `texts` (a readable legend for a message). */
  describe(texts: readonly string[]): string {
    const shown = Object.entries(this.values).filter(([k]) => texts.some((t) => t.includes(k)));
    return shown.map(([k, v]) => `${k} = ${showValue(v)}`).join(', ');
  }
}

/** A lane's notes from the recorded events. */
export function laneNotes(
  timeline: Timeline,
  lane: string,
  kinds: readonly TimelineEventKind[] = OUTPUT_KINDS,
): LaneNote[] {
  return timeline.select(kinds, lane).map((e) => {
    if (e.kind === 'return') return { time: e.time, kind: 'C' };
    if (e.kind === 'raise' || e.kind === 'cancelled')
      return { time: e.time, kind: 'E', value: e.value };
    if (e.kind === 'print' || e.kind === 'emit') return { time: e.time, kind: 'N', value: e.value };
    return { time: e.time, kind: 'N', value: e.kind }; // lifecycle events, when asked for
  });
}

/** The glyph of one note: its letter, `#` or `|`. */
export function glyphOf(note: LaneNote, legend: Legend): string {
  if (note.kind === 'C') return '|';
  if (note.kind === 'E') return '#';
  return legend.letterOf(note.value);
}

/** Notes grouped by instant, each group as one glyph (`a` or `(ab|)`), in time order. */
export function groupNotes(
  notes: readonly LaneNote[],
  legend: Legend,
): Array<{ time: number; glyph: string }> {
  const groups: Array<{ time: number; glyphs: string[] }> = [];
  for (const n of notes) {
    const last = groups[groups.length - 1];
    if (last !== undefined && last.time === n.time) last.glyphs.push(glyphOf(n, legend));
    else groups.push({ time: n.time, glyphs: [glyphOf(n, legend)] });
  }
  return groups.map((g) => ({
    time: g.time,
    glyph: g.glyphs.length === 1 ? (g.glyphs[0] as string) : `(${g.glyphs.join('')})`,
  }));
}

/**
 * RxJS run-mode marble text for grouped notes. A glyph takes one frame per character, as RxJS
 * counts them, so `1000ms a 999ms b` puts `b` at 2000. Gaps under 10 frames are dashes.
 */
export function marbleLine(groups: ReadonlyArray<{ time: number; glyph: string }>): string {
  let pos = 0;
  let out = '';
  for (const g of groups) {
    const gap = g.time - pos;
    if (gap >= 10) out += `${out === '' ? '' : ' '}${gap}ms `;
    else if (gap > 0) out += '-'.repeat(gap);
    out += g.glyph;
    pos = Math.max(pos, g.time) + g.glyph.length;
  }
  return out;
}

/** Renders the timeline's lanes as marble text (see {@link Timeline.toMarbles}). */
export function renderMarbles(timeline: Timeline, options: MarbleOptions = {}): RenderedMarbles {
  const legend = new Legend(options.values);
  const lanes: Record<string, string> = {};
  for (const lane of options.lanes ?? timeline.lanes()) {
    lanes[lane] = marbleLine(groupNotes(laneNotes(timeline, lane, options.kinds), legend));
  }
  return { lanes, values: legend.values };
}
