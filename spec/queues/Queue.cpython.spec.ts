/**
 * CPython's Lib/test/test_asyncio/test_queues.py (3.13), the get/put/cancel/join tests ported test
 * by test to virtual time (each `it` names its CPython test). Python's private `_getters` and
 * `_putters` counts are read from the queue's string (`getters:N putters:N`). The shutdown tests
 * are in Queue.spec.ts; `test_float_maxsize` is a documented deviation (Queue.parity.spec.ts).
 */
import {
  CancelledError,
  createTask,
  Event,
  getRunningLoop,
  LifoQueue,
  PriorityQueue,
  Queue,
  sleep,
  TimeoutError,
  taskGroup,
  waitFor,
} from '../../src/index.js';
import { raised, value } from '../support/outcome.js';

describe('Queue gets (CPython test_queues QueueGetTests)', () => {
  it('test_blocking_get_wait: a get waits for the put that comes later', () => {
    const [before, after, res] = value(
      (function* () {
        const q = new Queue<number>();
        const started = new Event();
        let finished = false;
        const getter = createTask(
          (function* () {
            started.set();
            const res = yield* q.get();
            finished = true;
            return res;
          })(),
        );
        yield* started.wait();
        const before = finished;
        getRunningLoop().callLater(10, () => q.putNowait(1));
        const res = yield* getter;
        return [before, finished, res] as const;
      })(),
    );
    expect(before).toBeFalse();
    expect(after).toBeTrue();
    expect(res).toBe(1);
  });

  it('test_get_cancelled_race: a cancelled getter leaves the item to the next one', () => {
    const [t1Done, got] = value(
      (function* () {
        const q = new Queue<string>();
        const t1 = createTask(q.get());
        const t2 = createTask(q.get());
        yield* sleep(0);
        t1.cancel();
        yield* sleep(0);
        const t1Done = t1.done();
        yield* q.put('a');
        yield* sleep(0);
        return [t1Done, yield* t2] as const;
      })(),
    );
    expect(t1Done).toBeTrue();
    expect(got).toBe('a');
  });

  it('test_get_with_waiting_putters: blocked putters are served in order', () => {
    const got = value(
      (function* () {
        const q = new Queue<string>(1);
        createTask(q.put('a'));
        createTask(q.put('b'));
        return [yield* q.get(), yield* q.get()];
      })(),
    );
    expect(got).toEqual(['a', 'b']);
  });

  it('test_why_are_getters_waiting and test_why_are_putters_waiting: no task is left waiting', () => {
    const ends = value(
      (function* () {
        const q = new Queue<number>(1);
        yield* taskGroup(function* (tg) {
          tg.createTask(
            (function* () {
              for (let i = 0; i < 5; i++) yield* q.put(i);
            })(),
          );
          tg.createTask(
            (function* () {
              for (let i = 0; i < 5; i++) yield* q.get();
            })(),
          );
        });
        const q2 = new Queue<number>(2);
        yield* taskGroup(function* (tg) {
          tg.createTask(
            (function* () {
              yield* sleep(0);
              const n = q2.qsize();
              for (let i = 0; i < n; i++) q2.getNowait();
            })(),
          );
          for (const i of [0, 1, 2, 3]) tg.createTask(q2.put(i));
        });
        return [String(q), String(q2)];
      })(),
    );
    expect(ends).toEqual([
      '<Queue maxsize=1 size=0 getters:0 putters:0>',
      '<Queue maxsize=2 size=2 getters:0 putters:0>',
    ]);
  });

  it('test_cancelled_getters_not_being_held_in_self_getters', () => {
    const [e, text] = value(
      (function* () {
        const q = new Queue(5);
        return [yield* raised(waitFor(q.get(), 100)), String(q)] as const;
      })(),
    );
    expect(e).toBeInstanceOf(TimeoutError);
    expect(text).toContain('getters:0');
  });
});

describe('Queue puts (CPython test_queues QueuePutTests)', () => {
  it('test_blocking_put_wait: the second put waits for a get', () => {
    const [before, after] = value(
      (function* () {
        const q = new Queue<number>(1);
        const started = new Event();
        let finished = false;
        getRunningLoop().callLater(10, () => q.getNowait());
        const putter = createTask(
          (function* () {
            started.set();
            yield* q.put(1);
            yield* q.put(2);
            finished = true;
          })(),
        );
        yield* started.wait();
        const before = finished;
        yield* putter;
        return [before, finished];
      })(),
    );
    expect([before, after]).toEqual([false, true]);
  });

  it('test_get_cancel_drop_one_pending_reader: an item handed to a cancelled reader is not lost', () => {
    const got = value(
      (function* () {
        const q = new Queue<number>();
        let reader = createTask(q.get());
        yield* sleep(0);
        q.putNowait(1);
        q.putNowait(2);
        reader.cancel();
        if ((yield* raised(reader)) instanceof CancelledError) {
          reader = createTask(q.get()); // try again
          yield* reader;
        }
        return reader.result();
      })(),
    );
    expect(got).toBe(1); // 2 would mean 1 was dropped
  });

  it('test_get_cancel_drop_many_pending_readers: the other readers get both items', () => {
    const got = value(
      (function* () {
        const q = new Queue<number>();
        const readers: ReturnType<typeof createTask<number>>[] = [];
        yield* taskGroup(function* (tg) {
          for (let i = 0; i < 3; i++) readers.push(tg.createTask(q.get()));
          yield* sleep(0);
          q.putNowait(1);
          q.putNowait(2);
          readers[0]?.cancel();
          expect(yield* raised(readers[0] as (typeof readers)[0])).toBeInstanceOf(CancelledError);
          yield* readers[2] as (typeof readers)[0];
        });
        return readers.slice(1).map((r) => r.result());
      })(),
    );
    expect(got.sort()).toEqual([1, 2]); // in any order, as CPython says
  });

  it('test_put_cancel_drop: a cancelled put leaves no item; a new put succeeds', () => {
    const got = value(
      (function* () {
        const q = new Queue<number>(1);
        q.putNowait(1);
        let writer = createTask(q.put(2));
        yield* sleep(0);
        const value1 = q.getNowait();
        writer.cancel();
        if ((yield* raised(writer)) instanceof CancelledError) {
          writer = createTask(q.put(2)); // try again
          yield* writer;
        }
        return [value1, q.getNowait(), q.qsize()];
      })(),
    );
    expect(got).toEqual([1, 2, 0]);
  });

  it('test_put_cancelled_race: a cancelled putter does not take a freed slot', () => {
    const got = value(
      (function* () {
        const q = new Queue<string>(1);
        const putA = createTask(q.put('a'));
        const putB = createTask(q.put('b'));
        const putC = createTask(q.put('X'));
        yield* sleep(0);
        const states = [putA.done(), putB.done()];
        putC.cancel();
        yield* sleep(0);
        const cDone = putC.done();
        const first = q.getNowait();
        yield* sleep(0);
        const second = q.getNowait();
        yield* putB;
        return [states, cDone, first, second];
      })(),
    );
    expect(got).toEqual([[true, false], true, 'a', 'b']);
  });

  it('test_cancelled_puts_not_being_held_in_self_putters and _silence_value_error_exception', () => {
    const got = value(
      (function* () {
        const q = new Queue<number>(1);
        q.putNowait(1);
        const put1 = createTask(q.put(1));
        yield* sleep(0);
        const waiting = String(q);
        put1.cancel();
        const e1 = yield* raised(put1);
        const after = String(q);
        // The putter's slot was handed over by getNowait() before the cancel.
        const put2 = createTask(q.put(1));
        yield* sleep(0);
        q.getNowait();
        put2.cancel();
        const e2 = yield* raised(put2);
        return [waiting, e1 instanceof CancelledError, after, e2 instanceof CancelledError];
      })(),
    );
    expect(got).toEqual([
      '<Queue maxsize=1 size=1 getters:0 putters:1>',
      true,
      '<Queue maxsize=1 size=1 getters:0 putters:0>',
      true,
    ]);
  });
});

describe('LifoQueue, PriorityQueue and join (CPython test_queues)', () => {
  it('test_order (LifoQueueTests, PriorityQueueTests)', () => {
    const got = value(
      (function* () {
        const lifo = new LifoQueue<number>();
        const prio = new PriorityQueue<number>();
        for (const i of [1, 3, 2]) {
          yield* lifo.put(i);
          yield* prio.put(i);
        }
        const out: number[][] = [[], []];
        for (let i = 0; i < 3; i++) {
          out[0]?.push(yield* lifo.get());
          out[1]?.push(yield* prio.get());
        }
        return out;
      })(),
    );
    expect(got).toEqual([
      [2, 3, 1],
      [1, 2, 3],
    ]);
  });

  for (const make of [
    () => new Queue<number>(),
    () => new LifoQueue<number>(),
    () => new PriorityQueue<number>(),
  ]) {
    it(`test_task_done and test_join_empty_queue (${make().constructor.name})`, () => {
      const accumulated = value(
        (function* () {
          const q = make();
          yield* q.join(); // an empty queue joins at once, twice
          yield* q.join();
          for (let i = 0; i < 100; i++) q.putNowait(i);
          let accumulator = 0;
          let running = true;
          let atJoin = -1;
          yield* taskGroup(function* (tg) {
            const workers = [0, 1].map(() =>
              tg.createTask(
                (function* () {
                  while (running) {
                    accumulator += yield* q.get();
                    q.taskDone();
                  }
                })(),
              ),
            );
            yield* q.join();
            atJoin = accumulator;
            running = false; // close the workers
            for (const _ of workers) q.putNowait(0);
          });
          return atJoin;
        })(),
      );
      expect(accumulated).toBe(4950);
    });
  }
});
