/**
 * asyncio parity, round 2 (issue 16, item 8): a negative delay keeps its absolute deadline.
 */
import { getRunningLoop, sleep } from '../../src/index.js';
import { value } from '../support/outcome.js';

describe('EventLoop.callLater with a negative delay (asyncio parity, issue 16)', () => {
  it('orders by deadline: -2 before -1 (test_base_events test_call_later_negative_delays)', () => {
    expect(
      value(
        (function* () {
          const loop = getRunningLoop();
          const calls: string[] = [];
          loop.callLater(-1, () => calls.push('a'));
          loop.callLater(-2, () => calls.push('b'));
          yield* sleep(0);
          yield* sleep(0);
          return calls;
        })(),
      ),
    ).toEqual(['b', 'a']);
  });

  it('a later callLater(-5) runs before an earlier callLater(0); equal deadlines keep scheduling order', () => {
    expect(
      value(
        (function* () {
          const loop = getRunningLoop();
          const calls: string[] = [];
          yield* sleep(100); // a clock that is not at 0
          loop.callLater(0, () => calls.push('zero'));
          loop.callLater(-5, () => calls.push('minus5 first'));
          loop.callLater(-5, () => calls.push('minus5 second'));
          loop.callAt(loop.time() - 10, () => calls.push('at now-10'));
          yield* sleep(1);
          return calls;
        })(),
      ),
    ).toEqual(['at now-10', 'minus5 first', 'minus5 second', 'zero']);
  });
});
