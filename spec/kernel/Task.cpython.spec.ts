/**
 * CPython 3.13's Lib/test/test_asyncio/test_tasks.py (TaskTests), ported test by test to virtual
 * time: each `it` names its CPython test; seconds become milliseconds; `test_utils.run_briefly`
 * becomes `yield* sleep(0)` in the main task; `self.loop.time()` is `getRunningLoop().time()`.
 * Tests of reprs, tracebacks, refcounts, the C/Python split and deprecated `loop=` are not ported.
 */
import {
  ALL_COMPLETED,
  asCompleted,
  CancelledError,
  type Coroutine,
  copyContext,
  createTask,
  currentTask,
  ensureFuture,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  Future,
  getRunningLoop,
  RuntimeError,
  sleep,
  type Task,
  TimeoutError,
  ValueError,
  wait,
} from '../../src/index.js';
import { errorOf, raised, value } from '../support/outcome.js';

/** The loop's clock, in ms. */
const now = (): number => getRunningLoop().time();

function* throwsAfter(ms: number, e: Error): Coroutine<never> {
  yield* sleep(ms);
  throw e;
}

/**
 * Tasks a (100 ms) and b (150 ms), then wait([b, a], { timeout }) in a task of its own; returns
 * whether done is exactly {a} and pending exactly {b}, and the time.
 */
function* waitWithTimeout(timeout: number): Coroutine<unknown[]> {
  const a = createTask(sleep(100));
  const b = createTask(sleep(150));
  const [done, pending] = yield* createTask(wait([b, a], { timeout }));
  const out = [[...done].map((x) => x === a), [...pending].map((x) => x === b), now()];
  yield* b;
  return out;
}

/** A task that awaits `f` and returns its result. */
function awaiting<T>(f: Future<T>): Task<T> {
  return createTask(
    (function* () {
      return yield* f;
    })(),
  );
}

/** Awaits `t`; returns [it raised CancelledError, t.done(), t.cancelled(), t.cancel()]. */
function* endedCancelled(t: Task<unknown>): Coroutine<boolean[]> {
  const e = yield* raised(t);
  return [e instanceof CancelledError, t.done(), t.cancelled(), t.cancel()];
}

/**
 * Cancels a sleeping task with `args`, waits for it, reads it with `read`, and returns the args of
 * the CancelledError that raised.
 */
function cancelledArgs(
  args: readonly unknown[],
  read: (t: Task<unknown>) => unknown,
): readonly unknown[] {
  const e = errorOf(
    (function* () {
      const task = createTask(sleep(10_000));
      yield* sleep(0);
      task.cancel(...args);
      yield* wait([task]);
      read(task);
    })(),
  );
  if (!(e instanceof CancelledError))
    throw new Error(`expected a CancelledError, got ${String(e)}`);
  return e.args;
}

/**
 * Waits (FIRST_EXCEPTION) for a 10 s sleeper `a` and `failing` as `b`; returns whether done is
 * exactly {b} and pending exactly {a}, and the time; then cancels `a`.
 */
function* firstException(failing: Coroutine<never>): Coroutine<unknown[]> {
  const a = createTask(sleep(10_000));
  const b = createTask(failing);
  const [done, pending] = yield* wait([b, a], { returnWhen: FIRST_EXCEPTION });
  const out = [[...done].map((x) => x === b), [...pending].map((x) => x === a), now()];
  a.cancel();
  yield* raised(a);
  return out;
}

describe('Task (CPython test_tasks)', () => {
  it('test_task_basics: a coroutine awaits two others and adds their results', () => {
    function* inner1(): Coroutine<number> {
      return 42;
    }
    function* inner2(): Coroutine<number> {
      return 1000;
    }
    function* outer(): Coroutine<number> {
      const a = yield* inner1();
      const b = yield* inner2();
      return a + b;
    }
    expect(value(outer())).toBe(1042);
  });

  it('test_cancel: a task sleeping 10 s cancelled by a callSoon callback', () => {
    const r = value(
      (function* () {
        const t = createTask(
          (function* () {
            yield* sleep(10_000);
            return 12;
          })(),
        );
        getRunningLoop().callSoon(() => t.cancel());
        const e = yield* raised(t);
        return [e instanceof CancelledError, t.done(), t.cancelled(), t.cancel(), now()];
      })(),
    );
    expect(r).toEqual([true, true, true, false, 0]);
  });

  for (const [args, expected] of [
    [[], []],
    [[null], []],
    [['my message'], ['my message']],
    [[5], [5]],
  ] as const) {
    it(`test_cancel_with_message_then_future_result: cancel(${JSON.stringify(args)}) reaches result()`, () => {
      expect(cancelledArgs(args, (t) => t.result())).toEqual(expected);
    });

    it(`test_cancel_with_message_then_future_exception: cancel(${JSON.stringify(args)}) reaches exception()`, () => {
      expect(cancelledArgs(args, (t) => t.exception())).toEqual(expected);
    });
  }

  it('test_cancel_with_message_before_starting_task: the message survives a cancel before the first step', () => {
    const e = errorOf(
      (function* () {
        const task = createTask(sleep(10_000));
        task.cancel('my message');
        yield* wait([task]);
        task.exception();
      })(),
    );
    expect(e).toBeInstanceOf(CancelledError);
    expect((e as CancelledError).args).toEqual(['my message']);
  });

  it('test_cancel_yield: a task cancelled between two bare yields to the loop', () => {
    const r = value(
      (function* () {
        const t = createTask(
          (function* () {
            yield* sleep(0);
            yield* sleep(0);
            return 12;
          })(),
        );
        yield* sleep(0); // start coro
        t.cancel();
        return yield* endedCancelled(t);
      })(),
    );
    expect(r).toEqual([true, true, true, false]);
  });

  it('test_cancel_inner_future: cancelling the awaited future cancels the task', () => {
    const r = value(
      (function* () {
        const f = new Future<void>();
        const t = awaiting(f);
        yield* sleep(0);
        f.cancel();
        const e = yield* raised(t);
        return [e instanceof CancelledError, f.cancelled(), t.cancelled()];
      })(),
    );
    expect(r).toEqual([true, true, true]);
  });

  it('test_cancel_both_task_and_inner_future: both cancelled, the task ends cancelled', () => {
    const r = value(
      (function* () {
        const f = new Future<void>();
        const t = awaiting(f);
        yield* sleep(0);
        f.cancel();
        t.cancel();
        const e = yield* raised(t);
        return [e instanceof CancelledError, t.done(), f.cancelled(), t.cancelled()];
      })(),
    );
    expect(r).toEqual([true, true, true, true]);
  });

  it('test_cancel_task_catching: a task that catches the cancel returns normally', () => {
    const r = value(
      (function* () {
        const fut1 = new Future<void>();
        const fut2 = new Future<void>();
        const t = createTask(
          (function* () {
            yield* fut1;
            try {
              yield* fut2;
            } catch (e) {
              if (e instanceof CancelledError) return 42;
              throw e;
            }
            return 0;
          })(),
        );
        yield* sleep(0);
        fut1.setResult(undefined);
        yield* sleep(0);
        t.cancel();
        const fut2Cancelled = fut2.cancelled();
        const res = yield* t;
        return [fut2Cancelled, res, t.cancelled()];
      })(),
    );
    expect(r).toEqual([true, 42, false]);
  });

  it('test_cancel_task_ignoring: a task that swallows the cancel awaits its next future normally', () => {
    const r = value(
      (function* () {
        const fut1 = new Future<void>();
        const fut2 = new Future<void>();
        const fut3 = new Future<number>();
        const t = createTask(
          (function* () {
            yield* fut1;
            try {
              yield* fut2;
            } catch (e) {
              if (!(e instanceof CancelledError)) throw e;
            }
            return yield* fut3;
          })(),
        );
        yield* sleep(0);
        fut1.setResult(undefined);
        yield* sleep(0);
        t.cancel();
        const fut2Cancelled = fut2.cancelled();
        yield* sleep(0);
        fut3.setResult(42);
        const res = yield* t;
        return [fut2Cancelled, res, fut3.cancelled(), t.cancelled()];
      })(),
    );
    expect(r).toEqual([true, 42, false, false]);
  });

  it('test_cancel_current_task: a task cancelling itself; its next sleep is cancelled at once', () => {
    const r = value(
      (function* () {
        const holder: { t?: Task<number> } = {};
        const t = createTask(
          (function* () {
            holder.t?.cancel();
            yield* sleep(100_000);
            return 12;
          })(),
        );
        holder.t = t;
        const before = t.cancelled();
        const e = yield* raised(t);
        return [before, e instanceof CancelledError, t.done(), t.cancelled(), t.cancel(), now()];
      })(),
    );
    expect(r).toEqual([false, true, true, true, false, 0]);
  });

  it('test_cancel_at_end: a task that cancels itself and returns ends cancelled', () => {
    const r = value(
      (function* () {
        const holder: { t?: Task<number> } = {};
        const t = createTask(
          (function* () {
            holder.t?.cancel();
            return 12;
          })(),
        );
        holder.t = t;
        return yield* endedCancelled(t);
      })(),
    );
    expect(r).toEqual([true, true, true, false]);
  });

  it('test_cancel_awaited_task: a pending self-cancel cancels the task it then awaits (bpo-34872)', () => {
    const r = value(
      (function* () {
        const fut = new Future<void>();
        const holder: { task?: Task<void>; nested?: Task<void> } = {};
        const task = createTask(
          (function* () {
            const nested = awaiting(fut);
            holder.nested = nested;
            yield* sleep(0);
            holder.task?.cancel();
            yield* nested;
          })(),
        );
        holder.task = task;
        const e = yield* raised(task);
        return [
          e instanceof CancelledError,
          task.cancelled(),
          holder.nested?.cancelled(),
          fut.cancelled(),
        ];
      })(),
    );
    expect(r).toEqual([true, true, true, true]);
  });

  it('test_task_cancel_sleeping_task: a callLater cancel wakes the awaiting task at 100 ms', () => {
    const r = value(
      (function* () {
        const sleeper = createTask(sleep(5_000_000));
        getRunningLoop().callLater(100, () => sleeper.cancel());
        const e = yield* raised(sleeper);
        return [e instanceof CancelledError ? 'cancelled' : 'slept in', now()];
      })(),
    );
    expect(r).toEqual(['cancelled', 100]);
  });

  it('test_task_cancel_waiter_future: cancelling a task cancels the future it waits on', () => {
    const r = value(
      (function* () {
        const fut = new Future<void>();
        const task = awaiting(fut);
        yield* sleep(0);
        task.cancel();
        yield* sleep(0);
        const e = yield* raised(task);
        return [e instanceof CancelledError, fut.cancelled()];
      })(),
    );
    expect(r).toEqual([true, true]);
  });

  it('test_yield_future_passes_cancel: the cancel reaches inner and then outer, which catches it', () => {
    const r = value(
      (function* () {
        let proof = 0;
        const waiter = new Future<void>();
        function* inner(): Coroutine<void> {
          try {
            yield* waiter;
          } catch (e) {
            if (e instanceof CancelledError) proof += 1;
            throw e;
          }
          proof += 1000; // got past the waiter in inner()
        }
        const f = createTask(
          (function* () {
            try {
              yield* inner();
            } catch (e) {
              if (!(e instanceof CancelledError)) throw e;
              proof += 100; // expect this path
              return;
            }
            proof += 10;
          })(),
        );
        yield* sleep(0);
        f.cancel();
        yield* f;
        return [proof, waiter.cancelled()];
      })(),
    );
    expect(r).toEqual([101, true]);
  });

  it('test_yield_wait_does_not_shield_cancel: wait() does not shield its caller; the child runs on', () => {
    const r = value(
      (function* () {
        let proof = 0;
        const waiter = new Future<void>();
        const f = createTask(
          (function* () {
            yield* wait([
              createTask(
                (function* () {
                  yield* waiter;
                  proof += 1;
                })(),
              ),
            ]);
            proof += 100;
          })(),
        );
        yield* sleep(0);
        f.cancel();
        const e = yield* raised(f);
        waiter.setResult(undefined);
        yield* sleep(0);
        yield* sleep(0);
        return [e instanceof CancelledError, proof];
      })(),
    );
    expect(r).toEqual([true, 1]);
  });

  it('test_current_task: currentTask() inside a task is that task', () => {
    const r = value(
      (function* () {
        const holder: { task?: Task<boolean> } = {};
        const task = createTask(
          (function* () {
            return currentTask() === holder.task;
          })(),
        );
        holder.task = task;
        return yield* task;
      })(),
    );
    expect(r).toBeTrue();
  });

  it('test_current_task_with_interleaving_tasks: each task sees itself across interleaved awaits', () => {
    const seen: string[] = [];
    value(
      (function* () {
        const fut1 = new Future<boolean>();
        const fut2 = new Future<boolean>();
        const tasks: { t1?: Task<void>; t2?: Task<void> } = {};
        const check = (name: 't1' | 't2') => seen.push(`${name}:${currentTask() === tasks[name]}`);
        tasks.t1 = createTask(
          (function* () {
            check('t1');
            yield* fut1;
            check('t1');
            fut2.setResult(true);
          })(),
        );
        tasks.t2 = createTask(
          (function* () {
            check('t2');
            fut1.setResult(true);
            yield* fut2;
            check('t2');
          })(),
        );
        yield* wait([tasks.t1, tasks.t2]);
      })(),
    );
    expect(seen).toEqual(['t1:true', 't2:true', 't1:true', 't2:true']);
  });

  it('test_task_set_methods: a Task refuses setResult and setException', () => {
    const r = value(
      (function* () {
        const task = createTask(
          (function* () {
            return 'ko';
          })(),
        );
        let a: unknown;
        let b: unknown;
        try {
          task.setResult('ok');
        } catch (e) {
          a = e;
        }
        try {
          task.setException(new Error('x'));
        } catch (e) {
          b = e;
        }
        return [a instanceof RuntimeError, b instanceof RuntimeError, yield* task];
      })(),
    );
    expect(r).toEqual([true, true, 'ko']);
  });

  it('test_create_task_with_noncoroutine: createTask(123) raises TypeError', () => {
    const e = errorOf(
      (function* () {
        createTask(123 as never);
      })(),
    );
    expect(e).toBeInstanceOf(TypeError);
  });

  it('test_uncancel_basic: cancelling() counts, uncancel() takes one back, a done task stays cancelled', () => {
    const r = value(
      (function* () {
        const t = createTask(
          (function* () {
            try {
              yield* sleep(10_000);
            } catch (e) {
              if (!(e instanceof CancelledError)) throw e;
              currentTask()?.uncancel();
              yield* sleep(10_000);
            }
          })(),
        );
        yield* sleep(10);
        const out: unknown[] = [t.cancel(), t.cancelling(), t.cancelled()];
        yield* sleep(10);
        out.push(t.cancelling(), t.cancelled());
        out.push(t.cancel(), t.cancelling(), t.cancelled());
        const e = yield* raised(t);
        out.push(e instanceof CancelledError, t.cancelled(), t.done());
        t.uncancel();
        out.push(t.cancelled(), t.done());
        return out;
      })(),
    );
    expect(r).toEqual([true, 1, false, 0, false, true, 1, false, true, true, true, true, true]);
  });

  it('test_uncancel_structured_blocks: a callLater timeout turned into TimeoutError by uncancel()', () => {
    function* makeRequestWithTimeout(sleepMs: number, timeoutMs: number): Coroutine<unknown[]> {
      const task = currentTask() as Task<unknown>;
      const loop = getRunningLoop();
      let timedOut = false;
      let structuredBlockFinished = false;
      const handle = loop.callLater(timeoutMs, () => {
        timedOut = true;
        task.cancel();
      });
      try {
        try {
          yield* sleep(sleepMs);
          structuredBlockFinished = true;
        } catch (e) {
          handle.cancel();
          if (timedOut && task.uncancel() === 0 && e instanceof CancelledError)
            throw new TimeoutError();
          throw e;
        }
        handle.cancel();
      } catch (e) {
        if (!(e instanceof TimeoutError)) throw e;
        expect(timedOut).toBeTrue();
      }
      return [timedOut, structuredBlockFinished, true, task.cancelling()];
    }
    const r = value(
      (function* () {
        const t1 = yield* createTask(makeRequestWithTimeout(10_000, 100));
        const t2 = yield* createTask(makeRequestWithTimeout(0, 10_000));
        return [t1, t2];
      })(),
    );
    expect(r).toEqual([
      [true, false, true, 0],
      [false, true, true, 0],
    ]);
  });

  it('test_uncancel_resets_must_cancel: uncancel() before the step takes the pending cancel back', () => {
    const r = value(
      (function* () {
        const fut = new Future<void>();
        const task = createTask(
          (function* () {
            yield* fut;
            return 42;
          })(),
        );
        yield* sleep(0); // task waits for fut
        fut.setResult(undefined); // task runnable
        task.cancel();
        const c1 = task.cancelling();
        task.uncancel();
        const c2 = task.cancelling();
        return [c1, c2, yield* task];
      })(),
    );
    expect(r).toEqual([1, 0, 42]);
  });

  it('test_sleep: sleep(ms, result) returns the result at that time', () => {
    expect(
      value(
        (function* () {
          const r = yield* sleep(50, 'yeah');
          return [r, now()];
        })(),
      ),
    ).toEqual(['yeah', 50]);
  });

  it('test_sleep_when_delay_is_nan: sleep(NaN) raises ValueError', () => {
    // rx-asyncio checks the delay when sleep() is called; asyncio when it is awaited: both raise
    // ValueError in the awaiting task.
    const e = errorOf(
      (function* () {
        yield* sleep(Number.NaN);
      })(),
    );
    expect(e).toBeInstanceOf(ValueError);
  });

  it('test_wait: ALL_COMPLETED waits for both; a second wait on done tasks takes no time', () => {
    const r = value(
      (function* () {
        const a = createTask(sleep(100));
        const b = createTask(sleep(150));
        const [done1, pending1] = yield* wait([b, a]);
        const t1 = now();
        const [done2, pending2] = yield* wait([b, a]);
        return [
          done1.size,
          pending1.size,
          done1.has(a) && done1.has(b),
          t1,
          done2.size,
          pending2.size,
          now(),
        ];
      })(),
    );
    expect(r).toEqual([2, 0, true, 150, 2, 0, 150]);
  });

  it('test_wait_errors: an empty set and an unknown returnWhen raise ValueError', () => {
    const r = value(
      (function* () {
        // wait() checks its arguments when called (asyncio: when awaited); raised() of a
        // coroutine that calls it catches both.
        const e1 = yield* raised(
          (function* () {
            yield* wait(new Set<Future<unknown>>());
          })(),
        );
        const sleepCoro = createTask(sleep(10_000));
        const e2 = yield* raised(
          (function* () {
            yield* wait([sleepCoro], { returnWhen: -1 as never });
          })(),
        );
        sleepCoro.cancel();
        yield* raised(sleepCoro);
        return [e1 instanceof ValueError, e2 instanceof ValueError];
      })(),
    );
    expect(r).toEqual([true, true]);
  });

  it('test_wait_first_completed: FIRST_COMPLETED returns the 100 ms sleep, the 10 s one pending', () => {
    const r = value(
      (function* () {
        const a = createTask(sleep(10_000));
        const b = createTask(sleep(100));
        const [done, pending] = yield* wait([b, a], { returnWhen: FIRST_COMPLETED });
        const out = [
          [...done].map((x) => x === b),
          [...pending].map((x) => x === a),
          a.done(),
          b.done(),
          now(),
        ];
        a.cancel();
        yield* raised(a);
        return out;
      })(),
    );
    expect(r).toEqual([[true], [true], false, true, 100]);
  });

  it('test_wait_really_done: FIRST_COMPLETED also reports a task that finished in the same round', () => {
    const r = value(
      (function* () {
        const a = createTask(sleep(0));
        const b = createTask(
          (function* () {
            yield* sleep(0);
            yield* sleep(0);
          })(),
        );
        const [done, pending] = yield* wait([b, a], { returnWhen: FIRST_COMPLETED });
        return [done.has(a), done.has(b), pending.size, a.result(), b.result()];
      })(),
    );
    expect(r).toEqual([true, true, 0, undefined, undefined]);
  });

  it('test_wait_first_exception: FIRST_EXCEPTION returns the failed task at once', () => {
    const r = value(
      (function* () {
        return yield* firstException(
          (function* () {
            throw new RangeError('division by zero');
          })(),
        );
      })(),
    );
    expect(r).toEqual([[true], [true], 0]);
  });

  it('test_wait_first_exception_in_wait: FIRST_EXCEPTION wakes when a task fails after 10 ms', () => {
    const r = value(
      (function* () {
        return yield* firstException(throwsAfter(10, new RangeError('division by zero')));
      })(),
    );
    expect(r).toEqual([[true], [true], 10]);
  });

  it('test_wait_with_exception: ALL_COMPLETED waits for the task that fails at 150 ms too', () => {
    const r = value(
      (function* () {
        const a = createTask(sleep(100));
        const b = createTask(throwsAfter(150, new RangeError('division by zero')));
        const [done, pending] = yield* wait([b, a], { returnWhen: ALL_COMPLETED });
        const out = [done.size, pending.size, now()];
        const [done2] = yield* wait([b, a]);
        return [...out, done2.size, now(), b.exception() instanceof RangeError];
      })(),
    );
    expect(r).toEqual([2, 0, 150, 2, 150, true]);
  });

  it('test_wait_with_timeout: a 110 ms timeout returns the 100 ms sleep done, the 150 ms one pending', () => {
    expect(value(waitWithTimeout(110))).toEqual([[true], [true], 110]);
  });

  it('test_wait_concurrent_complete: a task done at the timeout instant is reported done', () => {
    // As CPython's run_until_complete(wait(...)): wait runs in a task started after a and b, so
    // a's 100 ms timer is set before wait's 100 ms timeout and fires first.
    expect(value(waitWithTimeout(100))).toEqual([[true], [true], 100]);
  });

  it('test_as_completed_with_timeout: the first result, then TimeoutError at 120 ms', () => {
    const r = value(
      (function* () {
        const a = createTask(sleep(100, 'a'));
        const b = createTask(sleep(150, 'b'));
        const out: unknown[] = [];
        for (const next of asCompleted([a, b], { timeout: 120 })) {
          try {
            out.push(yield* next);
          } catch (e) {
            out.push(e instanceof TimeoutError ? 'timeout' : e);
            break;
          }
        }
        out.push(now());
        yield* b;
        return out;
      })(),
    );
    expect(r).toEqual(['a', 'timeout', 120]);
  });

  it('test_as_completed_reverse_wait: awaiting the second slot first still gives the first result', () => {
    const r = value(
      (function* () {
        const a = createTask(sleep(50, 'a'));
        const b = createTask(sleep(100, 'b'));
        const futs = [...asCompleted([a, b])];
        const x = yield* futs[1] as Coroutine<string>;
        const t1 = now();
        const y = yield* futs[0] as Coroutine<string>;
        return [futs.length, x, t1, y, now()];
      })(),
    );
    expect(r).toEqual([2, 'a', 50, 'b', 100]);
  });

  it('test_as_completed_concurrent: two slots taken at once get the two results', () => {
    const r = value(
      (function* () {
        const a = createTask(sleep(50, 'a'));
        const b = createTask(sleep(50, 'b'));
        const futs = [...asCompleted([a, b])].map((aw) => createTask(aw as Coroutine<string>));
        const [done, pending] = yield* wait(futs);
        return [[...done].map((f) => f.result()).sort(), pending.size, now()];
      })(),
    );
    expect(r).toEqual([['a', 'b'], 0, 50]);
  });

  it('test_task_awaits_on_itself: awaiting your own task raises RuntimeError', () => {
    const r = value(
      (function* () {
        const holder: { task?: Task<void> } = {};
        const task = createTask(
          (function* () {
            yield* holder.task as Task<void>;
          })(),
        );
        holder.task = task;
        const e = yield* raised(task);
        return e instanceof RuntimeError;
      })(),
    );
    expect(r).toBeTrue();
  });

  it('test_ensure_future_future: ensureFuture of a Future is that Future', () => {
    const r = value(
      (function* () {
        const fOrig = new Future<string>();
        fOrig.setResult('ko');
        const f = ensureFuture(fOrig);
        return [f === fOrig, yield* f];
      })(),
    );
    expect(r).toEqual([true, 'ko']);
  });

  it('test_ensure_future_task: ensureFuture of a Task is that Task', () => {
    const r = value(
      (function* () {
        const tOrig = createTask(
          (function* () {
            return 'ok';
          })(),
        );
        const t = ensureFuture(tOrig);
        return [t === tOrig, yield* t];
      })(),
    );
    expect(r).toEqual([true, 'ok']);
  });

  it('test_ensure_future_neither: ensureFuture of a string raises TypeError, even with no running loop', () => {
    expect(() => ensureFuture('ok' as never)).toThrowError(TypeError, /not awaitable/);
    expect(() => ensureFuture(42 as never)).toThrowError(TypeError, /got 42/);
  });

  it('test_get_coro: getCoro() is the coroutine the task runs', () => {
    const coro = (function* () {
      return 1;
    })();
    const r = value(
      (function* () {
        const task = createTask(coro);
        yield* task;
        return task.getCoro() === coro;
      })(),
    );
    expect(r).toBeTrue();
  });

  it('test_get_context: getContext() is the context given to createTask', () => {
    const r = value(
      (function* () {
        const cx = copyContext();
        const task = createTask(sleep(0), { context: cx });
        yield* task;
        return task.getContext() === cx;
      })(),
    );
    expect(r).toBeTrue();
  });

  it('test_sleep_cancel: a sleep(10 s) task cancelled from a callSoon callback ends at once', () => {
    const r = value(
      (function* () {
        const t = createTask(sleep(10_000, 'yeah'));
        yield* sleep(0); // start task
        getRunningLoop().callSoon(() => t.cancel());
        const e = yield* raised(t);
        return [e instanceof CancelledError, t.done(), t.cancelled(), now()];
      })(),
    );
    expect(r).toEqual([true, true, true, 0]);
  });

  it('test_wait_with_iterator_of_tasks: wait() takes an iterator of tasks', () => {
    const r = value(
      (function* () {
        const a = createTask(sleep(100));
        const b = createTask(sleep(150));
        const [done, pending] = yield* wait([b, a].values());
        return [done.size, pending.size, done.has(a) && done.has(b), now()];
      })(),
    );
    expect(r).toEqual([2, 0, true, 150]);
  });

  it('test_wait_invalid_args: wait(coroutine) raises TypeError, wait([]) ValueError', () => {
    const r = value(
      (function* () {
        const coro = (function* () {
          return 1;
        })();
        const e1 = yield* raised(
          (function* () {
            yield* wait(coro as never);
          })(),
        );
        const e2 = yield* raised(
          (function* () {
            yield* wait([]);
          })(),
        );
        return [e1 instanceof TypeError, e2 instanceof ValueError];
      })(),
    );
    expect(r).toEqual([true, true]);
  });

  it('test_as_completed_invalid_args: asCompleted of a Future or a coroutine raises TypeError', () => {
    const r = value(
      (function* () {
        const fut = new Future<number>();
        const coro = (function* () {
          return 1;
        })();
        const out = [
          yield* raised(
            (function* () {
              asCompleted(fut as never);
            })(),
          ),
          yield* raised(
            (function* () {
              asCompleted(coro as never);
            })(),
          ),
        ].map((e) => e instanceof TypeError);
        fut.cancel();
        return out;
      })(),
    );
    expect(r).toEqual([true, true]);
  });

  it('test_as_completed_duplicate_coroutines: the same coroutine twice is awaited once', () => {
    const r = value(
      (function* () {
        const c = (function* () {
          return 'ok';
        })();
        const result: string[] = [];
        for (const f of asCompleted([c, c])) result.push(yield* f);
        return result;
      })(),
    );
    expect(r).toEqual(['ok']);
  });
});
