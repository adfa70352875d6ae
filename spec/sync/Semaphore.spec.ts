import {
  BoundedSemaphore,
  createTask,
  Semaphore,
  sleep,
  ValueError,
  waitFor,
  withLock,
} from '../../src/index.js';
import { now, runErr, runOk, ticks } from './support.js';

function* user(sem: Semaphore, name: string, log: string[], ms = 10) {
  yield* withLock(sem, function* () {
    log.push(`${name}+${now()}`);
    yield* sleep(ms);
  });
}

function* acquire(sem: Semaphore) {
  return yield* sem.acquire();
}

describe('Semaphore', () => {
  it('lets `value` tasks in at once, the rest FIFO', () => {
    const log = runOk(function* () {
      const sem = new Semaphore(2);
      const log: string[] = [];
      const ts = ['a', 'b', 'c', 'd', 'e'].map((n) => createTask(user(sem, n, log)));
      for (const t of ts) yield* t;
      return log;
    });
    expect(log).toEqual(['a+0', 'b+0', 'c+10', 'd+10', 'e+20']);
  });

  it('acquires a free slot without yielding; the default value is 1', () => {
    const log = runOk(function* () {
      const sem = new Semaphore();
      const log: string[] = [];
      createTask(
        (function* () {
          log.push('other');
        })(),
      );
      yield* sem.acquire();
      log.push(`acquired, locked=${sem.locked()}`);
      yield* sleep(0);
      return log;
    });
    expect(log).toEqual(['acquired, locked=true', 'other']);
  });

  it('locked() stays true while a woken waiter has not run; a re-acquiring releaser queues behind', () => {
    const log = runOk(function* () {
      const sem = new Semaphore(1);
      const log: string[] = [];
      yield* sem.acquire();
      const b = createTask(user(sem, 'b', log, 0));
      yield* ticks(1);
      sem.release();
      log.push(`locked after release: ${sem.locked()} ${sem}`);
      yield* sem.acquire();
      log.push(`main+${now()}`);
      sem.release();
      yield* b;
      return log;
    });
    expect(log).toEqual([
      'locked after release: true <Semaphore [locked, waiters:1]>',
      'b+0',
      'main+0',
    ]);
  });

  it('a waiter woken and cancelled in the same tick passes its slot on', () => {
    const log = runOk(function* () {
      const sem = new Semaphore(1);
      const log: string[] = [];
      yield* sem.acquire();
      const b = createTask(user(sem, 'b', log));
      const c = createTask(user(sem, 'c', log));
      yield* ticks(1);
      sem.release();
      b.cancel();
      yield* c;
      log.push(`b cancelled ${b.cancelled()} ${sem}`);
      return log;
    });
    expect(log).toEqual(['c+0', 'b cancelled true <Semaphore [unlocked, value:1]>']);
  });

  it('woken and cancelled with nobody behind: the slot returns to the count', () => {
    const s = runOk(function* () {
      const sem = new Semaphore(0);
      const b = createTask(acquire(sem));
      yield* ticks(1);
      sem.release();
      b.cancel();
      yield* ticks(2);
      return String(sem);
    });
    expect(s).toBe('<Semaphore [unlocked, value:1]>');
  });

  it('a waiter cancelled while parked leaves the line and holds nothing', () => {
    const s = runOk(function* () {
      const sem = new Semaphore(0);
      const b = createTask(acquire(sem));
      const c = createTask(acquire(sem));
      yield* ticks(1);
      b.cancel();
      yield* ticks(1);
      const mid = String(sem);
      sem.release();
      yield* c;
      return [mid, b.cancelled(), String(sem)];
    });
    expect(s).toEqual(['<Semaphore [locked, waiters:1]>', true, '<Semaphore [locked]>']);
  });

  it('timeout vs completion with waitFor; a timed-out waiter leaves nothing behind', () => {
    const out = runOk(function* () {
      const sem = new Semaphore(0);
      createTask(
        (function* () {
          yield* sleep(30);
          sem.release();
        })(),
      );
      let first = '';
      try {
        yield* waitFor(sem.acquire(), 20);
      } catch (e) {
        first = `${(e as Error).name} ${sem}`;
      }
      const got = yield* waitFor(sem.acquire(), 20);
      return [first, got, now()];
    });
    expect(out).toEqual([`TimeoutError <Semaphore [locked]>`, true, 30]);
  });

  it('rejects a negative or non-integer value', () => {
    expect(() => new Semaphore(-1)).toThrowError(
      RangeError,
      /Semaphore\(value\) must be an integer >= 0/,
    );
    expect(() => new Semaphore(1.5)).toThrowError(RangeError);
    expect(() => new Semaphore(Number.NaN)).toThrowError(RangeError);
    expect(() => new Semaphore('2' as never)).toThrowError(TypeError);
  });
});

describe('BoundedSemaphore', () => {
  it('refuses to be released more times than acquired, with ValueError (test_locks BoundedSemaphore test_release_not_acquired)', () => {
    const err = runErr(function* () {
      const sem = new BoundedSemaphore(2);
      yield* sem.acquire();
      sem.release();
      sem.release();
    });
    expect(err).toBeInstanceOf(ValueError);
    expect(err).toBeInstanceOf(RangeError);
    expect((err as Error).message).toMatch(
      /<BoundedSemaphore \[unlocked, value:2\]>.*released too many times/,
    );
  });

  it('hands slots over like a Semaphore and still counts them as held', () => {
    const s = runOk(function* () {
      const sem = new BoundedSemaphore(1);
      yield* sem.acquire();
      const b = createTask(acquire(sem));
      yield* ticks(1);
      sem.release(); // handed to b: b holds it
      yield* b;
      sem.release(); // b's release
      return [
        String(sem),
        (() => {
          try {
            sem.release();
            return 'no error';
          } catch (e) {
            return (e as Error).name;
          }
        })(),
      ];
    });
    expect(s).toEqual(['<BoundedSemaphore [unlocked, value:1]>', 'ValueError']);
  });

  it('rejects a negative value', () => {
    expect(() => new BoundedSemaphore(-1)).toThrowError(RangeError, /BoundedSemaphore\(value\)/);
  });
});
