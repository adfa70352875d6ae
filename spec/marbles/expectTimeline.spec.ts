import {
  expectTimeline,
  record,
  TimelineMismatchError,
  virtualScheduler,
} from '../../marbles/index.js';
import { CancelledError, createTask, sleep } from '../../src/index.js';
import { seedMain } from './seedProgram.js';

function twoTasks() {
  return record((tl) =>
    (function* () {
      const a = createTask(
        (function* () {
          yield* sleep(3);
          tl.print('x');
          tl.print('y');
          yield* sleep(20);
          tl.emit(7);
        })(),
        { name: 'A' },
      );
      const b = createTask(
        (function* () {
          yield* sleep(1500);
          throw new RangeError('late');
        })(),
        { name: 'B' },
      );
      yield* a;
      try {
        yield* b;
      } catch {}
    })(),
  ).timeline;
}

function mismatch(f: () => void): string {
  try {
    f();
  } catch (e) {
    expect(e).toEqual(jasmine.any(TimelineMismatchError));
    return (e as Error).message;
  }
  fail('expected a TimelineMismatchError');
  return '';
}

describe('timeline marble text', () => {
  it('renders groups, dashes for short gaps and time progression for long ones', () => {
    const { lanes, values } = twoTasks().toMarbles();
    expect(lanes).toEqual({ main: '1500ms |', A: '---(xy) 16ms (a|)', B: '1500ms #' });
    expect(values).toEqual({ x: 'x', y: 'y', a: 7 } as never);
  });

  it('renders the seed program with the letters given', () => {
    const { timeline } = record(seedMain);
    expect(
      timeline.toMarbles({ values: { a: 'coro1()', b: 'coro2()' }, lanes: ['coro1', 'coro2'] })
        .lanes,
    ).toEqual({
      coro1: '1000ms a 999ms a 999ms a 999ms a 999ms (a|)',
      coro2: '2000ms b 1999ms b 1999ms b 1999ms b 1999ms (b|)',
    });
  });

  it('uses letters for values when the printed text is not a single letter', () => {
    const { lanes, values } = record((tl) =>
      (function* () {
        tl.print('hello');
        tl.print('a');
        yield* sleep(0);
      })(),
    ).timeline.toMarbles();
    expect(lanes.main).toBe('(ab|)');
    expect(values).toEqual({ a: 'hello', b: 'a' });
  });
});

describe('timeline marble text, lifecycle', () => {
  it('shows lifecycle events as letters when asked', () => {
    const { lanes, values } = record(() =>
      (function* () {
        yield* sleep(10);
      })(),
    ).timeline.toMarbles({ kinds: ['start', 'resume', 'return'] });
    expect(lanes.main).toBe('a---------(b|)');
    expect(values).toEqual({ a: 'start', b: 'resume' });
  });
});

describe('expectTimeline', () => {
  it('passes on a matching diagram, whatever the spelling of the gaps', () => {
    const tl = twoTasks();
    expectTimeline(tl, { A: '---(xy) 16ms (z|)', B: '1500ms #' }, { x: 'x', y: 'y', z: 7 });
    expectTimeline(tl, { A: '3ms (xy) ----------------(z|)' }, { x: 'x', y: 'y', z: 7 });
  });

  it('matches # against any error unless one is given', () => {
    const tl = twoTasks();
    expectTimeline(tl, { B: '1500ms #' }, {}, { error: new RangeError('late') });
    const msg = mismatch(() =>
      expectTimeline(tl, { B: '1500ms #' }, {}, { error: new Error('x') }),
    );
    expect(msg).toContain('B ✗ expected');
  });

  it('compares a given error by name and message, not by its run-specific fields', () => {
    // A CancelledError carries its origin (the cancelling task): deep equality could never match.
    const { timeline } = record(() =>
      (function* () {
        const victim = createTask(sleep(100), { name: 'victim' });
        yield* sleep(10);
        victim.cancel('stop');
        yield* sleep(1);
      })(),
    );
    expectTimeline(timeline, { victim: '10ms #' }, {}, { error: new CancelledError('stop') });
    const wrongMessage = mismatch(() =>
      expectTimeline(timeline, { victim: '10ms #' }, {}, { error: new CancelledError('halt') }),
    );
    expect(wrongMessage).toContain('victim ✗ expected');
    const wrongName = mismatch(() =>
      expectTimeline(timeline, { victim: '10ms #' }, {}, { error: new Error('stop') }),
    );
    expect(wrongName).toContain('victim ✗ expected');
  });

  it('shows both diagrams aligned on a shared time axis, with ^ under the differences', () => {
    const { timeline } = record(seedMain);
    const msg = mismatch(() =>
      expectTimeline(
        timeline,
        {
          coro1: '1000ms a 999ms a 999ms a 999ms a 999ms (a|)',
          coro2: '2000ms b 1999ms b 2999ms b 999ms b 1999ms (b|)',
        },
        { a: 'coro1()', b: 'coro2()' },
      ),
    );
    expect(msg).toBe(
      [
        'The timeline does not match the expected marble diagram (1 of 2 lanes differ).',
        '',
        'time (ms)          1000  2000  3000  4000  5000  6000  7000  8000  10000',
        'coro1   expected   a     a     a     a     (a|)  -     -     -     -',
        '        actual     a     a     a     a     (a|)  -     -     -     -',
        'coro2 ✗ expected   -     b     -     b     -     -     b     b     (b|)',
        '        actual     -     b     -     b     -     b     -     b     (b|)',
        '                                                 ^^^^  ^^^^',
        '',
        'legend: a = "coro1()", b = "coro2()"; | = returned, # = raised or cancelled',
        '',
        'actual marbles:',
        "  coro1: '1000ms a 999ms a 999ms a 999ms a 999ms (a|)'",
        "  coro2: '2000ms b 1999ms b 1999ms b 1999ms b 1999ms (b|)'",
      ].join('\n'),
    );
  });

  it('reports a missing lane and values that differ', () => {
    const tl = twoTasks();
    const msg = mismatch(() =>
      expectTimeline(tl, { A: '---(xq) 16ms (z|)', C: '-a' }, { x: 'x', z: 7 }),
    );
    expect(msg).toContain('2 of 2 lanes differ');
    expect(msg).toMatch(/A ✗ expected +- +\(xq\)/);
    expect(msg).toMatch(/C ✗ expected +a +- +-\n +actual +- +- +-/);
    expect(msg).toContain("  C: ''");
  });

  it('checks unlisted lanes only when strict', () => {
    const tl = twoTasks();
    expectTimeline(tl, { B: '1500ms #' });
    const msg = mismatch(() => expectTimeline(tl, { B: '1500ms #' }, {}, { strict: true }));
    expect(msg).toContain('main ✗ expected');
  });
});

describe('expectTimeline and virtualScheduler compare values as util.isDeepStrictEqual does', () => {
  function emits(value: unknown) {
    return record((tl) =>
      (function* () {
        yield* sleep(5);
        tl.emit(value);
      })(),
    ).timeline;
  }

  it('fails on the wrong Map, Set or Date (they used to pass)', () => {
    for (const [got, want] of [
      [new Map([[1, 2]]), new Map()],
      [new Set([1]), new Set([2])],
      [new Date(1), new Date(2)],
    ] as const) {
      expect(() => expectTimeline(emits(got), { main: '-----(a|)' }, { a: want })).toThrowError(
        TimelineMismatchError,
      );
    }
    expectTimeline(
      emits(new Map([[1, new Set([new Date(3)])]])),
      { main: '-----(a|)' },
      {
        a: new Map([[1, new Set([new Date(3)])]]),
      },
    );
  });

  it('says where two values differ, with both sides', () => {
    const message = mismatch(() =>
      expectTimeline(
        emits({ user: { roles: new Set(['admin']), since: new Date(0) } }),
        {
          main: '-----(a|)',
        },
        { a: { user: { roles: new Set(['admin']), since: new Date(1) } } },
      ),
    );
    expect(message).toContain('values that differ:');
    expect(message).toContain(
      'main at 5 ms: at $.user.since (dates differ): expected Date(1970-01-01T00:00:00.001Z), actual Date(1970-01-01T00:00:00.000Z)',
    );
  });

  it("virtualScheduler's default assertion sees Maps and ignores key order", () => {
    const scheduler = virtualScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold('a|', { a: { x: 1, y: 2 } })).toBe('a|', { a: { y: 2, x: 1 } });
    });
    expect(() =>
      virtualScheduler().run(({ cold, expectObservable }) => {
        expectObservable(cold('a|', { a: new Map([[1, 2]]) })).toBe('a|', { a: new Map() });
      }),
    ).toThrowError(/the values differ at \$\[0\]\.notification\.value/);
  });
});
