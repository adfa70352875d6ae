/**
 * Found by the bad-input sweep: `ensureFuture(1)`, `ensureFuture({})`, `gather(null)` and
 * `shield(1)` failed with RxJS's "You provided '1' where a stream was expected": ensureFuture
 * meant to replace that message with its own, but its pattern did not match RxJS 7's wording.
 */

import { runVirtual } from '../../../marbles/runVirtual.js';
import { ensureFuture, gather, shield, sleep } from '../../../src/index.js';

// biome-ignore lint/suspicious/noExplicitAny: bad input on purpose.
const bad = (x: unknown): any => x;

describe('regression: ensureFuture of a non-awaitable primitive or plain object', () => {
  it('says what ensureFuture accepts, for every entry point that uses it', () => {
    const messages: string[] = [];
    runVirtual(
      (function* () {
        for (const call of [
          () => ensureFuture(bad(1)),
          () => ensureFuture(bad({})),
          () => gather(bad(null)),
          () => shield(bad(true)),
        ]) {
          try {
            call();
          } catch (e) {
            expect(e).toBeInstanceOf(TypeError);
            messages.push((e as Error).message);
          }
        }
        yield* sleep(0);
      })(),
    );
    expect(messages.length).toBe(4);
    for (const m of messages) {
      expect(m).toMatch(
        /^ensureFuture\(\): expected a Future, Task, coroutine, Promise or Observable/,
      );
      expect(m).not.toMatch(/stream was expected/);
    }
  });
});
