import { TestScheduler } from 'rxjs/testing';
import { keystrokes, runTypeahead, TYPING, typeahead } from '../../examples/typeahead.js';
import { getRunningLoop } from '../../src/index.js';

describe('the type-ahead example (switchCoroutine in an RxJS app)', () => {
  function scheduler(): TestScheduler {
    return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  }

  it('shows progress and results; a search overtaken by typing is cancelled, as a marble diagram', () => {
    const printed: string[] = [];
    scheduler().run(({ expectObservable }) => {
      const out = typeahead(keystrokes(), (line) =>
        printed.push(`${getRunningLoop().time()} ${line}`),
      );
      expectObservable(out).toBe('350ms a 219ms b 299ms c 229ms d 299ms (e|)', {
        a: 'searching "asy"…',
        b: 'searching "asyn"…',
        c: '"asyn": async, asyncio, asyncScheduler',
        d: 'searching "asyncio"…',
        e: '"asyncio": asyncio',
      });
    });
    // "asyn" was debounced through at 550: "asy" was cancelled then, and its 20 ms cleanup ran
    // before "asyn" started (at 570, above).
    expect(printed).toEqual(['570 cancelled "asy", connection closed']);
  });

  it('answers each query when the user types slowly (no cancellation)', () => {
    const printed: string[] = [];
    scheduler().run(({ cold, expectObservable }) => {
      const keys = cold('a 999ms b|', { a: 'rx', b: 'aw' });
      expectObservable(typeahead(keys, (l) => printed.push(l))).toBe(
        '150ms a 299ms b 550ms c 299ms (e|)',
        {
          a: 'searching "rx"…',
          b: '"rx": rxjs, rx-asyncio',
          c: 'searching "aw"…',
          e: '"aw": await, awaitable',
        },
      );
    });
    expect(printed).toEqual([]);
  });

  it('runs through runTypeahead (the `npm start -- typeahead` entry), here in virtual time', async () => {
    const lines: string[] = [];
    let done: Promise<void> | undefined;
    scheduler().run(() => {
      done = runTypeahead((l) => lines.push(l));
    });
    await done;
    expect(lines.length).toBe(6);
    expect(lines[0]).toMatch(/^ +\d+ ms {2}searching "asy"…$/);
    expect(lines[5]).toMatch(/ms {2}"asyncio": asyncio$/);
    expect(TYPING.length).toBe(5);
  });
});
