import { runVirtual } from '../../marbles/index.js';
import {
  CancelledError,
  createTask,
  Lock,
  RuntimeError,
  sleep,
  TimeoutError,
  waitFor,
  withLock,
} from '../../src/index.js';
import { now, runErr, runOk, ticks } from './support.js';

function* acquire(lock: Lock) {
  return yield* lock.acquire();
}

function* holder(lock: Lock, name: string, log: string[], ms = 10) {
  yield* lock.acquire();
  log.push(`${name}+${now()}`);
  yield* sleep(ms);
  log.push(`${name}-${now()}`);
  lock.release();
}

describe('Lock', () => {
  it('acquires a free lock without yielding to the loop', () => {
    const log = runOk(function* () {
      const lock = new Lock();
      const log: string[] = [];
      createTask(
        (function* () {
          log.push('other');
        })(),
      );
      yield* lock.acquire();
      log.push(`acquired ${lock.locked()}`);
      yield* sleep(0);
      return log;
    });
    expect(log).toEqual(['acquired true', 'other']);
  });

  it('serves waiters FIFO', () => {
    const log = runOk(function* () {
      const lock = new Lock();
      const log: string[] = [];
      const tasks = ['a', 'b', 'c'].map((n) => createTask(holder(lock, n, log)));
      for (const t of tasks) yield* t;
      return log;
    });
    expect(log).toEqual(['a+0', 'a-10', 'b+10', 'b-20', 'c+20', 'c-30']);
  });

  it('does not let a releaser barge in front of a waiter', () => {
    const log = runOk(function* () {
      const lock = new Lock();
      const log: string[] = [];
      yield* lock.acquire();
      const b = createTask(holder(lock, 'b', log, 0));
      yield* ticks(1); // b is waiting
      lock.release();
      expect(lock.locked()).toBe(false); // as asyncio: handed over, not yet taken
      expect(String(lock)).toBe('<Lock [unlocked, waiters:1]>');
      yield* lock.acquire(); // queues behind b
      log.push(`main+${now()}`);
      lock.release();
      yield* b;
      return log;
    });
    expect(log).toEqual(['b+0', 'b-0', 'main+0']);
  });

  it('refuses to release an unlocked lock, also while it is being handed over', () => {
    const err = runErr(function* () {
      const lock = new Lock();
      expect(() => lock.release()).toThrowError(RuntimeError, /not acquired/);
      yield* lock.acquire();
      const b = createTask(acquire(lock));
      yield* ticks(1);
      lock.release();
      lock.release(); // b was handed the lock but has not run: the lock is not held
      yield* b;
    });
    expect(err).toBeInstanceOf(RuntimeError);
  });

  it('is not re-entrant: a holder that acquires again waits (here until a timeout)', () => {
    const err = runErr(function* () {
      const lock = new Lock();
      yield* lock.acquire();
      yield* waitFor(lock.acquire(), 50);
    });
    expect(err).toBeInstanceOf(TimeoutError);
  });

  it('a waiter cancelled while parked leaves the line; the lock goes to the next one', () => {
    const log = runOk(function* () {
      const lock = new Lock();
      const log: string[] = [];
      yield* lock.acquire();
      const b = createTask(holder(lock, 'b', log));
      const c = createTask(holder(lock, 'c', log));
      yield* ticks(1);
      expect(String(lock)).toBe('<Lock [locked, waiters:2]>');
      b.cancel();
      yield* ticks(1);
      expect(String(lock)).toBe('<Lock [locked, waiters:1]>');
      yield* sleep(5);
      lock.release();
      yield* c;
      log.push(`b cancelled: ${b.cancelled()}`);
      return log;
    });
    expect(log).toEqual(['c+5', 'c-15', 'b cancelled: true']);
  });

  it('a waiter woken and cancelled in the same tick passes the lock on', () => {
    const log = runOk(function* () {
      const lock = new Lock();
      const log: string[] = [];
      yield* lock.acquire();
      const b = createTask(holder(lock, 'b', log));
      const c = createTask(holder(lock, 'c', log));
      yield* ticks(1);
      lock.release(); // hands the lock to b...
      b.cancel(); // ...which is cancelled before it resumes
      yield* c;
      log.push(`b cancelled: ${b.cancelled()}, ${lock}`);
      return log;
    });
    expect(log).toEqual(['c+0', 'c-10', 'b cancelled: true, <Lock [unlocked]>']);
  });

  it('woken and cancelled with nobody behind: the lock is free again', () => {
    const state = runOk(function* () {
      const lock = new Lock();
      yield* lock.acquire();
      const b = createTask(holder(lock, 'b', []));
      yield* ticks(1);
      lock.release();
      b.cancel();
      yield* ticks(2);
      const before = String(lock);
      yield* lock.acquire(); // free: no yield
      return [before, b.cancelled(), lock.locked()];
    });
    expect(state).toEqual(['<Lock [unlocked]>', true, true]);
  });

  it('a task cancelled before its first step never acquires', () => {
    const state = runOk(function* () {
      const lock = new Lock();
      const t = createTask(holder(lock, 'x', []));
      t.cancel();
      yield* ticks(2);
      return [t.cancelled(), lock.locked(), String(lock)];
    });
    expect(state).toEqual([true, false, '<Lock [unlocked]>']);
  });

  it('timeout vs completion: acquired before the deadline, or a TimeoutError and no waiter left', () => {
    const out = runOk(function* () {
      const lock = new Lock();
      yield* lock.acquire();
      createTask(
        (function* () {
          yield* sleep(30);
          lock.release();
        })(),
      );
      let first: unknown;
      try {
        yield* waitFor(lock.acquire(), 20);
      } catch (e) {
        first = e;
      }
      const afterTimeout = String(lock);
      const got = yield* waitFor(lock.acquire(), 20); // released at 30
      return [(first as Error).name, afterTimeout, got, now()];
    });
    expect(out).toEqual(['TimeoutError', '<Lock [locked]>', true, 30]);
  });

  it('construction outside a loop works; an uncontended lock works in two runs', () => {
    const lock = new Lock();
    for (let i = 0; i < 2; i++) {
      const r = runVirtual(
        (function* () {
          yield* withLock(lock, function* () {
            yield* sleep(1);
          });
          return lock.locked();
        })(),
      );
      expect(r.outcome).toEqual({ ok: true, value: false });
    }
  });

  it('once contended under one loop, using it from another loop is a RuntimeError', () => {
    const lock = new Lock();
    runOk(function* () {
      yield* lock.acquire();
      const t = createTask(acquire(lock));
      yield* ticks(1);
      lock.release();
      yield* t;
      lock.release();
    });
    const err = runErr(function* () {
      yield* lock.acquire();
      yield* lock.acquire(); // contended: needs a waiter on this loop
    });
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as Error).message).toMatch(/bound to a different event loop/);
  });

  it('a cancelled holder that waits in cleanup still owns the lock until it releases', () => {
    const log = runOk(function* () {
      const lock = new Lock();
      const log: string[] = [];
      const a = createTask(
        withLock(lock, function* () {
          try {
            yield* sleep(100);
          } finally {
            yield* sleep(5); // async cleanup while cancelled
            log.push(`a cleanup done ${now()}`);
          }
        }),
      );
      yield* ticks(1);
      const b = createTask(holder(lock, 'b', log, 1));
      yield* sleep(10);
      a.cancel();
      yield* b;
      try {
        yield* a;
      } catch (e) {
        log.push(`a: ${(e as Error).name}`);
      }
      return log;
    });
    expect(log).toEqual(['a cleanup done 15', 'b+15', 'b-16', 'a: CancelledError']);
  });

  it('acquire() does nothing until awaited, like a Python coroutine', () => {
    const out = runOk(function* () {
      const lock = new Lock();
      const pending = lock.acquire();
      const before = lock.locked();
      yield* pending;
      return [before, lock.locked()];
    });
    expect(out).toEqual([false, true]);
  });

  it('cancelled again while acquiring in its cleanup: the cleanup acquire raises, nothing is held', () => {
    const log = runOk(function* () {
      const lock = new Lock();
      const log: string[] = [];
      yield* lock.acquire();
      const t = createTask(
        (function* () {
          try {
            yield* sleep(100);
          } finally {
            log.push('cleanup: acquiring');
            yield* lock.acquire(); // async cleanup that needs the lock
            log.push('cleanup: never here');
          }
        })(),
      );
      yield* ticks(1);
      t.cancel();
      yield* ticks(2);
      log.push(String(lock));
      t.cancel(); // cancelled during cleanup
      yield* ticks(2);
      log.push(`${t.cancelled()} ${lock}`);
      return log;
    });
    expect(log).toEqual([
      'cleanup: acquiring',
      '<Lock [locked, waiters:1]>',
      'true <Lock [locked]>',
    ]);
  });

  it('CancelledError raised while waiting is a CancelledError', () => {
    const name = runOk(function* () {
      const lock = new Lock();
      yield* lock.acquire();
      const t = createTask(acquire(lock));
      yield* ticks(1);
      t.cancel('stop');
      yield* ticks(1);
      try {
        yield* t;
        return 'no error';
      } catch (e) {
        return e instanceof CancelledError ? `cancelled: ${e.message}` : String(e);
      }
    });
    expect(name).toBe('cancelled: stop');
  });
});
