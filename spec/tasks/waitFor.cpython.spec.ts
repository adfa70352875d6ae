/**
 * CPython's Lib/test/test_asyncio/test_waitfor.py, ported test by test to virtual time (each `it`
 * names its CPython test; seconds become milliseconds, `_EPSILON` 1 ms). SlowTask reads the loop's
 * clock instead of `time.monotonic()`, so it runs in virtual time too.
 */
import {
  type Awaitable,
  CancelledError,
  type Coroutine,
  createTask,
  getRunningLoop,
  sleep,
  wait,
  waitFor,
} from '../../src/index.js';
import { raised, value } from '../support/outcome.js';

/** What `step` raised, by class name; 'none' if it returned. */
function* raisedName(step: Awaitable<unknown>): Coroutine<string> {
  const e = yield* raised(step);
  return e === undefined ? 'none' : (e as Error).name;
}

/** Awaits `step` in a virtual-time main and returns its result. */
function awaited<T>(step: Awaitable<T>): T {
  return value(
    (function* () {
      return yield* step;
    })(),
  );
}

/** Runs for 200 ms, ignoring cancel requests (CPython's SlowTask). */
class SlowTask {
  static readonly TASK_TIMEOUT = 200;
  exited = false;

  *run(): Coroutine<void> {
    const loop = getRunningLoop();
    const exitAt = loop.time() + SlowTask.TASK_TIMEOUT;
    for (let left = exitAt - loop.time(); left > 0; left = exitAt - loop.time()) {
      try {
        yield* sleep(left);
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
      }
    }
    this.exited = true;
  }
}

/** A task that sleeps 10 s, records whether it is running, and returns 'done'. */
function sleeper(state: { running: boolean | null }, started?: { setResult(v: undefined): void }) {
  return createTask(
    (function* () {
      state.running = true;
      started?.setResult(undefined);
      try {
        yield* sleep(10_000);
      } finally {
        state.running = false;
      }
      return 'done';
    })(),
  );
}

describe('waitFor (CPython test_waitfor)', () => {
  it('test_asyncio_wait_for_cancelled: cancelling waitFor waits for a task that ignores cancels', () => {
    const t = new SlowTask();
    value(
      (function* () {
        const w = createTask(waitFor(t.run(), SlowTask.TASK_TIMEOUT * 2));
        yield* sleep(0);
        w.cancel();
        yield* wait(new Set([w]));
      })(),
    );
    expect(t.exited).toBeTrue();
  });

  it('test_asyncio_wait_for_timeout: the timeout waits until the task ends', () => {
    const t = new SlowTask();
    // The task swallows the cancel and returns: waitFor returns its result, as asyncio's.
    expect(value(raisedName(waitFor(t.run(), SlowTask.TASK_TIMEOUT / 2)))).toBe('none');
    expect(t.exited).toBeTrue();
  });

  it('test_wait_for_timeout_less_then_0_or_0_future_done', () => {
    const [ret, elapsed] = value(
      (function* () {
        const loop = getRunningLoop();
        const fut = loop.createFuture<string>();
        fut.setResult('done');
        const t0 = loop.time();
        return [yield* waitFor(fut, 0), loop.time() - t0] as const;
      })(),
    );
    expect(ret).toBe('done');
    expect(elapsed).toBe(0);
  });

  it('test_wait_for_timeout_less_then_0_or_0_coroutine_do_not_started', () => {
    let started = false;
    const r = value(
      raisedName(
        waitFor(
          (function* () {
            started = true;
          })(),
          0,
        ),
      ),
    );
    expect(r).toBe('TimeoutError');
    expect(started).toBeFalse();
  });

  it('test_wait_for_timeout_less_then_0_or_0: a running task is cancelled at once', () => {
    for (const limit of [0, -1]) {
      const state = { running: null as boolean | null };
      const [r, done, cancelled, elapsed] = value(
        (function* () {
          const loop = getRunningLoop();
          const started = loop.createFuture<undefined>();
          const fut = sleeper(state, started);
          yield* started;
          const t0 = loop.time();
          const r = yield* raisedName(waitFor(fut, limit));
          return [r, fut.done(), fut.cancelled(), loop.time() - t0] as const;
        })(),
      );
      expect([r, done, cancelled, elapsed])
        .withContext(`timeout ${limit}`)
        .toEqual(['TimeoutError', true, true, 0]);
      expect(state.running).toBeFalse();
    }
  });

  it('test_wait_for: the task is cancelled at the deadline', () => {
    const state = { running: null as boolean | null };
    const [r, cancelled, elapsed] = value(
      (function* () {
        const fut = sleeper(state);
        const t0 = getRunningLoop().time();
        const r = yield* raisedName(waitFor(fut, 100));
        return [r, fut.cancelled(), getRunningLoop().time() - t0] as const;
      })(),
    );
    expect([r, cancelled, elapsed]).toEqual(['TimeoutError', true, 100]);
    expect(state.running).toBeFalse();
  });

  it('test_wait_for_blocking: a null timeout just awaits', () => {
    const coro = (function* () {
      return 'done';
    })();
    expect(awaited(waitFor(coro, null))).toBe('done');
  });

  it('test_wait_for_race_condition: a future completed before the deadline', () => {
    const res = value(
      (function* () {
        const loop = getRunningLoop();
        const fut = loop.createFuture<string>();
        const task = waitFor(fut, 200);
        loop.callLater(100, () => fut.setResult('ok'));
        return yield* task;
      })(),
    );
    expect(res).toBe('ok');
  });

  it('test_wait_for_cancellation_race_condition: a coroutine that handles the cancel returns its value', () => {
    const res = awaited(
      waitFor(
        (function* () {
          expect(yield* raisedName(sleep(1000))).toBe('CancelledError');
          return 1;
        })(),
        10,
      ),
    );
    expect(res).toBe(1);
  });

  it('test_wait_for_waits_for_task_cancellation (and _w_timeout_0)', () => {
    for (const limit of [1, 0]) {
      let taskDone = false;
      const e = value(
        (function* () {
          const inner = createTask(
            (function* () {
              try {
                yield* sleep(10_000);
              } catch (e) {
                yield* sleep(1);
                throw e;
              } finally {
                taskDone = true;
              }
            })(),
          );
          if (limit === 0) yield* sleep(1);
          return yield* raised(waitFor(inner, limit));
        })(),
      );
      expect((e as Error).name)
        .withContext(`timeout ${limit}`)
        .toBe('TimeoutError');
      expect((e as Error).cause).toBeInstanceOf(CancelledError);
      expect(taskDone).toBeTrue();
    }
  });

  it('test_wait_for_reraises_exception_during_cancellation', () => {
    class FooException extends Error {
      override name = 'FooException';
    }
    const r = value(
      (function* () {
        const inner = createTask(
          (function* () {
            try {
              yield* sleep(200);
            } finally {
              throw new FooException();
            }
          })(),
        );
        return yield* raisedName(waitFor(inner, 1));
      })(),
    );
    expect(r).toBe('FooException');
  });

  it('test_wait_for_self_cancellation: waitFor stays cancellable while the task holds up its cancel', () => {
    const [r, result] = value(
      (function* () {
        const inner = createTask(
          (function* () {
            try {
              yield* sleep(300);
            } catch {
              try {
                yield* sleep(300);
              } catch {
                yield* sleep(300);
              }
            }
            return 42;
          })(),
        );
        const task = createTask(waitFor(inner, 100));
        task.cancel();
        const r = yield* raisedName(task);
        return [r, yield* inner] as const;
      })(),
    );
    expect(r).toBe('CancelledError');
    expect(result).toBe(42);
  });

  it('test_cancel_blocking_wait_for and test_cancel_wait_for: cancelling the wait cancels the task', () => {
    for (const limit of [null, 60_000]) {
      const [r, cancelled] = value(
        (function* () {
          const loop = getRunningLoop();
          const task = createTask(
            (function* () {
              yield* loop.createFuture<void>(); // blocks: the result is never set
            })(),
          );
          const w = createTask(waitFor(task, limit));
          loop.callSoon(() => w.cancel());
          return [yield* raisedName(w), task.cancelled()] as const;
        })(),
      );
      expect([r, cancelled]).withContext(`timeout ${limit}`).toEqual(['CancelledError', true]);
    }
  });

  it('test_wait_for_cancel_suppressed: a coroutine that returns on cancel gives its value', () => {
    const res = awaited(
      waitFor(
        (function* () {
          try {
            yield* sleep(10_000);
          } catch (e) {
            if (e instanceof CancelledError) return 42;
            throw e;
          }
          return 0;
        })(),
        100,
      ),
    );
    expect(res).toBe(42);
  });

  it('test_wait_for_issue86296: a cancel right after waitFor returned is not lost', () => {
    let reachedEnd = false;
    const [pending, r] = value(
      (function* () {
        const task = createTask(
          (function* () {
            yield* waitFor((function* () {})(), 100_000);
            yield* sleep(1000);
            reachedEnd = true;
          })(),
        );
        yield* sleep(0);
        const pending = !task.done();
        task.cancel();
        return [pending, yield* raisedName(task)] as const;
      })(),
    );
    expect(pending).toBeTrue();
    expect(r).toBe('CancelledError');
    expect(reachedEnd).toBeFalse();
  });
});
