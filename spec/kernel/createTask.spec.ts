/**
 * createTask of every rx-asyncio awaitable that is a coroutine in asyncio (issue 16, items 1
 * and 2): `create_task(lock.acquire())`, `create_task(queue.get())`, `create_task(sleep(n))`
 * are everyday asyncio; a Future or Task is not a coroutine and is refused.
 */
import { runVirtual } from '../../marbles/index.js';
import {
  CancelledError,
  createTask,
  Event,
  gather,
  getRunningLoop,
  isCoroutine,
  Lock,
  Queue,
  Semaphore,
  sleep,
  TaskGroup,
  TimeoutError,
  timeout,
  wait,
  waitFor,
} from '../../src/index.js';
import { errorOf, value } from '../support/outcome.js';

describe('createTask of an awaitable that asyncio calls a coroutine', () => {
  it('takes lock.acquire(); cancelling the task takes it out of the line (test_locks test_acquire_cancel)', () => {
    const log: string[] = [];
    value(
      (function* () {
        const lock = new Lock();
        yield* lock.acquire();
        const task = createTask(lock.acquire());
        getRunningLoop().callSoon(() => task.cancel());
        try {
          yield* task;
        } catch (e) {
          log.push(`task: ${(e as Error).name}`);
        }
        log.push(String(lock));
        lock.release();
        log.push(String(lock));
      })(),
    );
    expect(log).toEqual(['task: CancelledError', '<Lock [locked]>', '<Lock [unlocked]>']);
  });

  it('starts the operation when the task first runs, not at createTask (lazy, as a coroutine)', () => {
    expect(
      value(
        (function* () {
          const lock = new Lock();
          const task = createTask(lock.acquire());
          const before = lock.locked();
          yield* sleep(0);
          return [before, lock.locked(), task.done(), yield* task];
        })(),
      ),
    ).toEqual([false, true, true, true]);
  });

  it('takes queue.get() and event.wait() (test_queues / test_locks create_task(q.get()), ev.wait())', () => {
    expect(
      value(
        (function* () {
          const q = new Queue<string>();
          const ev = new Event();
          const getter = createTask(q.get());
          const waiter = getRunningLoop().createTask(ev.wait());
          yield* sleep(0);
          q.putNowait('item');
          ev.set();
          return [yield* getter, yield* waiter];
        })(),
      ),
    ).toEqual(['item', true]);
  });

  it('takes sleep(ms, value) and sleep(0); cancelling the task cancels the timer', () => {
    const r = runVirtual(
      (function* () {
        const slow = createTask(sleep(10_000, 'late'));
        const nap = createTask(sleep(20, 'nap'));
        const tick = createTask(sleep(0));
        const napped = yield* nap;
        slow.cancel();
        let slowOutcome = '';
        try {
          yield* slow;
        } catch (e) {
          slowOutcome = e instanceof CancelledError ? 'cancelled' : String(e);
        }
        return [napped, yield* tick, slowOutcome, getRunningLoop().time()];
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: ['nap', undefined, 'cancelled', 20] });
    expect(r.time).toBe(20); // the cancelled 10 s timer never held the loop open
  });

  it('takes waitFor(), wait() and timeout() (coroutines in asyncio)', () => {
    expect(
      value(
        (function* () {
          const timedOut = createTask(waitFor(sleep(1000), 10));
          const sem = new Semaphore(1);
          const inTime = createTask(
            timeout(100, function* () {
              yield* sem.acquire();
              return 'in time';
            }),
          );
          const waiting = createTask(wait([createTask(sleep(5, 'x'))]));
          let first = '';
          try {
            yield* timedOut;
          } catch (e) {
            first = e instanceof TimeoutError ? 'TimeoutError' : String(e);
          }
          const [done, pending] = yield* waiting;
          return [first, yield* inTime, done.size, pending.size];
        })(),
      ),
    ).toEqual(['TimeoutError', 'in time', 1, 0]);
  });

  it('TaskGroup.createTask takes them too', () => {
    expect(
      value(
        (function* () {
          const q = new Queue<number>();
          return yield* new TaskGroup().scope(function* (tg) {
            const got = tg.createTask(q.get());
            const slept = tg.createTask(sleep(10, 'slept'));
            q.putNowait(7);
            return () => [got.result(), slept.result()];
          });
        })(),
      )(),
    ).toEqual([7, 'slept']);
  });
});

describe('createTask refuses a Future or Task: it is not a coroutine', () => {
  it('a Future: TypeError "a coroutine was expected" (asyncio create_task(fut); test_runners test_run_future)', () => {
    const err = errorOf(
      (function* () {
        createTask(getRunningLoop().createFuture<number>());
      })(),
    );
    expect(err).toEqual(jasmine.any(TypeError));
    expect((err as Error).message).toMatch(/a coroutine was expected, got <Future pending>/);
    expect((err as Error).message).toContain('yield*');
  });

  it('a Task, and the Future gather() returns (asyncio refuses both)', () => {
    value(
      (function* () {
        const task = createTask(sleep(1));
        expect(() => createTask(task)).toThrowError(TypeError, /a coroutine was expected/);
        const g = gather(task);
        expect(() => createTask(g)).toThrowError(TypeError, /a coroutine was expected/);
        expect(() => getRunningLoop().createTask(g)).toThrowError(TypeError);
        yield* g;
      })(),
    );
  });

  it('isCoroutine() is false for a Future (asyncio.iscoroutine(fut) is False)', () => {
    value(
      (function* () {
        const fut = getRunningLoop().createFuture<void>();
        expect(isCoroutine(fut)).toBeFalse();
        expect(isCoroutine((function* () {})())).toBeTrue();
        fut.cancel();
      })(),
    );
  });
});
