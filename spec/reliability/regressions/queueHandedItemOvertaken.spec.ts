/**
 * Found by the sync property suite (with shuffled timers): a Queue reserved the item it handed
 * to a waiting getter, so a getter that did not have to wait took a younger item; when the woken
 * getter was then cancelled, the older item went back into the queue behind a younger one that
 * was already consumed: items left out of put order. Now a woken getter is owed *an* item, and
 * items leave in put order whoever takes first.
 */

import { runVirtual } from '../../../marbles/runVirtual.js';
import { type Coroutine, createTask, LifoQueue, Queue, sleep } from '../../../src/index.js';

function* getter(q: Queue<string>, got: string[]): Coroutine<void> {
  got.push(yield* q.get());
}

describe('regression: an item handed to a woken getter was overtaken', () => {
  it('a getter that does not wait takes the oldest item; the woken getter gets the next', () => {
    const r = runVirtual(
      (function* () {
        const q = new Queue<string>();
        const got: string[] = [];
        const a = createTask(getter(q, got));
        yield* sleep(0); // a waits
        q.putNowait('first'); // handed to a
        q.putNowait('second');
        const now = q.getNowait();
        yield* a;
        return [now, got];
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: ['first', ['second']] });
  });

  it('the woken getter cancelled: what is left is the younger item', () => {
    const r = runVirtual(
      (function* () {
        const q = new Queue<string>();
        const got: string[] = [];
        const a = createTask(getter(q, got));
        yield* sleep(0);
        q.putNowait('first');
        q.putNowait('second');
        const now = q.getNowait();
        a.cancel();
        yield* sleep(0);
        return [now, got, q.qsize(), q.getNowait()];
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: ['first', [], 1, 'second'] });
  });

  it('a LifoQueue still hands out its newest item first', () => {
    const r = runVirtual(
      (function* () {
        const q = new LifoQueue<string>();
        q.putNowait('old');
        q.putNowait('new');
        return [q.getNowait(), q.getNowait()];
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: ['new', 'old'] });
  });
});
