// The seed's second program in virtual time: the input worker is a FakeExecutor job whose line
// "arrives" at a chosen time, so the whole 11-second program runs in microseconds.

import { main } from '../../examples/second.js';
import { FakeExecutor, runVirtual } from '../../marbles/index.js';
import { EOFError } from '../../src/index.js';

function program(
  outcome: (job: { name: string }) => { after: number; value?: string; error?: Error },
) {
  const lines: string[] = [];
  const fake = new FakeExecutor((job) => outcome(job) as never);
  let loopTime = (): number => 0;
  const r = runVirtual(
    main((...values) => lines.push(`${loopTime()} ${values.join(' ')}`)),
    {
      setup: (loop) => {
        loop.setDefaultExecutor(fake);
        loopTime = () => loop.time();
      },
    },
  );
  return { lines, fake, r };
}

describe('examples/second: to_thread(input) while two coroutines print', () => {
  it("prints the seed's ten lines, then the input, then ends (a line at 11 s)", () => {
    const { lines, fake, r } = program(() => ({ after: 11_000, value: 'Hello world' }));
    expect(lines).toEqual([
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
      '11000 Your input is:  Hello world',
    ]);
    expect(fake.jobs.map((j) => [j.name, j.args])).toEqual([['input', ['Type something: ']]]);
    expect(r.outcome).toEqual({ ok: true, value: undefined });
    expect(r.time).toBe(11_000);
  });

  it('cancels the coroutines still running when the line comes early', () => {
    const { lines, r } = program(() => ({ after: 2500, value: 'quick' }));
    expect(lines).toEqual([
      '1000 coro1()',
      '2000 coro2()',
      '2000 coro1()',
      '2500 Your input is:  quick',
    ]);
    expect(r.time).toBe(2500); // run() cancelled coro1 and coro2 at once
  });

  it('ends with EOFError when stdin is closed', () => {
    const { lines, r } = program(() => ({ after: 0, error: new EOFError('stdin closed') }));
    expect(lines).toEqual([]);
    expect(r.outcome?.ok).toBe(false);
    expect((r.outcome as { error: unknown }).error).toBeInstanceOf(EOFError);
  });
});
