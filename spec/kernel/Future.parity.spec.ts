/**
 * asyncio parity, round 2 (issue 16): Future behaviours CPython's test_futures checks.
 */
import { runVirtual } from '../../marbles/index.js';
import { CancelledError, createTask, getRunningLoop, sleep } from '../../src/index.js';

describe('Future (asyncio parity, issue 16)', () => {
  it('cancel() of a future that holds an exception marks it retrieved (test_futures test_tb_logger_not_called_after_cancel)', () => {
    const r = runVirtual(
      (function* () {
        const fut = getRunningLoop().createFuture<void>();
        fut.setException(new Error('boom'));
        expect(fut.cancel()).toBeFalse();
        yield* sleep(0);
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: undefined });
    expect(r.reports.map((c) => c.message)).toEqual([]);
  });

  it('the cleanup loop `for (t of tasks) t.cancel()` leaves no "never retrieved" report (test_tasks test_tb_logger_not_called_after_cancel)', () => {
    const r = runVirtual(
      (function* () {
        const tasks = [
          createTask(
            (function* () {
              throw new TypeError('failed early');
            })(),
          ),
          createTask(sleep(1000)),
        ];
        yield* sleep(50);
        for (const t of tasks) t.cancel();
        yield* sleep(0);
        return tasks.map((t) => (t.cancelled() ? 'cancelled' : 'failed'));
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: ['failed', 'cancelled'] });
    expect(r.reports.map((c) => c.message)).toEqual([]);
  });

  it('cancel(msg) keeps a message of any type: args[0] is the value, message its string form (test_tasks test_cancel_with_message_then_future_result)', () => {
    const r = runVirtual(
      (function* () {
        const loop = getRunningLoop();
        const cases: [unknown[], unknown[], string][] = [
          [[], [], ''],
          [[null], [], ''],
          [['my message'], ['my message'], 'my message'],
          [[5], [5], '5'],
        ];
        const seen: unknown[] = [];
        for (const [cancelArgs, expectedArgs, text] of cases) {
          const fut = loop.createFuture<void>();
          fut.cancel(...(cancelArgs as [unknown?]));
          const task = createTask(
            (function* () {
              yield* sleep(10);
            })(),
          );
          yield* sleep(0);
          task.cancel(...(cancelArgs as [unknown?]));
          for (const f of [fut, task]) {
            try {
              yield* f;
            } catch (e) {
              seen.push([(e as CancelledError).args, (e as CancelledError).message]);
            }
          }
          try {
            fut.result(); // a future builds a fresh error each time, with the same args
          } catch (e) {
            const c = e as CancelledError;
            seen.push([c instanceof CancelledError, c.args, c.message]);
          }
          expect(seen.splice(0)).toEqual([
            [expectedArgs, text],
            [expectedArgs, text],
            [true, expectedArgs, text],
          ]);
        }
        // A value whose toString throws still gives a usable error (nothing strands the task).
        const odd = {
          toString(): string {
            throw new Error('no');
          },
        };
        const t = createTask(sleep(10));
        yield* sleep(0);
        t.cancel(odd);
        try {
          yield* t;
        } catch (e) {
          return [(e as CancelledError).args[0] === odd, (e as CancelledError).message];
        }
        return null;
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: [true, '<object>'] });
  });
});
