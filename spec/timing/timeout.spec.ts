import { runVirtual } from '../../marbles/index.js';
import {
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
import { now } from '../tasks/ticks.js';

function describeError(e: unknown): string {
  if (e instanceof TimeoutError) {
    return `TimeoutError(cause=${e.cause instanceof CancelledError ? 'CancelledError' : String(e.cause)})`;
  }
  return e instanceof Error ? `${e.name}(${e.message})` : String(e);
}

/** Runs `body` in main and returns a log of what happened, ending with how it ended. */
function logRun(body: (log: string[]) => Coroutine<unknown>): string[] {
  const log: string[] = [];
  const r = runVirtual(
    (function* () {
      try {
        const v = yield* body(log);
        log.push(`returned ${String(v)}@${now()}`);
      } catch (e) {
        log.push(`raised ${describeError(e)}@${now()}`);
      }
      log.push(`cancelling=${currentTask()?.cancelling()}`);
    })(),
  );
  expect(r.outcome).toEqual({ ok: true, value: undefined });
  return log;
}

describe('timeout', () => {
  it('cancels the block at the deadline: CancelledError inside, TimeoutError outside', () => {
    let t: Timeout | undefined;
    const log = logRun(function* (log) {
      return yield* timeout(100, function* (tm) {
        t = tm;
        log.push(`when=${tm.when()}`);
        try {
          yield* sleep(1000);
        } catch (e) {
          log.push(`inside ${describeError(e)}@${now()} expired=${tm.expired()}`);
          throw e;
        }
      });
    });
    expect(log).toEqual([
      'when=100',
      'inside CancelledError()@100 expired=true',
      'raised TimeoutError(cause=CancelledError)@100',
      'cancelling=0',
    ]);
    expect(t?.expired()).toBeTrue();
    expect(String(t)).toBe('<Timeout [expired]>');
  });

  it('returns the body value when it finishes in time, and is not expired', () => {
    let t: Timeout | undefined;
    const log = logRun(function* () {
      return yield* timeout(100, function* (tm) {
        t = tm;
        yield* sleep(99);
        return 'v';
      });
    });
    expect(log).toEqual(['returned v@99', 'cancelling=0']);
    expect(t?.expired()).toBeFalse();
  });

  it('wins against a completion due at the same instant (its timer was set first)', () => {
    const log = logRun(function* () {
      return yield* timeout(100, function* () {
        return yield* sleep(100, 'v');
      });
    });
    expect(log).toEqual(['raised TimeoutError(cause=CancelledError)@100', 'cancelling=0']);
  });

  it('restores cancelling() to its value at entry', () => {
    const r = runVirtual(
      (function* () {
        const me = currentTask()!;
        me.cancel(); // a pending request: delivered at the next suspension, so catch it there
        try {
          yield* sleep(0);
        } catch {
          /* swallowed on purpose; cancelling() stays 1 */
        }
        try {
          yield* timeout(10, function* () {
            yield* sleep(100);
          });
        } catch (e) {
          return [describeError(e), me.cancelling()];
        }
        return 'no timeout';
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: ['TimeoutError(cause=CancelledError)', 1] });
  });

  it('runs code before the first suspension even with a deadline already past', () => {
    const log = logRun(function* (log) {
      return yield* timeout(-5, function* () {
        log.push('before');
        yield* sleep(10);
        log.push('after (never)');
      });
    });
    expect(log).toEqual(['before', 'raised TimeoutError(cause=CancelledError)@0', 'cancelling=0']);
  });

  it('never times out a block that does not suspend', () => {
    const log = logRun(function* (log) {
      return yield* timeout(0, function* (tm) {
        log.push('ran');
        return tm.expired();
      });
    });
    expect(log).toEqual(['ran', 'returned false@0', 'cancelling=0']);
  });

  it('with null has no deadline until reschedule() sets one; when() follows', () => {
    const log = logRun(function* (log) {
      return yield* timeout(null, function* (tm) {
        log.push(`when=${tm.when()}`);
        yield* sleep(50);
        tm.reschedule(now() + 20);
        log.push(`when=${tm.when()}`);
        yield* sleep(1000);
      });
    });
    expect(log).toEqual([
      'when=null',
      'when=70',
      'raised TimeoutError(cause=CancelledError)@70',
      'cancelling=0',
    ]);
  });

  it('reschedule() can push the deadline back or remove it', () => {
    const log = logRun(function* () {
      return yield* timeout(100, function* (tm) {
        yield* sleep(90);
        tm.reschedule(200);
        yield* sleep(90);
        tm.reschedule(null);
        yield* sleep(500);
        return 'done';
      });
    });
    expect(log).toEqual(['returned done@680', 'cancelling=0']);
  });

  it('returns the value of a body that swallows the cancellation (expired() is true)', () => {
    let t: Timeout | undefined;
    const log = logRun(function* () {
      return yield* timeout(10, function* (tm) {
        t = tm;
        try {
          yield* sleep(100);
        } catch {
          return 'swallowed';
        }
        return 'slept';
      });
    });
    expect(log).toEqual(['returned swallowed@10', 'cancelling=0']);
    expect(t?.expired()).toBeTrue();
  });

  it('waits for async cleanup before raising (it may overrun the deadline)', () => {
    const log = logRun(function* (log) {
      return yield* timeout(10, function* () {
        try {
          yield* sleep(100);
        } finally {
          yield* sleep(30);
          log.push(`cleaned@${now()}`);
        }
      });
    });
    expect(log).toEqual([
      'cleaned@40',
      'raised TimeoutError(cause=CancelledError)@40',
      'cancelling=0',
    ]);
  });

  it('lets a foreign error raised during its cancellation propagate as itself', () => {
    const log = logRun(function* () {
      return yield* timeout(10, function* () {
        try {
          yield* sleep(100);
        } finally {
          throw new RangeError('cleanup failed');
        }
      });
    });
    expect(log).toEqual(['raised RangeError(cleanup failed)@10', 'cancelling=0']);
  });

  it('refuses a body that is not a generator function (an async function) with advice', () => {
    let t: Timeout | undefined;
    const log = logRun(function* () {
      return yield* timeout(10, ((tm: Timeout) => {
        t = tm;
        return Promise.resolve(1);
      }) as never);
    });
    expect(log.length).toBe(2);
    expect(log[0]).toMatch(/^raised TypeError\(.*generator function.*async functions/);
    expect(String(t)).toBe('<Timeout [finished]>');
  });

  it('lets an error thrown by the body before any suspension through, unchanged', () => {
    const log = logRun(function* () {
      return yield* timeout(10, function* () {
        throw new TypeError('bad body');
      });
    });
    expect(log).toEqual(['raised TypeError(bad body)@0', 'cancelling=0']);
  });

  it('keeps an external cancel a CancelledError', () => {
    const r = runVirtual(
      (function* () {
        const inner = createTask(
          timeout(100, function* () {
            yield* sleep(1000);
          })[Symbol.iterator]() as Coroutine<void>,
        );
        yield* sleep(10);
        inner.cancel('external');
        try {
          yield* inner;
        } catch (e) {
          return [describeError(e), inner.cancelled(), now()];
        }
        return 'no error';
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: ['CancelledError(external)', true, 10] });
  });

  for (const externalFirst of [true, false]) {
    it(`keeps an external cancel at the same instant as the expiry a CancelledError (${externalFirst ? 'external' : 'expiry'} first)`, () => {
      const r = runVirtual(
        (function* () {
          const loop = getRunningLoop();
          let inner: { cancel(msg?: string): boolean } | undefined;
          const cancelIt = (): void => {
            inner?.cancel('external');
          };
          if (externalFirst) loop.callLater(100, cancelIt);
          const task = createTask(
            (function* () {
              yield* timeout(100, function* () {
                if (!externalFirst) loop.callLater(100, cancelIt);
                yield* sleep(1000);
              });
            })(),
          );
          inner = task;
          try {
            yield* task;
          } catch (e) {
            return [describeError(e), task.cancelled(), now()];
          }
          return 'no error';
        })(),
      );
      const msg = externalFirst ? 'external' : '';
      expect(r.outcome).toEqual({ ok: true, value: [`CancelledError(${msg})`, true, 100] });
    });
  }

  it('keeps an external cancel during the cleanup after expiry a CancelledError', () => {
    const r = runVirtual(
      (function* () {
        const inner = createTask(
          (function* () {
            yield* timeout(10, function* () {
              try {
                yield* sleep(1000);
              } finally {
                yield* sleep(50);
              }
            });
          })(),
        );
        yield* sleep(20);
        inner.cancel('external');
        try {
          yield* inner;
        } catch (e) {
          return [describeError(e), inner.cancelled(), now()];
        }
        return 'no error';
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: ['CancelledError(external)', true, 20] });
  });

  it('nested: the inner one lets the outer one’s cancellation through', () => {
    const log = logRun(function* (log) {
      return yield* timeout(50, function* () {
        try {
          yield* timeout(100, function* () {
            yield* sleep(1000);
          });
        } catch (e) {
          log.push(`inner raised ${describeError(e)}@${now()}`);
          throw e;
        }
      });
    });
    expect(log).toEqual([
      'inner raised CancelledError()@50',
      'raised TimeoutError(cause=CancelledError)@50',
      'cancelling=0',
    ]);
  });

  it('nested: the inner one raises TimeoutError and the outer one lets it through', () => {
    const log = logRun(function* (log) {
      return yield* timeout(100, function* () {
        try {
          yield* timeout(50, function* () {
            yield* sleep(1000);
          });
        } catch (e) {
          log.push(`inner raised ${describeError(e)}@${now()}`);
        }
        yield* sleep(10);
        return 'outer finished';
      });
    });
    expect(log).toEqual([
      'inner raised TimeoutError(cause=CancelledError)@50',
      'returned outer finished@60',
      'cancelling=0',
    ]);
  });

  it('nested with the same deadline: only the outer one raises TimeoutError', () => {
    const timeouts: Timeout[] = [];
    const log = logRun(function* (log) {
      return yield* timeout(100, function* (outer) {
        timeouts.push(outer);
        try {
          yield* timeout(100, function* (inner) {
            timeouts.push(inner);
            yield* sleep(1000);
          });
        } catch (e) {
          log.push(`inner raised ${describeError(e)}`);
          throw e;
        }
      });
    });
    expect(log).toEqual([
      'inner raised CancelledError()',
      'raised TimeoutError(cause=CancelledError)@100',
      'cancelling=0',
    ]);
    expect(timeouts.map((t) => t.expired())).toEqual([true, true]);
  });

  it('works inside the cleanup of a cancelled task', () => {
    const r = runVirtual(
      (function* () {
        const worker = createTask(
          (function* () {
            try {
              yield* sleep(1000);
            } catch (e) {
              if (!(e instanceof CancelledError)) throw e;
              try {
                yield* timeout(10, function* () {
                  yield* sleep(500); // a cleanup that hangs
                });
              } catch (t) {
                return `${describeError(t)}@${now()} cancelling=${currentTask()?.cancelling()}`;
              }
              throw e;
            }
          })(),
        );
        yield* sleep(5);
        worker.cancel();
        return yield* worker;
      })(),
    );
    expect(r.outcome).toEqual({
      ok: true,
      value: 'TimeoutError(cause=CancelledError)@15 cancelling=1',
    });
  });

  it('timeoutAt takes an absolute deadline', () => {
    const log = logRun(function* () {
      yield* sleep(30);
      return yield* timeoutAt(now() + 40, function* (tm) {
        const when = tm.when();
        yield* sleep(1000);
        return when;
      });
    });
    expect(log).toEqual(['raised TimeoutError(cause=CancelledError)@70', 'cancelling=0']);
  });

  it('Timeout: entering twice, rescheduling before entry or after exit are errors', () => {
    const r = runVirtual(
      (function* () {
        const errors: string[] = [];
        const t = new Timeout(null);
        try {
          t.reschedule(5);
        } catch (e) {
          errors.push(describeError(e));
        }
        yield* t.scope(function* () {
          try {
            yield* t.scope(function* () {});
          } catch (e) {
            errors.push(describeError(e));
          }
        });
        try {
          yield* t.scope(function* () {});
        } catch (e) {
          errors.push(describeError(e));
        }
        try {
          t.reschedule(5);
        } catch (e) {
          errors.push(describeError(e));
        }
        return errors;
      })(),
    );
    const errors = (r.outcome as { value: string[] }).value;
    expect(errors.length).toBe(4);
    expect(errors[0]).toMatch(/^RuntimeError\(.*has not been entered/);
    expect(errors[1]).toMatch(/^RuntimeError\(.*entered only once/);
    expect(errors[2]).toMatch(/^RuntimeError\(.*entered only once/);
    expect(errors[3]).toMatch(/^RuntimeError\(.*cannot change a timeout that is finished/);
  });

  it('rejects bad arguments at the call, and use outside a task', () => {
    expect(() => timeout(Number.NaN, function* () {})).toThrowError(RangeError);
    expect(() => timeout('5' as never, function* () {})).toThrowError(TypeError);
    expect(() => timeout(5, null as never)).toThrowError(TypeError, /generator function/);
    expect(() => timeoutAt(Number.NaN, function* () {})).toThrowError(RangeError);
    expect(() => new Timeout(5).scope(function* () {}).next()).toThrowError(
      RuntimeError,
      /inside a task/,
    );
  });
});
