import { Barrier, BrokenBarrierError, createTask, sleep, waitFor } from '../../src/index.js';
import { now, runOk, ticks } from './support.js';

function* party(b: Barrier, name: string, log: string[], delay = 0) {
  if (delay > 0) yield* sleep(delay);
  try {
    const i = yield* b.wait();
    log.push(`${name}:${i}@${now()}`);
    return i;
  } catch (e) {
    log.push(`${name}:${(e as Error).name}@${now()}`);
    throw e;
  }
}

describe('Barrier', () => {
  it('releases all parties together; the last arriver goes on first, the rest in arrival order', () => {
    const log = runOk(function* () {
      const b = new Barrier(3);
      const log: string[] = [];
      const ts = [createTask(party(b, 'a', log, 5)), createTask(party(b, 'b', log, 10))];
      yield* sleep(7);
      log.push(`${b} nWaiting=${b.nWaiting} parties=${b.parties}`);
      ts.push(createTask(party(b, 'c', log, 13)));
      for (const t of ts) yield* t;
      return log;
    });
    expect(log).toEqual([
      '<Barrier [filling, waiters:1/3]> nWaiting=1 parties=3',
      'c:2@20',
      'a:0@20',
      'b:1@20',
    ]);
  });

  it('the last arriver does not yield', () => {
    const log = runOk(function* () {
      const b = new Barrier(1);
      const log: string[] = [];
      createTask(
        (function* () {
          log.push('other');
        })(),
      );
      log.push(`index ${yield* b.wait()}`);
      log.push(`again ${yield* b.wait()}`);
      yield* sleep(0);
      return log;
    });
    expect(log).toEqual(['index 0', 'again 0', 'other']);
  });

  it('is reusable; arrivals during the draining wait for the next round', () => {
    const log = runOk(function* () {
      const b = new Barrier(2);
      const log: string[] = [];
      const a1 = createTask(party(b, 'a1', log));
      yield* ticks(1);
      const b1 = createTask(party(b, 'b1', log)); // passes the round
      const early = createTask(party(b, 'early', log)); // arrives while a1 is still leaving
      yield* a1;
      yield* b1;
      const late = createTask(party(b, 'late', log, 10));
      yield* early;
      yield* late;
      return log;
    });
    expect(log).toEqual(['b1:1@0', 'a1:0@0', 'late:1@10', 'early:0@10']);
  });

  it('abort() breaks waiters and later waits until reset()', () => {
    const log = runOk(function* () {
      const b = new Barrier(3);
      const log: string[] = [];
      const t = createTask(party(b, 'a', log));
      yield* ticks(1);
      yield* b.abort();
      log.push(`broken=${b.broken} ${b}`);
      yield* ticks(2);
      try {
        yield* b.wait();
      } catch (e) {
        log.push(`later: ${e instanceof BrokenBarrierError}`);
      }
      b.reset();
      log.push(`after reset broken=${b.broken} ${b}`);
      return [...log, `a failed: ${t.exception() instanceof BrokenBarrierError}`];
    });
    expect(log).toEqual([
      'broken=true <Barrier [broken, waiters:0/3]>',
      'a:BrokenBarrierError@0',
      'later: true',
      'after reset broken=false <Barrier [filling, waiters:0/3]>',
      'a failed: true',
    ]);
  });

  it('reset() breaks the current waiters, then the barrier works again', () => {
    const log = runOk(function* () {
      const b = new Barrier(2);
      const log: string[] = [];
      const t = createTask(party(b, 'a', log));
      yield* ticks(1);
      yield* b.reset();
      const c = createTask(party(b, 'c', log, 1));
      const d = createTask(party(b, 'd', log, 2));
      yield* c;
      yield* d;
      return [...log, `a: ${(t.exception() as Error).name}`];
    });
    expect(log).toEqual(['a:BrokenBarrierError@0', 'd:1@2', 'c:0@2', 'a: BrokenBarrierError']);
  });

  it('a cancelled waiter leaves the count without breaking the barrier', () => {
    const log = runOk(function* () {
      const b = new Barrier(2);
      const log: string[] = [];
      const a = createTask(party(b, 'a', log));
      yield* ticks(1);
      a.cancel();
      yield* ticks(1);
      log.push(`broken=${b.broken} nWaiting=${b.nWaiting}`);
      const c = createTask(party(b, 'c', log));
      const d = createTask(party(b, 'd', log, 5));
      yield* c;
      yield* d;
      return log;
    });
    expect(log).toEqual(['a:CancelledError@0', 'broken=false nWaiting=0', 'd:1@5', 'c:0@5']);
  });

  it('never filled: a wait times out with waitFor and leaves the count', () => {
    const out = runOk(function* () {
      const b = new Barrier(2);
      try {
        yield* waitFor(b.wait(), 50);
      } catch (e) {
        return [(e as Error).name, b.nWaiting, b.broken, now()];
      }
      return [];
    });
    expect(out).toEqual(['TimeoutError', 0, false, 50]);
  });

  it('rejects parties that are not a positive integer', () => {
    expect(() => new Barrier(0)).toThrowError(
      RangeError,
      /Barrier\(parties\) must be an integer >= 1/,
    );
    expect(() => new Barrier(2.5)).toThrowError(RangeError);
    expect(() => new Barrier('3' as never)).toThrowError(TypeError);
  });
});
