/**
 * Issue 14, item 3: `cancel()` delegated through nested gathers by recursion (a task cancels its
 * gather, the gather its child task, that task its own gather...). Past ~3,500 levels it threw
 * `RangeError` at the caller and the cancellation was dropped: `waitFor(g(6000), 100)` returned a
 * value after 5 s instead of raising `TimeoutError`, and no `finally` ran. The kernel's cancel walk
 * now goes through gathers with an explicit stack. Found on the way: a gather of a cancelled gather
 * failed with a `TypeError` in a callback (setException(CancelledError)) and never settled.
 */

import { runVirtual } from '../../../marbles/runVirtual.js';
import { type Coroutine, gather, sleep, waitFor } from '../../../src/index.js';

describe('regression: cancelling a deep nested-gather chain was lost', () => {
  it('waitFor(g(6000), 100) raises TimeoutError at 100 ms; every finally runs once', () => {
    const depth = 6000;
    let finallies = 0;
    function* g(n: number): Coroutine<number> {
      try {
        if (n === 0) {
          yield* sleep(5000);
          return 0;
        }
        return 1 + (yield* gather(g(n - 1)))[0];
      } finally {
        finallies++;
      }
    }
    const r = runVirtual(
      (function* () {
        try {
          return yield* waitFor(g(depth), 100);
        } catch (e) {
          return (e as Error).name;
        }
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: 'TimeoutError' });
    expect(r.time).toBe(100);
    expect(finallies).toBe(depth + 1);
    expect(r.reports).toEqual([]);
  });

  it('cancels a gather of gathers 6,000 deep (no task in between)', () => {
    const depth = 6000;
    const r = runVirtual(
      (function* () {
        const leaf = sleep(5000);
        // biome-ignore lint/suspicious/noExplicitAny: a nest of gathers has a recursive type.
        let g: any = gather(leaf);
        for (let i = 0; i < depth; i++) g = gather(g);
        yield* sleep(10);
        expect(g.cancel('stop')).toBe(true);
        try {
          yield* g;
          return 'not cancelled';
        } catch (e) {
          return `${(e as Error).name}: ${(e as Error).message}`;
        }
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: 'CancelledError: stop' });
    expect(r.time).toBe(10);
  });
});
