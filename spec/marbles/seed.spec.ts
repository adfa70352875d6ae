import { expectTimeline, record } from '../../marbles/index.js';
import { seedMain } from './seedProgram.js';

describe("the seed's first program as a marble diagram", () => {
  it('pins every line to its virtual time', () => {
    const { timeline, outcome, time } = record(seedMain);
    expect(outcome).toEqual({ ok: true, value: undefined });
    expect(time).toBe(10_000);
    expectTimeline(
      timeline,
      {
        coro1: '1000ms a 999ms a 999ms a 999ms a 999ms (a|)',
        coro2: '2000ms b 1999ms b 1999ms b 1999ms b 1999ms (b|)',
        main: '10000ms |',
      },
      { a: 'coro1()', b: 'coro2()' },
    );
  });

  it("prints in the seed's order, coro2 before coro1 at 2000 and 4000 ms", () => {
    const { timeline } = record(seedMain);
    const prints = timeline.select(['print']).map((e) => `${e.time} ${e.value}`);
    expect(prints).toEqual([
      '1000 coro1()',
      '2000 coro2()',
      '2000 coro1()',
      '3000 coro1()',
      '4000 coro2()',
      '4000 coro1()',
      '5000 coro1()',
      '6000 coro2()',
      '8000 coro2()',
      '10000 coro2()',
    ]);
  });
});
