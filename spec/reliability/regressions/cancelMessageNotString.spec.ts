/**
 * Found by fault injection: `cancel(msg)` accepted any value and the `CancelledError` was built
 * from it later, inside the loop. A message whose `toString` throws then killed the step that
 * should deliver the cancellation: the task (and whoever awaited it) hung forever. A message
 * that is not a string is now a `TypeError` at the call, on tasks and futures alike.
 */

import { runVirtual } from '../../../marbles/runVirtual.js';
import { createTask, getRunningLoop, sleep } from '../../../src/index.js';

const hostile = {
  toString(): string {
    throw new Error('toString failed');
  },
};

describe('regression: cancel(msg) with a message that is not a string', () => {
  it('Task.cancel throws a TypeError at the call and the task is not cancelled', () => {
    const r = runVirtual(
      (function* () {
        const t = createTask(
          (function* () {
            return yield* sleep(10, 'slept');
          })(),
        );
        yield* sleep(1);
        expect(() => t.cancel(hostile as unknown as string)).toThrowError(
          TypeError,
          /msg must be a string/,
        );
        expect(() => t.cancel(42 as unknown as string)).toThrowError(TypeError);
        expect(t.cancelling()).toBe(0);
        return yield* t;
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: 'slept' });
    expect(r.reports).toEqual([]);
  });

  it('Future.cancel throws a TypeError at the call and the future stays pending', () => {
    const r = runVirtual(
      (function* () {
        const fut = getRunningLoop().createFuture<number>();
        expect(() => fut.cancel(hostile as unknown as string)).toThrowError(TypeError);
        expect(fut.done()).toBe(false);
        fut.cancel('fine');
        return fut.cancelled();
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: true });
  });
});
