import { record, timelineSvg } from '../../marbles/index.js';
import { createTask, sleep } from '../../src/index.js';
import { SEED_SVG_OPTIONS, seedMain } from './seedProgram.js';

interface Mark {
  task: string;
  kind: string;
  time: number;
  x: number;
}

/** The drawn events: each `<g class="event">` with its data attributes and first x position. */
function marks(svg: string): Mark[] {
  const re =
    /<g class="event" data-task="([^"]*)" data-kind="([^"]*)" data-time="([^"]*)">.*?(?:x1|cx|d)="M?(-?[\d.]+)/g;
  return [...svg.matchAll(re)].map((m) => ({
    task: m[1] as string,
    kind: m[2] as string,
    time: Number(m[3]),
    x: Number(m[4]),
  }));
}

/** Tags balance and nest: a cheap well-formedness check that runs in Node and browsers. */
function balanced(svg: string): boolean {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    if (m[3] === '/') continue;
    if (m[1] === '/') {
      if (stack.pop() !== m[2]) return false;
    } else stack.push(m[2] as string);
  }
  return stack.length === 0;
}

describe('timelineSvg', () => {
  const svg = timelineSvg(record(seedMain).timeline, SEED_SVG_OPTIONS);

  it('is one well-formed svg element with a lane per task', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBeTrue();
    expect(balanced(svg)).toBeTrue();
    const lanes = [...svg.matchAll(/<g class="lane" data-task="([^"]*)">/g)].map((m) => m[1]);
    expect(lanes).toEqual(['main', 'coro1', 'coro2']);
  });

  it('marks every print at its time, with its text', () => {
    const prints = marks(svg)
      .filter((m) => m.kind === 'print')
      .sort((a, b) => a.x - b.x);
    expect(prints.map((m) => `${m.time} ${m.task}`)).toEqual([
      '1000 coro1',
      '2000 coro2',
      '2000 coro1',
      '3000 coro1',
      '4000 coro2',
      '4000 coro1',
      '5000 coro1',
      '6000 coro2',
      '8000 coro2',
      '10000 coro2',
    ]);
    expect(svg.split('>coro1()</text>').length - 1).toBe(5);
    expect(svg.split('>coro2()</text>').length - 1).toBe(5);
  });

  it('places time left to right, and same-instant turns in the order they ran', () => {
    const prints = marks(svg).filter((m) => m.kind === 'print');
    const byTime = [...prints].sort((a, b) => a.time - b.time || a.x - b.x);
    const xs = byTime.map((m) => m.x);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    const at2000 = byTime.filter((m) => m.time === 2000);
    expect(at2000.map((m) => m.task)).toEqual(['coro2', 'coro1']);
    expect((at2000[1] as Mark).x).toBeGreaterThan((at2000[0] as Mark).x);
    expect((at2000[1] as Mark).x - (at2000[0] as Mark).x).toBeLessThan(20);
  });

  it('draws returns, raises and cancellations differently, and escapes text', () => {
    const { timeline } = record((tl) =>
      (function* () {
        const bad = createTask(
          (function* () {
            yield* sleep(5);
            throw new Error('<boom>');
          })(),
          { name: 'bad & co' },
        );
        tl.print('a < b');
        try {
          yield* bad;
        } catch {}
      })(),
    );
    const pic = timelineSvg(timeline, { title: 'x "y"' });
    expect(balanced(pic)).toBeTrue();
    expect(pic).toContain('data-task="bad &amp; co" data-kind="raise"');
    expect(pic).toContain('>a &lt; b</text>');
    expect(pic).toContain('>x &quot;y&quot;</text>');
    expect(pic).toMatch(/data-kind="raise"[^>]*>[\s\S]*?stroke="#c62828"/);
    expect(pic).toMatch(/data-kind="return"/);
  });
});

describe('timelineSvg sizes its margins to the text', () => {
  // The picture's own estimate of monospace text: 0.62 em a character.
  const widthOf = (text: string, size: number): number => text.length * size * 0.62;

  it('keeps long lane names and labels at either end inside the picture', () => {
    const longLane = 'a-task-with-a-very-long-descriptive-name';
    const first = 'a first label that is much wider than the default margins';
    const last = 'and a last label, at the very end of the time axis, just as wide';
    const { timeline } = record((tl) =>
      (function* () {
        yield* createTask(
          (function* () {
            tl.print(first);
            yield* sleep(1000);
            tl.print(last);
          })(),
          { name: longLane },
        );
      })(),
    );
    const svg = timelineSvg(timeline, { width: 600 });
    const width = Number(/<svg [^>]*width="(\d+)"/.exec(svg)?.[1]);
    const name = new RegExp(`<text x="([\\d.]+)"[^>]*text-anchor="end"[^>]*>${longLane}<`).exec(
      svg,
    );
    expect(Number(name?.[1]) - widthOf(longLane, 12)).toBeGreaterThanOrEqual(0);
    for (const label of [first, last]) {
      const at = new RegExp(`<text x="([\\d.]+)"[^>]*font-size="11">${label}<`).exec(svg);
      const x = Number(at?.[1]);
      expect(x - widthOf(label, 11) / 2)
        .withContext(label)
        .toBeGreaterThanOrEqual(0);
      expect(x + widthOf(label, 11) / 2)
        .withContext(label)
        .toBeLessThanOrEqual(width);
    }
  });
});
