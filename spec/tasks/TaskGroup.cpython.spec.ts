/**
 * CPython's Lib/test/test_asyncio/test_taskgroups.py, ported test by test to virtual time (each
 * `it` names its CPython test). Where CPython relies on real-time jitter between two sleeps of the
 * same length (the main task's timer firing before the children's), the port gives the children
 * one more millisecond, which is the order CPython's test expects.
 */
import {
  CancelledError,
  ContextVar,
  type Coroutine,
  copyContext,
  createTask,
  currentTask,
  Event,
  ExceptionGroup,
  getRunningLoop,
  KeyboardInterrupt,
  RuntimeError,
  sleep,
  type TaskGroup,
  TimeoutError,
  taskGroup,
  timeout,
  ValueError,
} from '../../src/index.js';
import { value } from '../support/outcome.js';

/** The names of the error classes in a group, as CPython's get_error_types. */
function errorTypes(eg: unknown): string[] {
  expect(eg).toBeInstanceOf(ExceptionGroup);
  return [...new Set((eg as ExceptionGroup).errors.map((e) => (e as Error).name))].sort();
}

function* raiseAfter(ms: number, make: () => unknown): Coroutine<never> {
  yield* sleep(ms);
  throw make();
}

class MyExc extends Error {
  override name = 'MyExc';
}

describe('TaskGroup (CPython test_taskgroups)', () => {
  it('test_taskgroup_04: a child error cancels the sibling; the code after the group never runs', () => {
    let num = 0;
    let t2Cancelled = false;
    const types = value(
      (function* () {
        const runner = createTask(
          (function* () {
            yield* taskGroup(function* (g) {
              g.createTask(raiseAfter(100, () => new RangeError('division by zero')));
              g.createTask(
                (function* () {
                  try {
                    yield* sleep(1000);
                  } catch (e) {
                    t2Cancelled = true;
                    throw e;
                  }
                  num += 1;
                })(),
              );
            });
            num += 10;
          })(),
        );
        try {
          yield* runner;
        } catch (e) {
          return errorTypes(e);
        }
        return [];
      })(),
    );
    expect(types).toEqual(['RangeError']);
    expect(num).toBe(0);
    expect(t2Cancelled).toBeTrue();
  });

  it('test_cancellation: cancelling the runner cancels all five children; the message travels', () => {
    let cancelled = 0;
    const [message, done] = value(
      (function* () {
        const r = createTask(
          taskGroup(function* (g) {
            for (let i = 0; i < 5; i++) {
              g.createTask(
                (function* () {
                  try {
                    yield* sleep(5000);
                  } catch (e) {
                    cancelled += 1;
                    throw e;
                  }
                })(),
              );
            }
          }),
        );
        yield* sleep(100);
        const notDone = !r.done();
        r.cancel('test');
        try {
          yield* r;
        } catch (e) {
          expect(e).toBeInstanceOf(CancelledError);
          return [(e as Error).message, notDone] as const;
        }
        return ['not raised', notDone] as const;
      })(),
    );
    expect(message).toBe('test');
    expect(done).toBeTrue();
    expect(cancelled).toBe(5);
  });

  it('test_cancellation_in_body: the body cancelled before the children fail raises CancelledError("test")', () => {
    const message = value(
      (function* () {
        const r = createTask(
          taskGroup(function* (g) {
            for (let i = 0; i < 5; i++) {
              g.createTask(raiseAfter(101, () => new RangeError('division by zero')));
            }
            yield* sleep(10_000);
          }),
        );
        yield* sleep(100);
        r.cancel('test');
        try {
          yield* r;
        } catch (e) {
          return e instanceof CancelledError ? e.message : `raised ${e}`;
        }
        return 'not raised';
      })(),
    );
    expect(message).toBe('test');
  });

  it('test_taskgroup_11 and _12: nested groups cancelled from outside raise CancelledError', () => {
    const outcome = (withSibling: boolean) =>
      value(
        (function* () {
          const r = createTask(
            taskGroup(function* (g1) {
              if (withSibling) g1.createTask(sleep(10_000));
              yield* taskGroup(function* (g2) {
                for (let i = 0; i < 5; i++) {
                  g2.createTask(raiseAfter(101, () => new RangeError('division by zero')));
                }
                yield* sleep(10_000);
              });
            }),
          );
          yield* sleep(100);
          r.cancel();
          try {
            yield* r;
          } catch (e) {
            return e instanceof CancelledError ? 'CancelledError' : `raised ${e}`;
          }
          return 'not raised';
        })(),
      );
    expect(outcome(false)).toBe('CancelledError');
    expect(outcome(true)).toBe('CancelledError');
  });

  it('test_taskgroup_13 and _14: the inner group fails first, or the outer one does', () => {
    const raised = (outerMs: number, innerMs: number) =>
      value(
        (function* () {
          try {
            yield* taskGroup(function* (g1) {
              g1.createTask(raiseAfter(outerMs, () => new ValueError(String(outerMs))));
              yield* taskGroup(function* (g2) {
                g2.createTask(raiseAfter(innerMs, () => new ValueError(String(innerMs))));
              });
            });
          } catch (e) {
            return e;
          }
          return null;
        })(),
      );
    // _13: the outer child fails first; the inner group is cancelled, its error is the outer one's.
    expect(errorTypes(raised(100, 10_000))).toEqual(['ValueError']);
    // _14: the inner group fails first; it nests in the outer group.
    const nested = raised(10_000, 100) as ExceptionGroup;
    expect(errorTypes(nested)).toEqual(['ExceptionGroup']);
    expect(errorTypes(nested.errors[0])).toEqual(['ValueError']);
  });

  it('test_taskgroup_15 and _16: a child failing during the body cleanup of a cancel wins (3.13+)', () => {
    const raised = (nestedInTask: boolean) =>
      value(
        (function* () {
          const group = () =>
            taskGroup(function* (g1) {
              g1.createTask(raiseAfter(300, () => new RangeError('division by zero')));
              try {
                yield* sleep(10_000);
              } catch (e) {
                yield* sleep(500);
                throw e;
              }
            });
          const r = createTask(
            nestedInTask
              ? (function* () {
                  yield* createTask(group());
                })()
              : group(),
          );
          yield* sleep(100);
          r.cancel();
          try {
            yield* r;
          } catch (e) {
            return e;
          }
          return null;
        })(),
      );
    expect(errorTypes(raised(false))).toEqual(['RangeError']);
    expect(errorTypes(raised(true))).toEqual(['RangeError']);
  });

  it('test_taskgroup_18: a body that turns its cancellation into an error raises that error, grouped', () => {
    let num = 0;
    const error = value(
      (function* () {
        const r = createTask(
          taskGroup(function* () {
            try {
              yield* sleep(10_000);
            } catch {
              num += 10;
              throw new MyExc();
            }
          }),
        );
        yield* sleep(100);
        r.cancel();
        try {
          yield* r;
        } catch (e) {
          return e;
        }
        return null;
      })(),
    );
    expect(errorTypes(error)).toEqual(['MyExc']);
    expect(num).toBe(10);
  });

  it('test_taskgroup_19: an error from the body’s finally joins the child’s error', () => {
    const error = value(
      (function* () {
        try {
          yield* taskGroup(function* (g) {
            g.createTask(raiseAfter(100, () => new RangeError('division by zero')));
            try {
              yield* sleep(10_000);
            } finally {
              throw new MyExc();
            }
          });
        } catch (e) {
          return e;
        }
        return null;
      })(),
    );
    expect(errorTypes(error)).toEqual(['MyExc', 'RangeError']);
  });

  it('test_taskgroup_20: a KeyboardInterrupt from the body leaves as itself; the child error is reported', () => {
    const reports: unknown[] = [];
    const error = value(
      (function* () {
        getRunningLoop().setExceptionHandler((_loop, context) => reports.push(context.exception));
        try {
          yield* taskGroup(function* (g) {
            g.createTask(raiseAfter(100, () => new RangeError('division by zero')));
            try {
              yield* sleep(10_000);
            } finally {
              throw new KeyboardInterrupt();
            }
          });
        } catch (e) {
          return [e, currentTask()?.cancelling()];
        }
        return null;
      })(),
    );
    expect(error?.[0]).toBeInstanceOf(KeyboardInterrupt);
    expect(error?.[1]).toBe(0);
    // Not lost: CPython (gh-135736) reports the errors a base error leaves behind.
    expect(reports.map((e) => (e as Error).name)).toEqual(['RangeError']);
  });

  it('test_taskgroup_20 (child): a child raising KeyboardInterrupt ends the group with it', () => {
    const error = value(
      (function* () {
        try {
          yield* taskGroup(function* (g) {
            g.createTask(raiseAfter(100, () => new KeyboardInterrupt()));
            yield* sleep(10_000);
          });
        } catch (e) {
          return e;
        }
        return null;
      })(),
    );
    expect(error).toBeInstanceOf(KeyboardInterrupt);
  });

  it('test_taskgroup_22: cancelling the runner while the children sleep raises CancelledError', () => {
    const raised = value(
      (function* () {
        const r = createTask(
          taskGroup(function* (g) {
            g.createTask(sleep(1000));
            g.createTask(sleep(2000));
          }),
        );
        yield* sleep(50);
        r.cancel();
        try {
          yield* r;
        } catch (e) {
          return e instanceof CancelledError;
        }
        return false;
      })(),
    );
    expect(raised).toBeTrue();
  });

  it('test_taskgroup_24: a child adds tasks to the group while it waits on exit', () => {
    const ends = value(
      (function* () {
        const ends: number[] = [];
        const child = (ms: number) =>
          (function* () {
            yield* sleep(ms);
            ends.push(getRunningLoop().time());
          })();
        yield* taskGroup(function* (g) {
          g.createTask(
            (function* () {
              yield* sleep(100);
              g.createTask(child(100));
              g.createTask(child(200));
            })(),
          );
        });
        return [...ends, getRunningLoop().time()];
      })(),
    );
    expect(ends).toEqual([200, 300, 300]);
  });

  it('test_taskgroup_25: hydras multiply until hercules fails the group', () => {
    let hydras = 0;
    const error = value(
      (function* () {
        function* hydra(g: TaskGroup): Coroutine<void> {
          hydras += 1;
          yield* sleep(10);
          g.createTask(hydra(g));
          g.createTask(hydra(g));
        }
        function* hercules(): Coroutine<void> {
          while (hydras < 10) yield* sleep(15);
          throw new RangeError('division by zero');
        }
        try {
          yield* taskGroup(function* (g) {
            g.createTask(hydra(g));
            g.createTask(hercules());
          });
        } catch (e) {
          return e;
        }
        return null;
      })(),
    );
    expect(errorTypes(error)).toEqual(['RangeError']);
    expect(hydras).toBeGreaterThanOrEqual(10);
  });

  it('test_taskgroup_task_context: a child runs in the context given, and its sets land there', () => {
    const seen = value(
      (function* () {
        const cvar = new ContextVar<number>('cvar');
        function* coro(v: number): Coroutine<void> {
          yield* sleep(0);
          cvar.set(v);
        }
        const seen: unknown[] = [];
        yield* taskGroup(function* (g) {
          const ctx = copyContext();
          seen.push(ctx.get(cvar) ?? null);
          yield* g.createTask(coro(1), { context: ctx });
          seen.push(ctx.get(cvar));
          yield* g.createTask(coro(2), { context: ctx });
          seen.push(ctx.get(cvar));
        });
        return seen;
      })(),
    );
    expect(seen).toEqual([null, 1, 2]);
  });

  it('test_taskgroup_no_create_task_after_failure: a cancelled child cannot add tasks', () => {
    let refused: unknown;
    const error = value(
      (function* () {
        function* coro1(): Coroutine<never> {
          yield* sleep(1);
          throw new RangeError('division by zero');
        }
        try {
          yield* taskGroup(function* (g) {
            g.createTask(coro1());
            g.createTask(
              (function* () {
                try {
                  yield* sleep(1000);
                } catch {
                  try {
                    g.createTask(coro1());
                  } catch (e) {
                    refused = e;
                  }
                }
              })(),
            );
          });
        } catch (e) {
          return e;
        }
        return null;
      })(),
    );
    expect(errorTypes(error)).toEqual(['RangeError']);
    expect(refused).toBeInstanceOf(RuntimeError);
  });

  it('test_taskgroup_context_manager_exit_raises: both errors are grouped; cancelling() is back to 0', () => {
    const [cancelling, count, types] = value(
      (function* () {
        const task = currentTask();
        try {
          yield* taskGroup(function* (tg) {
            try {
              tg.createTask(
                (function* (): Coroutine<never> {
                  throw new MyExc('from the child');
                })(),
              );
              yield* sleep(1000);
            } finally {
              throw new MyExc('from the cleanup');
            }
          });
        } catch (e) {
          return [task?.cancelling(), (e as ExceptionGroup).errors.length, errorTypes(e)] as const;
        }
        return [-1, 0, []] as const;
      })(),
    );
    expect(cancelling).toBe(0);
    expect(count).toBe(2);
    expect(types).toEqual(['MyExc']);
  });

  it('test_cancelling_level_preserved: after a failed group the parent’s cancelling() is 0', () => {
    const level = value(
      (function* () {
        try {
          yield* taskGroup(function* (tg) {
            tg.createTask(raiseAfter(0, () => new RuntimeError('x')));
          });
        } catch (e) {
          expect(errorTypes(e)).toEqual(['RuntimeError']);
        }
        return currentTask()?.cancelling();
      })(),
    );
    expect(level).toBe(0);
  });

  it('test_nested_groups_both_cancelled: each level keeps its own cancel count', () => {
    const levels = value(
      (function* () {
        const levels: unknown[] = [];
        try {
          yield* taskGroup(function* (outer) {
            try {
              yield* taskGroup(function* (inner) {
                inner.createTask(raiseAfter(0, () => new RuntimeError('inner')));
                outer.createTask(raiseAfter(0, () => new ValueError('outer')));
              });
              levels.push('RuntimeError not raised');
            } catch (e) {
              levels.push(errorTypes(e).join());
            }
            levels.push(currentTask()?.cancelling());
          });
          levels.push('ValueError not raised');
        } catch (e) {
          levels.push(errorTypes(e).join());
        }
        levels.push(currentTask()?.cancelling());
        return levels;
      })(),
    );
    expect(levels).toEqual(['RuntimeError', 1, 'ValueError', 0]);
  });

  it('test_error_and_cancel: an outside cancel after a group failure still cancels the task', () => {
    const log = value(
      (function* () {
        const log: string[] = [];
        const event = new Event();
        function* inner(): Coroutine<void> {
          try {
            yield* taskGroup(function* (tg) {
              tg.createTask(
                (function* (): Coroutine<never> {
                  event.set();
                  yield* sleep(0);
                  throw new RuntimeError('x');
                })(),
              );
              yield* sleep(1000);
              log.push('sleep in group not cancelled');
            });
          } catch {
            log.push(`in except: cancelling=${currentTask()?.cancelling()}`);
          }
          log.push(`after: cancelling=${currentTask()?.cancelling()}`);
          yield* sleep(1000);
          log.push('sleep after group not cancelled');
        }
        const t = createTask(inner());
        yield* event.wait();
        log.push(`before cancel: ${t.cancelling()}`);
        t.cancel();
        log.push(`after cancel: ${t.cancelling()}`);
        try {
          yield* t;
        } catch (e) {
          log.push(`${(e as Error).name}, cancelled=${t.cancelled()}`);
        }
        return log;
      })(),
    );
    expect(log).toEqual([
      'before cancel: 0',
      'after cancel: 1',
      'in except: cancelling=1',
      'after: cancelling=1',
      'CancelledError, cancelled=true',
    ]);
  });

  it('test_exception_refcycles_propagate_cancellation_error: timeout(-1) around a group', () => {
    const [isTimeout, cause] = value(
      (function* () {
        try {
          yield* timeout(-1, function* () {
            yield* taskGroup(function* () {
              yield* sleep(0);
            });
          });
        } catch (e) {
          return [e instanceof TimeoutError, (e as Error).cause instanceof CancelledError];
        }
        return [false, false];
      })(),
    );
    expect(isTimeout).toBeTrue();
    expect(cause).toBeTrue();
  });
});
