import { runVirtual } from '../../marbles/index.js';
import {
  CancelledError,
  type Coroutine,
  createTask,
  currentTask,
  FIRST_EXCEPTION,
  gather,
  getRunningLoop,
  isCancelledError,
  sleep,
  type Task,
  wait,
} from '../../src/index.js';
import { raised, value } from '../support/outcome.js';

describe('Task cancellation', () => {
  it('cancelled before its first step, a task never runs its body', () => {
    const v = value(
      (function* () {
        let ran = false;
        const t = createTask(
          (function* () {
            ran = true;
          })(),
        );
        t.cancel();
        yield* sleep(0);
        yield* sleep(0);
        return { ran, cancelled: t.cancelled() };
      })(),
    );
    expect(v).toEqual({ ran: false, cancelled: true });
  });

  it('cancelled while suspended: CancelledError at the suspension point, finally runs, message kept', () => {
    const v = value(
      (function* () {
        const log: string[] = [];
        const t = createTask(
          (function* () {
            try {
              yield* sleep(1000);
              log.push('not reached');
            } catch (e) {
              log.push(`caught ${(e as Error).name}: ${(e as Error).message}`);
              throw e;
            } finally {
              log.push(`finally at ${getRunningLoop().time()}`);
            }
          })(),
        );
        yield* sleep(100);
        t.cancel('stop now');
        try {
          yield* t;
        } catch (e) {
          log.push(`awaiter got ${isCancelledError(e)} "${(e as Error).message}"`);
        }
        return log;
      })(),
    );
    expect(v).toEqual([
      'caught CancelledError: stop now',
      'finally at 100',
      'awaiter got true "stop now"',
    ]);
  });

  it('cancelled during cleanup: async cleanup may yield*, and a second cancel arrives at its next await', () => {
    const v = value(
      (function* () {
        const log: string[] = [];
        const t = createTask(
          (function* () {
            try {
              yield* sleep(1000);
            } finally {
              log.push('cleanup starts');
              try {
                yield* sleep(50);
                log.push('cleanup not finished');
              } catch (e) {
                log.push(`cleanup interrupted: ${(e as Error).message}`);
              }
            }
          })(),
        );
        yield* sleep(10);
        t.cancel('first');
        yield* sleep(0);
        yield* sleep(0);
        t.cancel('second');
        yield* sleep(100);
        return { log, cancelled: t.cancelled(), cancelling: t.cancelling() };
      })(),
    );
    // The cleanup caught the second CancelledError; when the finally block ends, the first one
    // (still in flight) propagates, so the task ends cancelled (as in Python).
    expect(v.log).toEqual(['cleanup starts', 'cleanup interrupted: second']);
    expect(v.cancelled).toBeTrue();
    expect(v.cancelling).toBe(2);
  });

  it('a coroutine may catch CancelledError and return normally: result, not cancelled, cancelling() stays 1', () => {
    const v = value(
      (function* () {
        const t = createTask(
          (function* () {
            try {
              yield* sleep(1000);
              return 'slept';
            } catch {
              return 'swallowed';
            }
          })(),
        );
        yield* sleep(1);
        t.cancel();
        const r = yield* t;
        return { r, cancelled: t.cancelled(), cancelling: t.cancelling(), after: t.uncancel() };
      })(),
    );
    expect(v).toEqual({ r: 'swallowed', cancelled: false, cancelling: 1, after: 0 });
  });

  it('repeated cancel() before delivery gives one CancelledError but counts every request', () => {
    const v = value(
      (function* () {
        let caught = 0;
        const t = createTask(
          (function* () {
            for (;;) {
              try {
                yield* sleep(1000);
                return caught;
              } catch {
                caught++;
              }
            }
          })(),
        );
        yield* sleep(1);
        t.cancel();
        t.cancel();
        t.cancel();
        const cancellingBefore = t.cancelling();
        const r = yield* t;
        return { r, cancellingBefore };
      })(),
    );
    expect(v).toEqual({ r: 1, cancellingBefore: 3 });
  });

  it('cancel() on a done task returns false', () => {
    const v = value(
      (function* () {
        const t = createTask(
          (function* () {
            return 1;
          })(),
        );
        yield* t;
        return [t.cancel(), t.cancelling()];
      })(),
    );
    expect(v).toEqual([false, 0]);
  });

  it('cancels what the task awaits (delegation) and the message propagates', () => {
    const v = value(
      (function* () {
        let innerErr: unknown;
        const inner = createTask(
          (function* () {
            try {
              yield* sleep(1000);
            } catch (e) {
              innerErr = e;
              throw e;
            }
          })(),
        );
        const outer = createTask(
          (function* () {
            yield* inner;
          })(),
        );
        yield* sleep(1);
        outer.cancel('from main');
        try {
          yield* outer;
        } catch {}
        return {
          inner: inner.cancelled(),
          outer: outer.cancelled(),
          msg: (innerErr as Error).message,
          innerCancelling: inner.cancelling(),
        };
      })(),
    );
    expect(v).toEqual({ inner: true, outer: true, msg: 'from main', innerCancelling: 1 });
  });

  it('if the inner task swallows the cancellation, the outer is not cancelled', () => {
    const v = value(
      (function* () {
        const inner = createTask(
          (function* () {
            try {
              yield* sleep(1000);
            } catch {
              return 'inner swallowed';
            }
            return 'inner slept';
          })(),
        );
        const outer = createTask(
          (function* () {
            const r = yield* inner;
            return `outer got ${r}`;
          })(),
        );
        yield* sleep(1);
        outer.cancel();
        const r = yield* outer;
        return { r, outerCancelled: outer.cancelled() };
      })(),
    );
    expect(v).toEqual({ r: 'outer got inner swallowed', outerCancelled: false });
  });

  it('Future.cancel() is immediate; Task.cancel() takes effect when the task next runs', () => {
    const v = value(
      (function* () {
        const fut = getRunningLoop().createFuture<void>();
        fut.cancel();
        const futNow = fut.cancelled();
        const t = createTask(
          (function* () {
            yield* sleep(1000);
          })(),
        );
        yield* sleep(0);
        t.cancel();
        const taskNow = t.cancelled();
        yield* sleep(0);
        yield* sleep(0);
        return { futNow, taskNow, taskLater: t.cancelled() };
      })(),
    );
    expect(v).toEqual({ futNow: true, taskNow: false, taskLater: true });
  });

  it('if the awaited future completes and the task is cancelled before resuming, the value is lost', () => {
    const v = value(
      (function* () {
        const fut = getRunningLoop().createFuture<string>();
        let got = 'nothing';
        const t = createTask(
          (function* () {
            got = yield* fut;
          })(),
        );
        yield* sleep(0);
        fut.setResult('value');
        t.cancel();
        try {
          yield* t;
        } catch {}
        return { got, cancelled: t.cancelled() };
      })(),
    );
    expect(v).toEqual({ got: 'nothing', cancelled: true });
  });

  it('self-cancel is delivered at the next real suspension', () => {
    const v = value(
      (function* () {
        const log: string[] = [];
        const t = createTask(
          (function* () {
            (currentTask() as Task<unknown>).cancel();
            log.push('still running after self-cancel');
            const done = getRunningLoop().createFuture<void>();
            done.setResult();
            yield* done; // already done: no suspension, no delivery
            log.push('after awaiting a done future');
            try {
              yield* sleep(10);
            } catch (e) {
              log.push(`delivered: ${isCancelledError(e)}`);
              throw e;
            }
          })(),
        );
        try {
          yield* t;
        } catch {}
        return log;
      })(),
    );
    expect(v).toEqual([
      'still running after self-cancel',
      'after awaiting a done future',
      'delivered: true',
    ]);
  });

  it('a task that cancels itself and returns without suspending still ends cancelled', () => {
    const v = value(
      (function* () {
        const t = createTask(
          (function* () {
            (currentTask() as Task<unknown>).cancel();
            return 'returned';
          })(),
        );
        try {
          yield* t;
        } catch (e) {
          return { cancelled: t.cancelled(), err: isCancelledError(e) };
        }
        return { cancelled: t.cancelled(), err: false };
      })(),
    );
    expect(v).toEqual({ cancelled: true, err: true });
  });

  it('uncancel() bringing the count to 0 clears a cancellation not delivered yet', () => {
    const v = value(
      (function* () {
        const t = createTask(
          (function* () {
            yield* sleep(0);
            return 'finished normally';
          })(),
        );
        t.cancel(); // before its first step: only _mustCancel is set
        const left = t.uncancel();
        const r = yield* t;
        return { left, r, cancelled: t.cancelled() };
      })(),
    );
    expect(v).toEqual({ left: 0, r: 'finished normally', cancelled: false });
  });

  it('a third party cancelling the plain future a task awaits: CancelledError, own cancelling() stays 0', () => {
    const v = value(
      (function* () {
        const fut = getRunningLoop().createFuture<void>();
        let seen = '';
        const t = createTask(
          (function* () {
            try {
              yield* fut;
            } catch (e) {
              seen = `${(e as Error).name}:${(e as Error).message}`;
              throw e;
            }
          })(),
        );
        yield* sleep(0);
        fut.cancel('third party');
        try {
          yield* t;
        } catch {}
        return { seen, cancelling: t.cancelling(), cancelled: t.cancelled() };
      })(),
    );
    expect(v).toEqual({ seen: 'CancelledError:third party', cancelling: 0, cancelled: true });
  });

  it('keeps the CancelledError object identity from the coroutine to the awaiter', () => {
    const v = value(
      (function* () {
        let thrown: unknown;
        const t = createTask(
          (function* () {
            yield* sleep(0);
            thrown = new CancelledError('custom');
            throw thrown;
          })(),
        );
        try {
          yield* t;
        } catch (e) {
          return { same: e === thrown, cancelled: t.cancelled() };
        }
        return null;
      })(),
    );
    expect(v).toEqual({ same: true, cancelled: true });
  });

  it('a CancelledError has no stack outside debug mode (cheap), and one in debug mode', () => {
    const plain = new CancelledError('x');
    expect(plain.stack ?? '').not.toContain('Task.cancel.spec');
    const r = runVirtual(
      (function* () {
        return new CancelledError('y').stack ?? '';
      })(),
      { debug: true },
    );
    expect((r.outcome as { value: string }).value).toContain('CancelledError');
    expect(new CancelledError('z').stack ?? '').not.toContain('Task.cancel.spec'); // off again
  });
});

// A cancelled future keeps who cancelled in its unused result slot, and a cancelled task keeps
// the CancelledError to re-raise in its exception slot (issue 19): the edges of that layout.
describe('Task cancellation, where the request and the kept error are recorded', () => {
  /** Sleeps; on cancellation runs `onCancel` (which may return or throw instead of re-raising). */
  function* swallowing<T>(onCancel: (e: CancelledError) => T): Coroutine<T | 'slept'> {
    try {
      yield* sleep(1000);
    } catch (e) {
      if (e instanceof CancelledError) return onCancel(e);
      throw e;
    }
    return 'slept';
  }

  it('a task that swallows a cancellation and returns finishes with its value', () => {
    const v = value(
      (function* () {
        const t = createTask(swallowing(() => 42));
        yield* sleep(1);
        t.cancel();
        const got = yield* t;
        return { got, result: t.result(), cancelled: t.cancelled(), exception: t.exception() };
      })(),
    );
    expect(v).toEqual({ got: 42, result: 42, cancelled: false, exception: null });
  });

  it('a task that swallows a cancellation and returns undefined finishes with undefined', () => {
    const v = value(
      (function* () {
        const t = createTask(swallowing(() => undefined));
        yield* sleep(1);
        t.cancel('ignored');
        return { got: yield* t, result: t.result(), cancelled: t.cancelled() };
      })(),
    );
    expect(v).toEqual({ got: undefined, result: undefined, cancelled: false });
  });

  it('a task that swallows a cancellation and throws finishes with that error', () => {
    const boom = new Error('boom');
    const v = value(
      (function* () {
        const t = createTask(
          swallowing(() => {
            throw boom;
          }),
        );
        yield* sleep(1);
        t.cancel();
        const e = yield* raised(t);
        return { e, exception: t.exception(), cancelled: t.cancelled() };
      })(),
    );
    expect(v.e).toBe(boom);
    expect(v.exception).toBe(boom);
    expect(v.cancelled).toBeFalse();
  });

  it('re-raises the very CancelledError its coroutine raised once, then fresh ones with the same origin', () => {
    const v = value(
      (function* main() {
        let inside: unknown;
        const t = createTask(
          (function* () {
            try {
              yield* sleep(1000);
            } catch (e) {
              inside = e;
              throw e;
            }
          })(),
        );
        yield* sleep(1);
        t.cancel();
        const [first] = yield* gather([t], { returnExceptions: true });
        const later = (yield* raised(t)) as CancelledError;
        return { inside, first: first as unknown, later };
      })(),
    );
    expect(v.first).toBe(v.inside);
    expect(v.later).toBeInstanceOf(CancelledError);
    expect(v.later).not.toBe(v.first as CancelledError);
    expect(v.later.origin?.task?.getName()).toBe('main');
    expect((v.first as CancelledError).origin?.task?.getName()).toBe('main');
  });

  it('a cancelled task is not a failed one: wait(FIRST_EXCEPTION) keeps waiting', () => {
    const v = value(
      (function* () {
        const cancelled = createTask(sleep(1000));
        const slow = createTask(sleep(50, 'slow'));
        yield* sleep(1);
        cancelled.cancel();
        const [done, pending] = yield* wait([cancelled, slow], { returnWhen: FIRST_EXCEPTION });
        return { done: done.size, pending: pending.size, now: getRunningLoop().time() };
      })(),
    );
    expect(v).toEqual({ done: 2, pending: 0, now: 50 });
  });
});
