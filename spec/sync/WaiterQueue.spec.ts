// WaiterQueue: the fair line behind every lock, semaphore, condition, barrier and queue. Specs
// drive it directly (not through a primitive), in virtual time: one marble frame is 1 ms.
import { expectTimeline, record, runVirtual } from '../../marbles/index.js';
import { CancelledError, createTask, getRunningLoop, sleep } from '../../src/index.js';
import { WaiterQueue } from '../../src/sync/WaiterQueue.js';

/** A task that waits in `q` after `delay` ms and emits the token it gets. */
function* waiter(q: WaiterQueue<string>, emit: (v: unknown) => void, delay: number) {
  yield* sleep(delay);
  emit(yield* q.wait(getRunningLoop(), 'test wait'));
}

describe('WaiterQueue', () => {
  it('serves waiters FIFO: each wakeOne hands the next token to the oldest parked waiter', () => {
    const { timeline } = record((tl) =>
      (function* () {
        const q = new WaiterQueue<string>();
        const ts = [
          createTask(waiter(q, tl.emit, 2), { name: 'b' }),
          createTask(waiter(q, tl.emit, 1), { name: 'a' }),
          createTask(waiter(q, tl.emit, 3), { name: 'c' }),
        ];
        yield* sleep(5);
        for (const token of ['x', 'y', 'z']) {
          q.wakeOne(token);
          yield* sleep(1);
        }
        for (const t of ts) yield* t;
      })(),
    );
    expectTimeline(timeline, { a: '-----(x|)', b: '------(y|)', c: '-------(z|)' });
  });

  it('counts parked and in-flight waiters exactly', () => {
    runVirtual(
      (function* () {
        const loop = getRunningLoop();
        const q = new WaiterQueue<number>();
        const waitOnce = function* () {
          return yield* q.wait(loop, 'test wait');
        };
        const first = createTask(waitOnce());
        const second = createTask(waitOnce());
        yield* sleep(0);
        expect([q.parked, q.inFlight, q.pending]).toEqual([2, 0, 2]);
        expect(q.wakeOne(7)).toBeTrue();
        expect([q.parked, q.inFlight, q.pending]).toEqual([1, 1, 2]); // woken, not resumed yet
        yield* sleep(0);
        expect([q.parked, q.inFlight, q.pending]).toEqual([1, 0, 1]);
        expect(q.wakeAll(9)).toBe(1);
        expect(yield* first).toBe(7);
        expect(yield* second).toBe(9);
        expect(q.wakeOne(1)).toBeFalse(); // nobody parked
      })(),
    );
  });

  it('passes on the wake-up of a waiter cancelled after it was woken, and reclaims it when nobody is left', () => {
    const reclaimed: string[] = [];
    const { timeline } = record((tl) =>
      (function* () {
        const q = new WaiterQueue<string>((token) => reclaimed.push(token));
        const a = createTask(waiter(q, tl.emit, 1), { name: 'a' });
        const b = createTask(waiter(q, tl.emit, 2), { name: 'b' });
        yield* sleep(3);
        q.wakeOne('x'); // a is woken...
        a.cancel(); // ...and cancelled before it resumes: b gets x
        yield* sleep(1);
        const c = createTask(waiter(q, tl.emit, 0), { name: 'c' });
        yield* sleep(1);
        q.wakeOne('y'); // c is woken, then cancelled: nobody is left, so y is reclaimed
        c.cancel();
        for (const t of [a, b, c]) {
          try {
            yield* t;
          } catch (e) {
            if (!(e instanceof CancelledError)) throw e;
          }
        }
      })(),
    );
    expectTimeline(timeline, { a: '---#', b: '---(x|)', c: '-----#' });
    expect(reclaimed).toEqual(['y']);
  });

  it('failAll makes every parked waiter raise its own error', () => {
    runVirtual(
      (function* () {
        const loop = getRunningLoop();
        const q = new WaiterQueue<number>();
        const ts = [1, 2].map(() => createTask(q.wait(loop, 'test wait')));
        yield* sleep(0);
        let n = 0;
        q.failAll(() => new Error(`closed ${++n}`));
        const messages: string[] = [];
        for (const t of ts) {
          try {
            yield* t;
          } catch (e) {
            messages.push((e as Error).message);
          }
        }
        expect(messages).toEqual(['closed 1', 'closed 2']);
        expect(q.pending).toBe(0);
      })(),
    );
  });

  it('a waiter cancelled while parked leaves the line at once', () => {
    runVirtual(
      (function* () {
        const q = new WaiterQueue<number>();
        const t = createTask(
          (function* () {
            return yield* q.wait(getRunningLoop(), 'test wait');
          })(),
        );
        yield* sleep(0);
        expect(q.parked).toBe(1);
        t.cancel();
        yield* sleep(0);
        expect(q.parked).toBe(0);
        expect(t.cancelled()).toBeTrue();
      })(),
    );
  });
});
