import { assertEveryOrder, explore, type Timeline } from '../../marbles/index.js';
import { type Coroutine, createTask, Lock, sleep } from '../../src/index.js';
import { bothIncrements } from './race.js';

/** The race, with each read-modify-write held under a Lock. */
function* lockedCounter(tl: Timeline): Coroutine<number> {
  const lock = new Lock();
  let counter = 0;
  const a = createTask(
    (function* () {
      yield* lock.acquire();
      try {
        const seen = counter;
        yield* sleep(15);
        counter = seen + 1;
        tl.print(`A wrote ${counter}`);
      } finally {
        lock.release();
      }
    })(),
    { name: 'A' },
  );
  const b = createTask(
    (function* () {
      yield* sleep(5);
      yield* sleep(10);
      yield* lock.acquire();
      try {
        counter = counter + 1;
        tl.print(`B wrote ${counter}`);
      } finally {
        lock.release();
      }
    })(),
    { name: 'B' },
  );
  yield* a;
  yield* b;
  return counter;
}

describe('the race guarded by a Lock', () => {
  it('gives 2 under every order of same-instant timers', () => {
    const result = assertEveryOrder(lockedCounter, bothIncrements);
    expect(result.exhaustive).toBeTrue();
    expect(result.runs).toBeGreaterThanOrEqual(2);
    expect(result.outcomes.map((g) => g.key)).toEqual(['returned 2']);
  });

  it('gives 2 even when every same-instant callback is reordered', () => {
    const result = explore(lockedCounter, { check: bothIncrements, scope: 'all' });
    expect(result.failure).toBeNull();
    expect(result.outcomes.map((g) => g.key)).toEqual(['returned 2']);
  });
});
