/**
 * CPython's Lib/test/test_asyncio/test_locks.py (3.13): the Condition and Semaphore tests about
 * cancellation and wakeups, ported test by test to virtual time (each `it` names its CPython
 * test). Python's private `_waiters`/`_value` checks become `locked()` and task states.
 */
import {
  CancelledError,
  Condition,
  createTask,
  gather,
  Semaphore,
  sleep,
  TimeoutError,
  taskGroup,
  timeout,
  waitFor,
  withLock,
} from '../../src/index.js';
import { raised, value } from '../support/outcome.js';

describe('Condition (CPython test_locks ConditionTests)', () => {
  it('test_timeout_in_block: waitFor(cond.wait()) times out and the lock is held again', () => {
    const [e, locked] = value(
      (function* () {
        const cond = new Condition();
        return yield* withLock(cond, function* () {
          return [yield* raised(waitFor(cond.wait(), 500)), cond.locked()] as const;
        });
      })(),
    );
    expect(e).toBeInstanceOf(TimeoutError);
    expect(locked).toBeTrue();
  });

  /** A task waiting for `wake` under `cond`; it rethrows what it caught, kept in `seen.raised`. */
  function waiter(cond: Condition, wake: () => boolean, seen: { raised?: unknown }) {
    return createTask(
      withLock(cond, function* () {
        seen.raised = yield* raised(cond.waitFor(wake));
        throw seen.raised;
      }),
    );
  }

  it('test_cancelled_error_wakeup: the CancelledError of the wait is re-raised unchanged', () => {
    const seen: { raised?: unknown } = {};
    const e = value(
      (function* () {
        const cond = new Condition();
        const task = waiter(cond, () => false, seen);
        yield* sleep(0);
        task.cancel('foo');
        return yield* raised(task);
      })(),
    );
    expect(e).toBeInstanceOf(CancelledError);
    expect((e as Error).message).toBe('foo');
    expect(e).toBe(seen.raised);
  });

  it('test_cancelled_error_re_aquire: a cancel while re-acquiring the lock is re-raised unchanged', () => {
    const seen: { raised?: unknown } = {};
    const e = value(
      (function* () {
        let wake = false;
        const cond = new Condition();
        const task = waiter(cond, () => wake, seen);
        yield* sleep(0);
        yield* cond.acquire();
        wake = true;
        cond.notify();
        yield* sleep(0);
        task.cancel('foo'); // the task is now trying to re-acquire the lock
        cond.release();
        return yield* raised(task);
      })(),
    );
    expect((e as Error).message).toBe('foo');
    expect(e).toBe(seen.raised);
  });

  for (const relock of [false, true]) {
    it(`test_cancelled_wakeup${relock ? '_relock' : ''}: a cancel racing a notify loses no wakeup`, () => {
      const state = value(
        (function* () {
          const cond = new Condition();
          let state = 0;
          const consumer = () =>
            createTask(
              withLock(cond, function* () {
                for (;;) {
                  yield* cond.waitFor(() => state !== 0);
                  if (state < 0) return;
                  state -= 1;
                }
              }),
            );
          const consumers = [consumer(), consumer()];
          yield* sleep(0);
          let seen = Number.NaN;
          yield* withLock(cond, function* () {
            state += 1;
            cond.notify(1);
            // _relock: let the woken task settle on re-acquiring the lock before the cancel.
            if (relock) yield* sleep(0);
            consumers[0]?.cancel();
            const e = yield* raised(
              timeout(10, function* () {
                yield* cond.waitFor(() => state === 0);
              }),
            );
            if (e !== undefined && !(e instanceof TimeoutError)) throw e;
            seen = state;
            state = -1;
            cond.notifyAll();
          });
          yield* consumers[1] as NonNullable<(typeof consumers)[1]>;
          return seen;
        })(),
      );
      expect(state).toBe(0);
    });
  }
});

describe('Semaphore (CPython test_locks SemaphoreTests)', () => {
  it('test_acquire: two waiters of three pass on two releases; the semaphore stays locked', () => {
    const [first, second] = value(
      (function* () {
        const sem = new Semaphore(3);
        const result: number[] = [];
        yield* sem.acquire();
        yield* sem.acquire();
        const acquirer = (n: number) =>
          createTask(
            (function* () {
              yield* sem.acquire();
              result.push(n);
              return true;
            })(),
          );
        const t1 = acquirer(1);
        const racing = [acquirer(2), acquirer(3)];
        yield* sleep(0);
        const first = [[...result], sem.locked()];
        racing.push(acquirer(4));
        sem.release();
        sem.release();
        yield* sleep(0);
        const second = [
          result.length,
          sem.locked(),
          t1.done(),
          racing.filter((t) => t.done()).length,
        ];
        sem.release(); // clean up the locked semaphore
        yield* gather(...racing);
        return [first, second];
      })(),
    );
    expect(first).toEqual([[1], true]);
    expect(second).toEqual([3, true, true, 2]);
  });

  it('test_acquire_cancel_before_awoken: a release skips cancelled waiters, FIFO', () => {
    const [t3Done, t4Done] = value(
      (function* () {
        const sem = new Semaphore(0);
        const ts = [1, 2, 3, 4].map(() => createTask(sem.acquire()));
        yield* sleep(0);
        ts[0]?.cancel();
        ts[1]?.cancel();
        sem.release();
        yield* sleep(0);
        yield* sleep(0);
        const states = [ts[2]?.done(), ts[3]?.done()];
        for (const t of ts) t.cancel();
        yield* sleep(0);
        return states;
      })(),
    );
    expect(t3Done).toBeTrue();
    expect(t4Done).toBeFalse();
  });

  it('test_acquire_hang: a release after a cancelled waiter wakes the next one', () => {
    const [locked, t2Done] = value(
      (function* () {
        const sem = new Semaphore(0);
        const t1 = createTask(sem.acquire());
        const t2 = createTask(sem.acquire());
        yield* sleep(0);
        t1.cancel();
        sem.release();
        yield* sleep(0);
        yield* sleep(0);
        return [sem.locked(), t2.done()];
      })(),
    );
    expect(locked).toBeTrue();
    expect(t2Done).toBeTrue();
  });

  it('test_acquire_no_hang: a waiter cancelled as it is handed the slot gives it back', () => {
    const [r1, r2] = value(
      (function* () {
        const sem = new Semaphore(1);
        const holder: { t2?: { cancel(): boolean } } = {};
        const t1 = createTask(
          (function* () {
            yield* withLock(sem, function* () {
              yield* sleep(0);
            });
            holder.t2?.cancel();
          })(),
        );
        const t2 = createTask(
          withLock(sem, function* () {
            throw new Error('c2 must not get the semaphore');
          }),
        );
        holder.t2 = t2;
        const results = yield* gather(t1, t2, { returnExceptions: true });
        yield* waitFor(sem.acquire(), 1000); // no hang: the slot came back
        return results;
      })(),
    );
    expect(r1).toBeUndefined();
    expect(r2).toBeInstanceOf(CancelledError);
  });

  it('test_acquire_fifo_order: holders take turns in arrival order, twice round', () => {
    const result = value(
      (function* () {
        const sem = new Semaphore(1);
        const result: string[] = [];
        function* coro(tag: string) {
          for (const round of [1, 2]) {
            yield* sem.acquire();
            result.push(`${tag}_${round}`);
            yield* sleep(10);
            sem.release();
          }
        }
        yield* taskGroup(function* (tg) {
          for (const tag of ['c1', 'c2', 'c3']) tg.createTask(coro(tag));
        });
        return result;
      })(),
    );
    expect(result).toEqual(['c1_1', 'c2_1', 'c3_1', 'c1_2', 'c2_2', 'c3_2']);
  });

  it('test_acquire_fifo_order_3: the first waiter cancelled, the next two pass in order', () => {
    const result = value(
      (function* () {
        const sem = new Semaphore(0);
        const result: number[] = [];
        const acquirer = (n: number) =>
          createTask(
            (function* () {
              yield* sem.acquire();
              result.push(n);
            })(),
          );
        const [t1, t2, t3] = [acquirer(1), acquirer(2), acquirer(3)];
        yield* sleep(0);
        t1.cancel();
        yield* sleep(0);
        sem.release();
        sem.release();
        yield* gather(t2, t3);
        return result;
      })(),
    );
    expect(result).toEqual([2, 3]);
  });
});
