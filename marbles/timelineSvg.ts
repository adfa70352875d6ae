/**
 * A timeline as a picture: one swimlane per task over virtual time, with what each task printed,
 * when it ran, and how it ended. Plain SVG text, no DOM needed (works in Node and browsers).
 *
 * @module
 */
import { Legend } from './marbleText.js';
import { showValue } from './showValue.js';
import type { Timeline } from './Timeline.js';
import type { TimelineEvent } from './TimelineEvent.js';

/** Options of {@link timelineSvg}. */
export interface TimelineSvgOptions {
  /** Picture width in px; default 1000, wider when lane names, labels or the title need it. */
  width?: number;
  /** Height of one lane in px; default 56. */
  laneHeight?: number;
  /** A title drawn above the lanes. */
  title?: string;
  /** Only these lanes, in this order (default: every lane). */
  lanes?: readonly string[];
  /** Letters for known values, as in marble diagrams (`{ a: 'coro1()' }`). */
  values?: Record<string, unknown>;
}

/** Least margins (px): left of the time axis (lane names), right of it. */
const MIN_LEFT = 120;
const MIN_RIGHT = 40;
const TOP = 56;
const FOOTER =
  'dashed: waiting · blue tick: runs a step · ● print/emit · | returned · ✕ raised · ✕ cancelled';
/** Horizontal offset between events of one instant, so their order shows. */
const NUDGE = 10;

/**
 * Renders the timeline as an SVG swimlane picture: a lane per task (dashed while it waits, a
 * blue tick each time it runs a step), a lettered dot for each print or emit with the text
 * above it, `|` when it returns, a red cross when it raises, an orange one when it ends
 * cancelled. Events of one instant are drawn a few pixels apart in the order they happened, so
 * "2000 ms: coro2 then coro1" is visible. Each event is a `<g class="event">` with
 * `data-task`, `data-kind`, `data-time` and a `<title>` (a tooltip in browsers).
 *
 * @example
 * ```ts
 * import { sleep } from 'rx-asyncio';
 * import { record, timelineSvg } from 'rx-asyncio/marbles';
 * const { timeline } = record((tl) => function* () { yield* sleep(1000); tl.print('hi'); }());
 * const svg = timelineSvg(timeline, { title: 'hello' }); // write it to a .svg file, or set innerHTML
 * ```
 */
export function timelineSvg(timeline: Timeline, options: TimelineSvgOptions = {}): string {
  const laneH = options.laneHeight ?? 56;
  const lanes = options.lanes ?? timeline.lanes();
  const events = timeline.events.filter((e) => lanes.includes(e.task));
  const tMax = Math.max(1, ...events.map((e) => e.time));
  const nudges = instantRanks(events);
  // Margins sized to the text, so nothing is cut at the edges: the longest lane name on the left;
  // half of the widest label (drawn centred on its dot) on both sides, plus the nudges on the right.
  const halfLabel = Math.max(0, ...events.map((e) => textWidth(labelOf(e), 11) / 2));
  const maxNudge = Math.max(0, ...nudges.values());
  const LEFT = Math.ceil(
    Math.max(MIN_LEFT, Math.max(0, ...lanes.map((l) => textWidth(l, 12))) + 24, halfLabel + 8),
  );
  const RIGHT = Math.ceil(Math.max(MIN_RIGHT, halfLabel + maxNudge + 12, maxNudge + 24));
  const textNeeds =
    Math.max(LEFT + textWidth(FOOTER, 12), LEFT + textWidth(options.title ?? '', 14)) + 12;
  const width = Math.ceil(Math.max(options.width ?? 1000, textNeeds, LEFT + RIGHT + 100));
  const span = width - LEFT - RIGHT;
  const x = (e: TimelineEvent): number => LEFT + (e.time / tMax) * span + (nudges.get(e) ?? 0);
  const axisY = TOP - 16;
  const height = TOP + lanes.length * laneH + 36;
  const legend = new Legend(options.values);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="ui-monospace, Menlo, Consolas, monospace" font-size="12">`,
    `<title>${xml(options.title ?? `Timeline of ${lanes.join(', ')}`)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  if (options.title !== undefined) {
    out.push(
      `<text x="${LEFT}" y="18" font-size="14" font-weight="bold">${xml(options.title)}</text>`,
    );
  }
  out.push(...axis(tMax, LEFT, span, axisY, TOP + lanes.length * laneH));
  lanes.forEach((lane, i) => {
    const y = TOP + i * laneH + laneH / 2 + 8;
    const mine = events.filter((e) => e.task === lane);
    out.push(`<g class="lane" data-task="${xml(lane)}">`);
    out.push(
      `<text x="${LEFT - 12}" y="${y + 4}" text-anchor="end" font-weight="bold">${xml(lane)}</text>`,
    );
    const first = mine[0];
    const last = mine[mine.length - 1];
    if (first !== undefined && last !== undefined) {
      out.push(
        `<line x1="${r(x(first))}" y1="${y}" x2="${r(x(last))}" y2="${y}" stroke="#9aa3ad" stroke-width="2" stroke-dasharray="4 4"/>`,
      );
    }
    for (const e of mine) out.push(eventShape(e, x(e), y, legend));
    out.push('</g>');
  });
  out.push(
    `<text x="${LEFT}" y="${height - 12}" fill="#555">dashed: waiting · blue tick: runs a step · ● print/emit · | returned · <tspan fill="#c62828">✕ raised</tspan> · <tspan fill="#ef6c00">✕ cancelled</tspan></text>`,
    '</svg>',
  );
  return out.join('\n');
}

/**
 * Offsets the turns that share an instant by their order, across all lanes: a turn is a run of
 * consecutive events of one task (its step and what the step printed).
 */
function instantRanks(events: readonly TimelineEvent[]): Map<TimelineEvent, number> {
  const ranks = new Map<TimelineEvent, number>();
  let time = Number.NaN;
  let task = '';
  let rank = -1;
  for (const e of events) {
    if (e.time !== time) {
      time = e.time;
      rank = -1;
      task = '';
    }
    if (e.task !== task) {
      task = e.task;
      rank++;
    }
    ranks.set(e, rank * NUDGE);
  }
  return ranks;
}

function eventShape(e: TimelineEvent, cx: number, y: number, legend: Legend): string {
  const title = `${e.time} ms · ${e.task} · ${e.kind}${e.value === undefined ? '' : ` ${showValue(e.value)}`}`;
  const open = `<g class="event" data-task="${xml(e.task)}" data-kind="${e.kind}" data-time="${e.time}"><title>${xml(title)}</title>`;
  const X = r(cx);
  switch (e.kind) {
    case 'start':
    case 'resume':
      return `${open}<line x1="${X}" y1="${y - 12}" x2="${X}" y2="${y + 12}" stroke="#1565c0" stroke-width="3"/></g>`;
    case 'cancel':
      return `${open}<path d="M${X - 5} ${y + 16} L${X + 5} ${y + 16} L${X} ${y + 9} Z" fill="#ef6c00"/></g>`;
    case 'print':
    case 'emit': {
      const letter = legend.letterOf(e.value);
      const text = labelOf(e);
      return (
        `${open}<circle cx="${X}" cy="${y}" r="8" fill="#2e7d32"/>` +
        `<text x="${X}" y="${y + 4}" text-anchor="middle" fill="#fff" font-size="10">${xml(letter)}</text>` +
        `<text x="${X}" y="${y - 14}" text-anchor="middle" fill="#2e7d32" font-size="11">${xml(text)}</text></g>`
      );
    }
    case 'return':
      return `${open}<line x1="${X + 12}" y1="${y - 12}" x2="${X + 12}" y2="${y + 12}" stroke="#000" stroke-width="3"/></g>`;
    case 'raise':
    case 'cancelled': {
      const color = e.kind === 'raise' ? '#c62828' : '#ef6c00';
      return `${open}<path d="M${X - 7} ${y - 7} L${X + 7} ${y + 7} M${X + 7} ${y - 7} L${X - 7} ${y + 7}" stroke="${color}" stroke-width="3"/></g>`;
    }
    default:
      return `${open}</g>`;
  }
}

/** The time axis: ticks at a round step, labelled in ms, with faint guides across the lanes. */
function axis(tMax: number, LEFT: number, span: number, y: number, bottom: number): string[] {
  const step = niceStep(tMax / 10);
  const out = [
    `<g class="axis"><line x1="${LEFT}" y1="${y}" x2="${LEFT + span}" y2="${y}" stroke="#333"/>`,
  ];
  for (let t = 0; t <= tMax + 1e-9; t += step) {
    const X = r(LEFT + (t / tMax) * span);
    out.push(
      `<line x1="${X}" y1="${y - 4}" x2="${X}" y2="${bottom}" stroke="#e3e6ea"/>`,
      `<text x="${X}" y="${y - 8}" text-anchor="middle" fill="#333">${t}ms</text>`,
    );
  }
  out.push('</g>');
  return out;
}

/** The text drawn above a print or emit dot; '' for other events. */
function labelOf(e: TimelineEvent): string {
  if (e.kind !== 'print' && e.kind !== 'emit') return '';
  return typeof e.value === 'string' ? e.value : showValue(e.value);
}

/**
 * Width of `text` in px in the picture's monospace font: 0.62 em a character (Menlo, Consolas and
 * DejaVu Sans Mono are 0.6), two for wide ones (CJK, emoji). An estimate: no DOM to measure with.
 */
function textWidth(text: string, fontSize: number): number {
  let cells = 0;
  for (const ch of text)
    cells +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{1f300}-\u{1faff}]/u.test(
        ch,
      )
        ? 2
        : 1;
  return cells * fontSize * 0.62;
}

function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

function r(v: number): number {
  return Math.round(v * 10) / 10;
}

function xml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
