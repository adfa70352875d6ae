/**
 * Found by fault injection: `cancel(msg)` accepted any value and the `CancelledError` was built
 * from it later, inside the loop. A message whose `toString` throws then killed the step that
 * should deliver the cancellation: the task (and whoever awaited it) hung forever. It was first
 * fixed by refusing non-string messages; asyncio keeps any value (issue 16, item 11), so now the
 * message is kept as given (`CancelledError.args[0]`) and its text is made without ever
 * throwing: the cancellation is delivered whatever the value.
 */

import { runVirtual } from '../../../marbles/runVirtual.js';
import { type CancelledError, createTask, getRunningLoop, sleep } from '../../../src/index.js';

const hostile = {
  toString(): string {
    throw new Error('toString failed');
  },
};

describe('regression: cancel(msg) with a message that is not a string', () => {
  it('Task.cancel with a message whose toString throws still cancels the task', () => {
    const r = runVirtual(
      (function* () {
        const t = createTask(
          (function* () {
            return yield* sleep(10, 'slept');
          })(),
        );
        yield* sleep(1);
        expect(t.cancel(hostile)).toBeTrue();
        try {
          yield* t;
          return 'not cancelled';
        } catch (e) {
          return [t.cancelled(), (e as CancelledError).args[0] === hostile];
        }
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: [true, true] });
    expect(r.reports).toEqual([]);
  });

  it('Future.cancel with such a message cancels the future; result() raises the CancelledError', () => {
    const r = runVirtual(
      (function* () {
        const fut = getRunningLoop().createFuture<number>();
        expect(fut.cancel(hostile)).toBeTrue();
        try {
          fut.result();
          return 'no error';
        } catch (e) {
          return [fut.cancelled(), (e as CancelledError).args[0] === hostile, String(fut)];
        }
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: [true, true, '<Future cancelled>'] });
  });
});
