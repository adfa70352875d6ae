/**
 * Found by the sync property suite: a Queue hands an item straight to a waiting getter; when two
 * getters were handed items and then cancelled before they resumed, the items went back in
 * reverse order (each one "back at the head"), and an item passed on to a third getter could
 * overtake an older one: FIFO order was lost. Woken-then-cancelled getters now give back their
 * items so that the getters still in line hold the oldest ones, in order.
 */

import { runVirtual } from '../../../marbles/runVirtual.js';
import { type Coroutine, createTask, Queue, sleep } from '../../../src/index.js';

function* getter(q: Queue<string>, got: string[]): Coroutine<void> {
  got.push(yield* q.get());
}

describe('regression: cancelled getters reordered queue items', () => {
  it('two handed getters cancelled in hand order: the items stay in put order', () => {
    const r = runVirtual(
      (function* () {
        const q = new Queue<string>();
        const got: string[] = [];
        const a = createTask(getter(q, got));
        const b = createTask(getter(q, got));
        yield* sleep(0); // both wait
        q.putNowait('first'); // handed to a
        q.putNowait('second'); // handed to b
        a.cancel();
        b.cancel();
        yield* sleep(0);
        return [got, q.getNowait(), q.getNowait()];
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: [[], 'first', 'second'] });
  });

  it('b cancelled before a: the parked getter gets the oldest item', () => {
    const r = runVirtual(
      (function* () {
        const q = new Queue<string>();
        const got: string[] = [];
        const a = createTask(getter(q, got));
        const b = createTask(getter(q, got));
        yield* sleep(0);
        const c = createTask(getter(q, got));
        yield* sleep(0); // c parks behind a and b
        q.putNowait('first'); // handed to a
        q.putNowait('second'); // handed to b
        b.cancel(); // 'second' would go to c...
        a.cancel(); // ...and 'first' back into the queue
        yield* c;
        return [got, q.getNowait()];
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: [['first'], 'second'] });
  });
});
