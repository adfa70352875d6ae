/**
 * asyncio parity, round 2 (issue 16, item 10): the messages CPython's test_timeouts matches on,
 * kept next to rx-asyncio's advice.
 */
import { getRunningLoop, RuntimeError, sleep, Timeout, timeout } from '../../src/index.js';
import { value } from '../support/outcome.js';

describe('Timeout messages (asyncio parity, issue 16)', () => {
  it('entered twice: "has already been entered" (test_timeouts test_timeout_double_enter)', () => {
    expect(
      value(
        (function* () {
          const cm = new Timeout(null);
          yield* cm.scope(function* () {});
          try {
            yield* cm.scope(function* () {});
            return 'entered twice';
          } catch (e) {
            return `${(e as Error).name}: ${(e as Error).message}`;
          }
        })(),
      ),
    ).toMatch(/^RuntimeError: .*has already been entered/);
  });

  it('entered inside itself: "has already been entered" (test_timeouts test_timeout_already_entered)', () => {
    expect(
      value(
        (function* () {
          const cm = new Timeout(getRunningLoop().time() + 10);
          return yield* cm.scope(function* () {
            try {
              yield* cm.scope(function* () {});
              return 'entered twice';
            } catch (e) {
              return (e as Error).message;
            }
          });
        })(),
      ),
    ).toMatch(/has already been entered/);
  });

  it('outside a task: the message names the task (test_timeouts test_timeout_without_task)', () => {
    const message = value(
      (function* () {
        let seen = '';
        getRunningLoop().callSoon(() => {
          try {
            new Timeout(null).scope(function* () {}).next();
          } catch (e) {
            seen = (e as Error).message;
          }
        });
        yield* sleep(0);
        return seen;
      })(),
    );
    expect(message).toMatch(/should be used inside a task/);
    expect(() => timeout(5, function* () {})[Symbol.iterator]()).toThrowError(RuntimeError);
  });
});
