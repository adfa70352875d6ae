/**
 * CPython's Lib/test/test_asyncio/test_timeouts.py, ported test by test to virtual time (each `it`
 * names its CPython test; seconds become milliseconds). The tests that need a blocking
 * `time.sleep` (test_nested_timeouts_concurrent, _loop_busy) are in timeout.spec.ts as the
 * "slow step" cases; test_timeout_without_task is in the parity specs.
 */
import {
  type Awaitable,
  CancelledError,
  type Coroutine,
  createTask,
  currentTask,
  getRunningLoop,
  RuntimeError,
  sleep,
  Timeout,
  TimeoutError,
  timeout,
  timeoutAt,
} from '../../src/index.js';
import { raised, value } from '../support/outcome.js';

/** What `body` raised, by class name; 'none' if it returned. */
function* raisedName(body: Awaitable<unknown>): Coroutine<string> {
  const e = yield* raised(body);
  return e === undefined ? 'none' : (e as Error).name;
}

describe('timeout (CPython test_timeouts)', () => {
  it('test_timeout_basic and test_timeout_at_basic: TimeoutError, expired(), when() is the deadline', () => {
    const [basic, at] = value(
      (function* () {
        let cm: Timeout | undefined;
        const r1 = yield* raisedName(
          timeout(10, function* (c) {
            cm = c;
            yield* sleep(10_000);
          }),
        );
        const basic = [r1, cm?.expired()];
        const deadline = getRunningLoop().time() + 10;
        const r2 = yield* raisedName(
          timeoutAt(deadline, function* (c) {
            cm = c;
            yield* sleep(10_000);
          }),
        );
        return [basic, [r2, cm?.expired(), cm?.when() === deadline]];
      })(),
    );
    expect(basic).toEqual(['TimeoutError', true]);
    expect(at).toEqual(['TimeoutError', true, true]);
  });

  it('test_nested_timeouts: with one deadline only the outer raises TimeoutError; both expired', () => {
    const result = value(
      (function* () {
        const deadline = getRunningLoop().time() + 10;
        let cm1: Timeout | undefined;
        let cm2: Timeout | undefined;
        let cancelled = false;
        const r = yield* raisedName(
          timeoutAt(deadline, function* (c1) {
            cm1 = c1;
            try {
              yield* timeoutAt(deadline, function* (c2) {
                cm2 = c2;
                yield* sleep(10_000);
              });
            } catch (e) {
              cancelled = e instanceof CancelledError;
              throw e;
            }
          }),
        );
        return [r, cancelled, cm1?.expired(), cm2?.expired()];
      })(),
    );
    expect(result).toEqual(['TimeoutError', true, true, true]);
  });

  it('test_waiter_cancelled: the body sees CancelledError', () => {
    const result = value(
      (function* () {
        let cancelled = false;
        const r = yield* raisedName(
          timeout(10, function* () {
            try {
              yield* sleep(10_000);
            } catch (e) {
              cancelled = e instanceof CancelledError;
              throw e;
            }
          }),
        );
        return [r, cancelled];
      })(),
    );
    expect(result).toEqual(['TimeoutError', true]);
  });

  it('test_timeout_not_called, test_timeout_disabled, test_timeout_at_disabled', () => {
    const result = value(
      (function* () {
        const out: unknown[] = [];
        yield* timeout(10_000, function* (cm) {
          yield* sleep(10);
          out.push(cm);
        });
        const notCalled = out[0] as Timeout;
        out.length = 0;
        yield* timeout(null, function* (cm) {
          yield* sleep(10);
          out.push(cm);
        });
        yield* timeoutAt(null, function* (cm) {
          yield* sleep(10);
          out.push(cm);
        });
        const [disabled, atDisabled] = out as Timeout[];
        return [
          notCalled.expired(),
          (notCalled.when() as number) > getRunningLoop().time(),
          disabled?.expired(),
          disabled?.when(),
          atDisabled?.expired(),
          atDisabled?.when(),
        ];
      })(),
    );
    expect(result).toEqual([false, true, false, null, false, null]);
  });

  it('test_timeout_zero, _zero_sleep_zero, _in_the_past_sleep_zero: expired at once, when() now or before', () => {
    const result = value(
      (function* () {
        const rows: unknown[] = [];
        for (const [ms, sleepMs] of [
          [0, 10_000],
          [0, 0],
          [-11, 0],
        ] as const) {
          let cm: Timeout | undefined;
          const t0 = getRunningLoop().time();
          const r = yield* raisedName(
            timeout(ms, function* (c) {
              cm = c;
              yield* sleep(sleepMs);
            }),
          );
          const t1 = getRunningLoop().time();
          const when = cm?.when() as number;
          rows.push([r, cm?.expired(), ms < 0 ? when <= t0 : t0 <= when && when <= t1]);
        }
        return rows;
      })(),
    );
    expect(result).toEqual([
      ['TimeoutError', true, true],
      ['TimeoutError', true, true],
      ['TimeoutError', true, true],
    ]);
  });

  it('test_foreign_exception_passed and _on_timeout: other errors pass through unchanged', () => {
    const result = value(
      (function* () {
        let cm: Timeout | undefined;
        const passed = yield* raisedName(
          timeout(10, function* (c) {
            cm = c;
            throw new RangeError('KeyError');
          }),
        );
        const onTimeout = yield* raisedName(
          timeout(10, function* () {
            try {
              yield* sleep(1000);
            } finally {
              throw new TypeError('division by zero');
            }
          }),
        );
        return [passed, cm?.expired(), onTimeout];
      })(),
    );
    expect(result).toEqual(['RangeError', false, 'TypeError']);
  });

  it('test_foreign_cancel_doesnt_timeout_if_not_expired', () => {
    const result = value(
      (function* () {
        let cm: Timeout | undefined;
        const r = yield* createTask(
          raisedName(
            timeout(10_000, function* (c) {
              cm = c;
              currentTask()?.cancel();
              yield* sleep(10_000);
            }),
          ),
        );
        return [r, cm?.expired()];
      })(),
    );
    expect(result).toEqual(['CancelledError', false]);
  });

  it('test_outer_task_is_not_cancelled', () => {
    const result = value(
      (function* () {
        const task = createTask(
          raisedName(
            timeout(1, function* () {
              yield* sleep(10_000);
            }),
          ),
        );
        const r = yield* task;
        return [r, task.cancelled(), task.done()];
      })(),
    );
    expect(result).toEqual(['TimeoutError', false, true]);
  });

  it('test_reschedule: when() follows reschedule(); a cancel is not an expiry', () => {
    const result = value(
      (function* () {
        const loop = getRunningLoop();
        const fut = loop.createFuture<Timeout>();
        const deadline1 = loop.time() + 10_000;
        const deadline2 = deadline1 + 20_000;
        const task = createTask(
          timeoutAt(deadline1, function* (cm) {
            fut.setResult(cm);
            yield* sleep(50_000);
          }),
        );
        const cm = yield* fut;
        const out: unknown[] = [cm.when() === deadline1];
        cm.reschedule(deadline2);
        out.push(cm.when() === deadline2);
        cm.reschedule(null);
        out.push(cm.when());
        task.cancel();
        out.push(yield* raisedName(task), cm.expired());
        return out;
      })(),
    );
    expect(result).toEqual([true, true, null, 'CancelledError', false]);
  });

  it('test_repr_active, _expired, _finished, _disabled', () => {
    const result = value(
      (function* () {
        const out: string[] = [];
        yield* timeout(10_000, function* (cm) {
          out.push(String(cm));
        });
        let cm: Timeout | undefined;
        yield* raised(
          timeout(10, function* (c) {
            cm = c;
            yield* sleep(10_000);
          }),
        );
        out.push(String(cm));
        yield* timeout(10_000, function* (c) {
          cm = c;
          yield* sleep(0);
        });
        out.push(String(cm));
        yield* timeout(null, function* (c) {
          out.push(String(c));
        });
        return out;
      })(),
    );
    // CPython: `when=` only while active; None is null here.
    expect(result[0]).toMatch(/^<Timeout \[active\] when=\d+(\.\d*)?>$/);
    expect(result.slice(1)).toEqual([
      '<Timeout [expired]>',
      '<Timeout [finished]>',
      '<Timeout [active] when=null>',
    ]);
  });

  it('test_nested_timeout_in_finally: a timeout works inside the cleanup of an expiring one', () => {
    const result = value(
      raisedName(
        timeout(10, function* () {
          try {
            yield* sleep(1000);
          } finally {
            const inner = yield* raisedName(
              timeout(10, function* () {
                yield* sleep(10_000);
              }),
            );
            expect(inner).toBe('TimeoutError');
          }
        }),
      ),
    );
    expect(result).toBe('TimeoutError');
  });

  it('test_timeout_after_cancellation and test_cancel_in_timeout_after_cancellation', () => {
    const after = (cancelInside: boolean) =>
      value(
        (function* () {
          try {
            currentTask()?.cancel();
            yield* sleep(1000); // work which will be cancelled
          } catch {
            // swallowed, as in the CPython test
          }
          return yield* raisedName(
            timeout(cancelInside ? 1000 : 0, function* () {
              if (cancelInside) currentTask()?.cancel();
              yield* sleep(2000); // some cleanup
            }),
          );
        })(),
      );
    expect(after(false)).toBe('TimeoutError');
    expect(after(true)).toBe('CancelledError');
  });

  it('test_timeout_exception_cause: the TimeoutError is caused by the CancelledError', () => {
    const e = value(
      raised(
        timeout(0, function* () {
          yield* sleep(1000);
        }),
      ),
    );
    expect(e).toBeInstanceOf(TimeoutError);
    expect((e as Error).cause).toBeInstanceOf(CancelledError);
  });

  it('test_timeout_already_entered, _double_enter, _finished, _not_entered', () => {
    const result = value(
      (function* () {
        const out: unknown[] = [];
        yield* timeout(10, function* (cm) {
          out.push(yield* raised(cm.scope(function* () {})));
        });
        let finished: Timeout | undefined;
        yield* timeout(10, function* (cm) {
          finished = cm;
        });
        out.push(yield* raised((finished as Timeout).scope(function* () {})));
        try {
          finished?.reschedule(20);
        } catch (e) {
          out.push(e);
        }
        try {
          new Timeout(10).reschedule(20);
        } catch (e) {
          out.push(e);
        }
        return out;
      })(),
    );
    const [alreadyEntered, doubleEnter, rescheduleFinished, notEntered] = result as Error[];
    expect(alreadyEntered).toBeInstanceOf(RuntimeError);
    expect(alreadyEntered?.message).toMatch(/has already been entered/);
    expect(doubleEnter?.message).toMatch(/has already been entered/);
    expect(rescheduleFinished).toBeInstanceOf(RuntimeError);
    expect(rescheduleFinished?.message).toMatch(/finished/);
    expect(notEntered?.message).toMatch(/has not been entered/);
  });
});
