import { createTask, Event, sleep, TimeoutError, waitFor } from '../../src/index.js';
import { now, runErr, runOk, ticks } from './support.js';

function* waiter(ev: Event, name: string, log: string[]) {
  const v = yield* ev.wait();
  log.push(`${name}:${v}@${now()}`);
}

describe('Event', () => {
  it('wait() on a set event returns true without yielding', () => {
    const log = runOk(function* () {
      const ev = new Event();
      ev.set();
      const log: string[] = [];
      createTask(
        (function* () {
          log.push('other');
        })(),
      );
      log.push(`got ${yield* ev.wait()}`);
      yield* sleep(0);
      return log;
    });
    expect(log).toEqual(['got true', 'other']);
  });

  it('set() wakes every waiter, in the order they began waiting', () => {
    const log = runOk(function* () {
      const ev = new Event();
      const log: string[] = [];
      const ts = ['a', 'b', 'c'].map((n) => createTask(waiter(ev, n, log)));
      yield* sleep(10);
      expect(String(ev)).toBe('<Event [unset, waiters:3]>');
      ev.set();
      ev.set(); // idempotent
      for (const t of ts) yield* t;
      return [...log, String(ev)];
    });
    expect(log).toEqual(['a:true@10', 'b:true@10', 'c:true@10', '<Event [set]>']);
  });

  it('set() then clear() at once still wakes the waiters; later waiters wait', () => {
    const log = runOk(function* () {
      const ev = new Event();
      const log: string[] = [];
      const a = createTask(waiter(ev, 'a', log));
      yield* ticks(1);
      ev.set();
      ev.clear();
      const late = createTask(waiter(ev, 'late', log));
      yield* a;
      yield* ticks(3);
      log.push(`late done: ${late.done()}, set: ${ev.isSet()}`);
      late.cancel();
      return log;
    });
    expect(log).toEqual(['a:true@0', 'late done: false, set: false']);
  });

  it('a cancelled waiter leaves; the others still wake; a woken-then-cancelled one is not passed on', () => {
    const log = runOk(function* () {
      const ev = new Event();
      const log: string[] = [];
      const a = createTask(waiter(ev, 'a', log));
      const b = createTask(waiter(ev, 'b', log));
      yield* ticks(1);
      a.cancel();
      yield* ticks(1);
      expect(String(ev)).toBe('<Event [unset, waiters:1]>');
      ev.set();
      b.cancel(); // woken then cancelled: a broadcast is not passed on
      yield* ticks(2);
      ev.clear();
      const c = createTask(waiter(ev, 'c', log));
      yield* ticks(2);
      log.push(`a:${a.cancelled()} b:${b.cancelled()} c done:${c.done()}`);
      c.cancel();
      return log;
    });
    expect(log).toEqual(['a:true b:true c done:false']);
  });

  it('never set: a waiter times out with waitFor and leaves no waiter behind', () => {
    const err = runErr(function* () {
      const ev = new Event();
      try {
        yield* waitFor(ev.wait(), 100);
      } finally {
        expect(String(ev)).toBe('<Event [unset]>');
        expect(now()).toBe(100);
      }
    });
    expect(err).toBeInstanceOf(TimeoutError);
  });

  it('timeout vs completion: set before the deadline wins', () => {
    const v = runOk(function* () {
      const ev = new Event();
      createTask(
        (function* () {
          yield* sleep(40);
          ev.set();
        })(),
      );
      return [yield* waitFor(ev.wait(), 50), now()];
    });
    expect(v).toEqual([true, 40]);
  });
});
