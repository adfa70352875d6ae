import {
  assertEveryOrder,
  deviation,
  explore,
  formatSchedule,
  InterleavingError,
  parseSchedule,
  record,
  replay,
  type Timeline,
} from '../../marbles/index.js';
import { type Coroutine, createTask, sleep } from '../../src/index.js';
import { bothIncrements, counterRace } from './race.js';

describe('explore (the interleaving explorer)', () => {
  it('FIFO hides the race: the default order gives 2', () => {
    expect(record(counterRace).outcome).toEqual({ ok: true, value: 2 });
  });

  it('catches the check-then-act race and groups the outcomes', () => {
    const result = explore(counterRace, { check: bothIncrements });
    expect(result.runs).toBe(2);
    expect(result.outcomes.map((g) => [g.key, g.count, formatSchedule(g.schedule)])).toEqual([
      ['returned 2', 1, 'FIFO'],
      ['returned 1', 1, '#0@15ms:1,0'],
    ]);
    expect(result.failure?.run.outcome).toEqual({ ok: true, value: 1 });
  });

  it('reports the failing order by name, with a replay line and the diagram', () => {
    const report = String(explore(counterRace, { check: bothIncrements }));
    expect(report).toContain('Failing order: #0@15ms:1,0\n');
    expect(report).toContain(
      'at 15 ms (decision #0): ran [timer→B, timer→A] instead of FIFO [timer→A, timer→B]',
    );
    expect(report).toContain("replay(scenario, '#0@15ms:1,0')");
    expect(report).toContain('Failure: Error: check returned false for: returned 1');
    expect(report).toContain(
      [
        'Timeline of the failing order:',
        '  main  15ms |',
        '  A     a 14ms (b|)',
        '  B     15ms (c|)',
        '  legend: a = "A read 0", b = "A wrote 1", c = "B wrote 1"; | = returned, # = raised or cancelled',
      ].join('\n'),
    );
  });

  it('shows how the failing order differs from FIFO, aligned', () => {
    const failure = explore(counterRace, { check: bothIncrements }).failure;
    expect(failure?.comparedWithFifo).toBe(
      [
        '  time (ms)        0  15',
        '  main   FIFO      -  |',
        '         failing   -  |',
        '  A      FIFO      a  (b|)',
        '         failing   a  (b|)',
        '  B    ✗ FIFO      -  (d|)',
        '         failing   -  (c|)',
        '                      ^^^^',
        '  legend: a = "A read 0", b = "A wrote 1", c = "B wrote 1", d = "B wrote 2"',
      ].join('\n'),
    );
    expect(String(explore(counterRace, { check: bothIncrements }))).toContain(
      `Compared with FIFO:\n${failure?.comparedWithFifo}`,
    );
  });

  it('assertEveryOrder throws an InterleavingError carrying the report', () => {
    expect(() => assertEveryOrder(counterRace, bothIncrements)).toThrowMatching(
      (e) => e instanceof InterleavingError && e.message.includes('#0@15ms:1,0'),
    );
  });

  it('counts a check that throws as a failure, keeping its error', () => {
    const result = explore(counterRace, {
      check: (o) => {
        if (o?.ok && o.value !== 2) throw new RangeError(`lost an update: ${o.value}`);
      },
    });
    expect(result.failure?.error).toEqual(new RangeError('lost an update: 1'));
  });

  it('without a check, only groups outcomes', () => {
    const result = explore(counterRace);
    expect(result.failure).toBeNull();
    expect(result.outcomes.map((g) => g.key)).toEqual(['returned 2', 'returned 1']);
    expect(String(result)).toContain('Explored 2 order(s) (every order in scope): 2 outcome(s)');
  });

  it('keeps FIFO among callSoon callbacks unless scope is "all"', () => {
    function* twoStarts(tl: Timeline): Coroutine<void> {
      createTask(
        (function* () {
          tl.print('x');
          yield* sleep(0);
        })(),
        { name: 'X' },
      );
      createTask(
        (function* () {
          tl.print('y');
          yield* sleep(0);
        })(),
        { name: 'Y' },
      );
      yield* sleep(1);
    }
    const seen = new Set<string>();
    explore(twoStarts, {
      scope: 'all',
      check: (_o, run) => {
        seen.add(
          run.timeline
            .select(['print'])
            .map((e) => e.value)
            .join(''),
        );
      },
    });
    expect([...seen].sort()).toEqual(['xy', 'yx']);
    const timersOnly = new Set<string>();
    explore(twoStarts, {
      check: (_o, run) => {
        timersOnly.add(
          run.timeline
            .select(['print'])
            .map((e) => e.value)
            .join(''),
        );
      },
    });
    expect([...timersOnly]).toEqual(['xy']);
  });
});

describe('schedules: text form and replay', () => {
  it('round-trips through text', () => {
    const s = parseSchedule('#0@15ms:1,0 #4@20ms:2,0,1');
    expect(s).toEqual([
      { point: 0, time: 15, order: [1, 0] },
      { point: 4, time: 20, order: [2, 0, 1] },
    ]);
    expect(formatSchedule(s)).toBe('#0@15ms:1,0 #4@20ms:2,0,1');
    expect(parseSchedule('FIFO')).toEqual([]);
    expect(deviation(s)).toBe(3);
  });

  it('rejects malformed text with advice', () => {
    expect(() => parseSchedule('#0@15:1,0')).toThrowError(SyntaxError, /#<point>@<time>ms:<order>/);
    expect(() => parseSchedule('#0@15ms:1,1')).toThrowError(SyntaxError, /permutation/);
  });

  it('replays a reported schedule: same outcome, same timeline, every time', () => {
    const reported = formatSchedule(
      explore(counterRace, { check: bothIncrements }).failure?.schedule ?? [],
    );
    const first = replay(counterRace, reported);
    const second = replay(counterRace, reported);
    expect(first.outcome).toEqual({ ok: true, value: 1 });
    expect(formatSchedule(first.schedule)).toBe(reported);
    expect(second.timeline.toString()).toBe(first.timeline.toString());
    expect(replay(counterRace, 'FIFO').outcome).toEqual({ ok: true, value: 2 });
  });

  it('ignores a decision that no longer fits the run (FIFO there)', () => {
    const run = replay(counterRace, '#0@15ms:2,1,0 #9@0ms:1,0');
    expect(run.outcome).toEqual({ ok: true, value: 2 });
    expect(run.schedule).toEqual([]);
  });
});

/** Four workers tick at the same instants; only W1 overtaking W0 at 10 ms breaks the check. */
function* manyTies(tl: Timeline): Coroutine<string> {
  const order: string[] = [];
  const worker = (name: string) =>
    (function* () {
      for (let i = 1; i <= 3; i++) {
        yield* sleep(10);
        order.push(`${name}@${i}`);
      }
    })();
  const tasks = ['W0', 'W1', 'W2', 'W3'].map((n) => createTask(worker(n), { name: n }));
  for (const t of tasks) yield* t;
  tl.print(order.join(' '));
  return order.join(' ');
}
const w0BeforeW1 = (o: { ok: boolean; value?: unknown } | undefined): boolean =>
  o?.ok === true && (o.value as string).indexOf('W0@1') < (o.value as string).indexOf('W1@1');

describe('shrinking', () => {
  it('shrinks a random failing order to the one swap that matters', () => {
    const result = explore(manyTies, { check: w0BeforeW1, bound: 1, samples: 50, seed: 7 });
    expect(result.exhaustive).toBeFalse();
    const failure = result.failure;
    expect(failure).not.toBeNull();
    expect(deviation(failure?.found ?? [])).toBeGreaterThan(1);
    expect(formatSchedule(failure?.schedule ?? [])).toBe('#0@10ms:1,0,2,3');
    expect(deviation(failure?.schedule ?? [])).toBe(1);
    expect(w0BeforeW1(replay(manyTies, failure?.schedule ?? []).outcome)).toBeFalse();
  });

  it('can be turned off', () => {
    const result = explore(manyTies, {
      check: w0BeforeW1,
      bound: 1,
      samples: 50,
      seed: 7,
      shrink: false,
    });
    expect(result.failure?.schedule).toEqual(result.failure?.found as never);
  });

  it('explores the same orders for the same seed', () => {
    const keys = (seed: number) =>
      explore(manyTies, { bound: 1, samples: 20, seed }).outcomes.map((g) => `${g.key}x${g.count}`);
    expect(keys(3)).toEqual(keys(3));
  });

  it('stays within its bound on a large space', () => {
    const result = explore(manyTies, { bound: 30, samples: 10 });
    expect(result.exhaustive).toBeFalse();
    expect(result.runs).toBe(40);
  });

  it('rejects a bad bound', () => {
    expect(() => explore(manyTies, { bound: 0 })).toThrowError(RangeError, /bound/);
  });
});
