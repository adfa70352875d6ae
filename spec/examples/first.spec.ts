import { Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { main } from '../../examples/first.js';
import { runVirtual } from '../../marbles/index.js';
import { fromCoroutine, getRunningLoop } from '../../src/index.js';

/** The seed's first program as an Observable of printed lines (a = coro1(), b = coro2()). */
function printed(): Observable<string> {
  return new Observable<string>((subscriber) =>
    fromCoroutine(() => main((line) => subscriber.next(line === 'coro1()' ? 'a' : 'b'))).subscribe({
      error: (e) => subscriber.error(e),
      complete: () => subscriber.complete(),
    }),
  );
}

describe('the seed’s first example (two coroutines running together)', () => {
  it('prints every line at its virtual time, as a marble diagram', () => {
    new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(
      ({ expectObservable }) => {
        // 1 s: coro1 | 2 s: coro2 then coro1 | 3 s | 4 s: coro2, coro1 | 5 s | 6, 8, 10 s: coro2
        expectObservable(printed()).toBe(
          '1000ms a 999ms (ba) 996ms a 999ms (ba) 996ms a 999ms b 1999ms b 1999ms (b|)',
        );
      },
    );
  });

  it('prints exactly the seed’s output, in the seed’s order, in no real time', () => {
    const lines: string[] = [];
    // "No real time" as an outcome: runVirtual returns synchronously and arms no real timer.
    const timeout = spyOn(globalThis, 'setTimeout').and.callThrough();
    const interval = spyOn(globalThis, 'setInterval').and.callThrough();
    const r = runVirtual(main((line) => lines.push(`${getRunningLoop().time()} ${line}`)));
    expect(r.outcome).toEqual({ ok: true, value: undefined });
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
    ]);
    expect(r.time).toBe(10_000);
    expect(timeout).not.toHaveBeenCalled(); // ten virtual seconds, no real waiting
    expect(interval).not.toHaveBeenCalled();
  });
});
