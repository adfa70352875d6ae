import { expectTimeline } from '../../marbles/index.js';
import {
  CancelledError,
  Condition,
  createTask,
  Lock,
  RuntimeError,
  sleep,
  waitFor,
  withLock,
} from '../../src/index.js';
import { now, recordOk, runErr, runOk, ticks } from './support.js';

function* waiter(cond: Condition, name: string, log: string[]) {
  yield* withLock(cond, function* () {
    try {
      yield* cond.wait();
      log.push(`${name} woke@${now()} locked=${cond.locked()}`);
    } catch (e) {
      log.push(`${name} ${(e as Error).name}@${now()} locked=${cond.locked()}`);
      throw e;
    }
  });
}

describe('Condition', () => {
  it('wait() releases the lock; notify(n) wakes n waiters FIFO, each re-acquiring in turn', () => {
    const { timeline } = recordOk((tl) =>
      (function* () {
        const cond = new Condition();
        const waiter = (name: string) =>
          createTask(
            withLock(cond, function* () {
              yield* cond.wait();
              expect(cond.locked()).withContext(`${name} woke holding the lock`).toBe(true);
              tl.print('w');
            }),
            { name },
          );
        const ts = ['a', 'b', 'c'].map(waiter);
        yield* sleep(10);
        yield* withLock(cond, function* () {
          cond.notify(2);
          expect(String(cond)).toBe('<Condition [locked, waiters:3]>');
          tl.print('n');
          yield* sleep(5); // they need the lock: they wait for it
        });
        yield* sleep(10);
        yield* withLock(cond, function* () {
          cond.notifyAll();
          tl.print('N');
        });
        for (const t of ts) yield* t;
      })(),
    );
    // n: notify(2) at 10, holding the lock until 15; N: notifyAll() at 25; w: a waiter woke.
    // biome-ignore format: an aligned marble diagram
    const expected = {
      main: '----------n--------------(N|)',
      a:    '---------------(w|)',
      b:    '---------------(w|)',
      c:    '-------------------------(w|)',
    };
    expectTimeline(timeline, expected);
  });

  it('wait() and notify() need the lock held', () => {
    const err = runErr(function* () {
      const cond = new Condition();
      expect(() => cond.notify()).toThrowError(RuntimeError, /lock is not held/);
      expect(() => cond.notifyAll()).toThrowError(RuntimeError, /lock is not held/);
      yield* cond.wait();
    });
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as Error).message).toMatch(/Condition\.wait\(\): the lock is not held/);
  });

  it('waitFor(predicate) returns the predicate value, checking first and after each notify', () => {
    const log = runOk(function* () {
      const cond = new Condition();
      const log: string[] = [];
      let items: string[] = [];
      let calls = 0;
      const consumer = createTask(
        withLock(cond, function* () {
          const v = yield* cond.waitFor(() => {
            calls++;
            return items.length >= 2 && items.join();
          });
          log.push(`got ${v}@${now()} after ${calls} checks`);
        }),
      );
      for (const x of ['x', 'y']) {
        yield* sleep(10);
        yield* withLock(cond, function* () {
          items = [...items, x];
          cond.notify();
        });
      }
      yield* consumer;
      const already = yield* withLock(cond, () => cond.waitFor(() => 42));
      log.push(`already true: ${already}`);
      return log;
    });
    expect(log).toEqual(['got x,y@20 after 3 checks', 'already true: 42']);
  });

  it('an error thrown by the predicate propagates with the lock held', () => {
    const out = runOk(function* () {
      const cond = new Condition();
      let lockedInCatch = false;
      try {
        yield* withLock(cond, function* () {
          try {
            yield* cond.waitFor(() => {
              throw new SyntaxError('bad predicate');
            });
          } catch (e) {
            lockedInCatch = cond.locked();
            throw e;
          }
        });
      } catch (e) {
        return [(e as Error).name, lockedInCatch, cond.locked()];
      }
      return [];
    });
    expect(out).toEqual(['SyntaxError', true, false]);
  });

  it('a cancelled waiter re-acquires the lock before its CancelledError surfaces', () => {
    const log = runOk(function* () {
      const cond = new Condition();
      const log: string[] = [];
      const a = createTask(waiter(cond, 'a', log));
      yield* ticks(2);
      yield* cond.acquire();
      a.cancel();
      yield* sleep(10); // a is cancelled but must wait for the lock we hold
      log.push(`main releases@${now()}`);
      cond.release();
      try {
        yield* a;
      } catch (e) {
        log.push(`a: ${e instanceof CancelledError}`);
      }
      return log;
    });
    expect(log).toEqual(['main releases@10', 'a CancelledError@10 locked=true', 'a: true']);
  });

  it('a notified-then-cancelled waiter passes the notification on (same tick)', () => {
    const log = runOk(function* () {
      const cond = new Condition();
      const log: string[] = [];
      const a = createTask(waiter(cond, 'a', log));
      const b = createTask(waiter(cond, 'b', log));
      yield* ticks(2);
      yield* withLock(cond, function* () {
        cond.notify(1); // meant for a...
        a.cancel(); // ...cancelled before it resumes
      });
      yield* b;
      yield* ticks(2);
      return [...log, `a cancelled: ${a.cancelled()}`];
    });
    expect(log).toEqual([
      'a CancelledError@0 locked=true',
      'b woke@0 locked=true',
      'a cancelled: true',
    ]);
  });

  it('a notified waiter cancelled while re-acquiring the lock passes the notification on', () => {
    const log = runOk(function* () {
      const cond = new Condition();
      const log: string[] = [];
      const a = createTask(waiter(cond, 'a', log));
      const b = createTask(waiter(cond, 'b', log));
      yield* ticks(2);
      yield* cond.acquire();
      cond.notify(1);
      yield* ticks(2); // a resumed and now waits for the lock
      a.cancel();
      yield* ticks(1);
      cond.release();
      yield* b;
      return log;
    });
    expect(log).toEqual(['a CancelledError@0 locked=true', 'b woke@0 locked=true']);
  });

  it('a waiter cancelled while parked is not notified and takes no notification', () => {
    const log = runOk(function* () {
      const cond = new Condition();
      const log: string[] = [];
      const a = createTask(waiter(cond, 'a', log));
      const b = createTask(waiter(cond, 'b', log));
      yield* ticks(2);
      a.cancel();
      yield* ticks(3);
      yield* withLock(cond, function* () {
        log.push(String(cond));
        cond.notify(1);
      });
      yield* b;
      return log;
    });
    expect(log).toEqual([
      'a CancelledError@0 locked=true',
      '<Condition [locked, waiters:1]>',
      'b woke@0 locked=true',
    ]);
  });

  it('shares a lock passed in; rejects a non-Lock and a bad n', () => {
    const out = runOk(function* () {
      const lock = new Lock();
      const c1 = new Condition(lock);
      const c2 = new Condition(lock);
      yield* c1.acquire();
      return [lock.locked(), c2.locked()];
    });
    expect(out).toEqual([true, true]);
    expect(() => new Condition({} as never)).toThrowError(TypeError, /expected a Lock/);
    expect(() => new Condition().notify(-1)).toThrowError(RangeError);
    expect(() => new Condition().notify('1' as never)).toThrowError(TypeError);
    expect(() => new Condition().waitFor(true as never)).toThrowError(TypeError);
  });

  it('never notified: waitFor times out; the waiter leaves and holds the lock on the way out', () => {
    const out = runOk(function* () {
      const cond = new Condition();
      let seen = '';
      try {
        yield* withLock(cond, function* () {
          try {
            yield* waitFor(cond.wait(), 30);
          } finally {
            seen = `${cond} @${now()}`;
          }
        });
      } catch (e) {
        return [(e as Error).name, seen, String(cond)];
      }
      return [];
    });
    expect(out).toEqual(['TimeoutError', '<Condition [locked]> @30', '<Condition [unlocked]>']);
  });
});
