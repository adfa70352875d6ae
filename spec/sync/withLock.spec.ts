import {
  Condition,
  createTask,
  Lock,
  Semaphore,
  sleep,
  timeout,
  withLock,
} from '../../src/index.js';
import { now, runOk, ticks } from './support.js';

describe('withLock', () => {
  it('runs the body holding the lock and returns its value; releases after', () => {
    const out = runOk(function* () {
      const lock = new Lock();
      const v = yield* withLock(lock, function* () {
        yield* sleep(5);
        return `held=${lock.locked()}`;
      });
      return [v, lock.locked()];
    });
    expect(out).toEqual(['held=true', false]);
  });

  it('releases when the body throws, and the error propagates', () => {
    const out = runOk(function* () {
      const lock = new Lock();
      try {
        yield* withLock(lock, function* () {
          yield* sleep(1);
          throw new SyntaxError('boom');
        });
      } catch (e) {
        return [(e as Error).message, lock.locked()];
      }
      return [];
    });
    expect(out).toEqual(['boom', false]);
  });

  it('releases when the task is cancelled inside the body (a body that never ends)', () => {
    const out = runOk(function* () {
      const lock = new Lock();
      const t = createTask(
        withLock(lock, function* () {
          yield* sleep(Number.POSITIVE_INFINITY);
        }),
      );
      yield* ticks(1);
      const held = lock.locked();
      t.cancel();
      yield* ticks(2);
      return [held, t.cancelled(), lock.locked()];
    });
    expect(out).toEqual([true, true, false]);
  });

  it('cancelled while acquiring: the body never runs and nothing is released', () => {
    const out = runOk(function* () {
      const lock = new Lock();
      yield* lock.acquire();
      let ran = false;
      const t = createTask(
        withLock(lock, function* () {
          ran = true;
        }),
      );
      yield* ticks(1);
      t.cancel();
      yield* ticks(2);
      return [ran, t.cancelled(), lock.locked(), String(lock)];
    });
    expect(out).toEqual([false, true, true, '<Lock [locked]>']);
  });

  it('cancelled before its first step: nothing happens', () => {
    const out = runOk(function* () {
      const lock = new Lock();
      let ran = false;
      const t = createTask(
        withLock(lock, function* () {
          ran = true;
        }),
      );
      t.cancel();
      yield* ticks(2);
      return [ran, t.cancelled(), lock.locked()];
    });
    expect(out).toEqual([false, true, false]);
  });

  it('timeout vs completion: a deadline inside the body releases the lock', () => {
    const out = runOk(function* () {
      const lock = new Lock();
      const ok = yield* timeout(20, () => withLock(lock, () => sleep(10, 'fast')));
      let late = '';
      try {
        yield* timeout(20, () => withLock(lock, () => sleep(30, 'slow')));
      } catch (e) {
        late = `${(e as Error).name}@${now()}`;
      }
      return [ok, late, lock.locked()];
    });
    expect(out).toEqual(['fast', 'TimeoutError@30', false]);
  });

  it('works with a Semaphore and a Condition', () => {
    const out = runOk(function* () {
      const sem = new Semaphore(2);
      const cond = new Condition();
      const a = yield* withLock(sem, function* () {
        return String(sem);
      });
      const b = yield* withLock(cond, function* () {
        return cond.locked();
      });
      return [a, String(sem), b, cond.locked()];
    });
    expect(out).toEqual([
      '<Semaphore [unlocked, value:1]>',
      '<Semaphore [unlocked, value:2]>',
      true,
      false,
    ]);
  });

  it('rejects a non-lock or a non-function body at the call, a non-awaitable body result when run', () => {
    expect(() => withLock({} as never, function* () {})).toThrowError(
      TypeError,
      /acquire\(\) and release\(\)/,
    );
    expect(() => withLock(new Lock(), 'x' as never)).toThrowError(TypeError, /generator function/);
    const out = runOk(function* () {
      const lock = new Lock();
      try {
        yield* withLock(lock, (() => 42) as never);
      } catch (e) {
        return [(e as Error).name, lock.locked()];
      }
      return [];
    });
    expect(out).toEqual(['TypeError', false]);
  });
});
