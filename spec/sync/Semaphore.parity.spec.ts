/**
 * asyncio parity, round 2 (issue 16, item 5): surplus permits do not overtake a woken waiter.
 * CPython 3.13's Semaphore keeps a woken waiter in line until it runs; `locked()` is true while
 * it waits to run, and newcomers queue behind it even when releases left free permits.
 */
import { createTask, gather, Semaphore, sleep } from '../../src/index.js';
import { value } from '../support/outcome.js';

describe('Semaphore FIFO with surplus permits (asyncio parity, issue 16)', () => {
  it("a newcomer does not take a surplus permit before the woken waiter runs (the issue's example)", () => {
    expect(
      value(
        (function* () {
          const sem = new Semaphore(0);
          const log: string[] = [];
          const t1 = createTask(
            (function* () {
              yield* sem.acquire();
              log.push('t1');
            })(),
          );
          yield* sleep(0);
          sem.release();
          sem.release();
          log.push(`locked=${sem.locked()}`);
          yield* sem.acquire();
          log.push('main');
          yield* t1;
          return log;
        })(),
      ),
    ).toEqual(['locked=true', 't1', 'main']);
  });

  it('test_locks test_acquire_fifo_order_2', () => {
    expect(
      value(
        (function* () {
          const sem = new Semaphore(1);
          const result: number[] = [];
          function* c1() {
            yield* sem.acquire();
            result.push(1);
            return true;
          }
          function* c2() {
            yield* sem.acquire();
            result.push(2);
            sem.release();
            yield* sem.acquire();
            result.push(4);
            return true;
          }
          function* c3() {
            yield* sem.acquire();
            result.push(3);
            return true;
          }
          const tasks = [createTask(c1()), createTask(c2()), createTask(c3())];
          yield* sleep(0);
          sem.release();
          sem.release();
          yield* gather(...tasks);
          return result;
        })(),
      ),
    ).toEqual([1, 2, 3, 4]);
  });

  it('test_locks test_acquire_fifo_order_4: a waiter that runs wakes those queued behind it', () => {
    expect(
      value(
        (function* () {
          const sem = new Semaphore(0);
          const result: number[] = [];
          const checks: string[] = [];
          let t4: ReturnType<typeof createTask<boolean>> | null = null;
          function* c4() {
            result.push(4);
            return true;
          }
          function* c1() {
            checks.push(`c1 before: locked=${sem.locked()}`);
            yield* sem.acquire();
            // Every waiting task was woken: no free permit is left.
            checks.push(`c1 after: locked=${sem.locked()} ${sem}`);
            t4 = createTask(c4()); // runs after c3, not c2
            result.push(1);
            return true;
          }
          function* c2() {
            sem.release();
            sem.release();
            sem.release();
            // Locked: c1 was handed a permit and has not run yet.
            checks.push(`c2: locked=${sem.locked()}`);
            yield* sem.acquire();
            result.push(2);
            return true;
          }
          function* c3() {
            yield* sem.acquire();
            checks.push(`c3: locked=${sem.locked()}`);
            result.push(3);
            return true;
          }
          const t1 = createTask(c1());
          const t2 = createTask(c2());
          const t3 = createTask(c3());
          yield* sleep(0);
          yield* sleep(0);
          yield* gather(t1, t2, t3, t4 as unknown as ReturnType<typeof createTask<boolean>>);
          return [result, checks];
        })(),
      ),
    ).toEqual([
      [1, 2, 3, 4],
      [
        'c1 before: locked=true',
        'c2: locked=true',
        'c1 after: locked=true <Semaphore [locked, waiters:2]>', // no free permit: both were handed on
        'c3: locked=true',
      ],
    ]);
  });
});
