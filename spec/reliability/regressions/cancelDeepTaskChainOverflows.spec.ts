/**
 * Found by the soak tests: `task.cancel()` delegated down a chain of tasks awaiting tasks by
 * recursion (`waiter.cancel(msg)`), so cancelling a chain of 10,000 overflowed the stack halfway:
 * the outer tasks counted a cancellation the inner ones never got, `run()`'s shutdown overflowed
 * again, and every task ended "destroyed but pending". Delegation now walks the chain in a loop.
 */

import { runVirtual } from '../../../marbles/runVirtual.js';
import { type Coroutine, createTask, sleep } from '../../../src/index.js';

describe('regression: cancelling a deep chain of tasks overflowed the stack', () => {
  it('cancels a chain of 10,000 tasks awaiting each other; every finally runs once', () => {
    const depth = 10_000;
    let finallies = 0;
    function* link(n: number): Coroutine<number> {
      try {
        if (n === 0) {
          yield* sleep(100);
          return 0;
        }
        return 1 + (yield* createTask(link(n - 1)));
      } finally {
        finallies++;
      }
    }
    const r = runVirtual(
      (function* () {
        const top = createTask(link(depth));
        yield* sleep(10);
        expect(top.cancel('stop')).toBe(true);
        expect(top.cancelling()).toBe(1);
        try {
          yield* top;
          return 'not cancelled';
        } catch (e) {
          return `${(e as Error).name}: ${(e as Error).message}`;
        }
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: 'CancelledError: stop' });
    expect(finallies).toBe(depth + 1);
    expect(r.reports).toEqual([]);
    expect(r.time).toBe(10);
  });
});
