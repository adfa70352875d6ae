// The main behaviours of the primitives as marble timelines (one frame = 1 ms).
import { expectTimeline, record } from '../../marbles/index.js';
import { Barrier, createTask, Lock, Queue, Semaphore, sleep, withLock } from '../../src/index.js';

describe('sync and queues as marble timelines', () => {
  it('Lock: holders take turns, FIFO', () => {
    const { timeline } = record((tl) =>
      (function* () {
        const lock = new Lock();
        const user = (name: string) =>
          createTask(
            withLock(lock, function* () {
              tl.print(name);
              yield* sleep(3);
            }),
            { name },
          );
        const ts = [user('a'), user('b'), user('c')];
        for (const t of ts) yield* t;
      })(),
    );
    expectTimeline(timeline, { a: 'a--|', b: '---b--|', c: '------c--|' });
  });

  it('Semaphore(2): two at a time, the third when a slot frees', () => {
    const { timeline } = record((tl) =>
      (function* () {
        const sem = new Semaphore(2);
        const user = (name: string, ms: number) =>
          createTask(
            withLock(sem, function* () {
              tl.print(name);
              yield* sleep(ms);
            }),
            { name },
          );
        const ts = [user('a', 4), user('b', 2), user('c', 3)];
        for (const t of ts) yield* t;
      })(),
    );
    expectTimeline(timeline, { a: 'a---|', b: 'b-|', c: '--c--|' });
  });

  it('Barrier(3): everyone goes on when the last one arrives, the last arriver first', () => {
    const { timeline } = record((tl) =>
      (function* () {
        const barrier = new Barrier(3);
        const party = (name: string, ms: number) =>
          createTask(
            (function* () {
              yield* sleep(ms);
              tl.emit(yield* barrier.wait());
            })(),
            { name },
          );
        const ts = [party('a', 1), party('b', 5), party('c', 3)];
        for (const t of ts) yield* t;
      })(),
    );
    expectTimeline(
      timeline,
      { a: '-----(x|)', b: '-----(z|)', c: '-----(y|)' },
      { x: 0, y: 1, z: 2 },
    );
  });

  it('Queue(maxsize=1): a fast producer is paced by a slow consumer', () => {
    const { timeline } = record((tl) =>
      (function* () {
        const q = new Queue<string>(1);
        const producer = createTask(
          (function* () {
            for (const x of ['a', 'b', 'c']) {
              yield* q.put(x);
              tl.print(x);
            }
          })(),
          { name: 'producer' },
        );
        const consumer = createTask(
          (function* () {
            for (let i = 0; i < 3; i++) {
              tl.emit(yield* q.get());
              yield* sleep(4);
            }
          })(),
          { name: 'consumer' },
        );
        yield* producer;
        yield* consumer;
      })(),
    );
    // '(ab)' spans 4 frames in marble syntax: c is put at 4 ms, when b is taken.
    expectTimeline(timeline, { producer: '(ab)(c|)', consumer: 'a---b---c---|' });
  });
});
