import { expectTimeline, runVirtual, type Timeline } from '../../marbles/index.js';
import {
  createTask,
  Queue,
  QueueEmpty,
  QueueFull,
  QueueShutDown,
  RuntimeError,
  sleep,
  ValueError,
  waitFor,
} from '../../src/index.js';
import { now, recordOk, runErr, runOk, ticks } from '../sync/support.js';

function* getter(q: Queue<string>, name: string, log: string[]) {
  try {
    const item = yield* q.get();
    log.push(`${name} got ${item}@${now()}`);
    return item;
  } catch (e) {
    log.push(`${name} ${(e as Error).name}@${now()}`);
    throw e;
  }
}

/** Gets one item and emits it on the task's lane of `tl`. */
function* taker(q: Queue<string>, tl: Timeline) {
  tl.emit(yield* q.get());
}

function* putter(q: Queue<string>, item: string, log: string[]) {
  try {
    yield* q.put(item);
    log.push(`put ${item}@${now()}`);
  } catch (e) {
    log.push(`put ${item} ${(e as Error).name}@${now()}`);
    throw e;
  }
}

function* drainNowait(q: Queue<string>): Generator<never, string[]> {
  const out: string[] = [];
  while (!q.empty()) out.push(q.getNowait());
  return out;
}

describe('Queue', () => {
  it('is FIFO; get and put on a ready queue do not yield', () => {
    const log = runOk(function* () {
      const q = new Queue<string>(2);
      const log: string[] = [];
      createTask(
        (function* () {
          log.push('other');
        })(),
      );
      yield* q.put('a');
      yield* q.put('b');
      log.push(`${q} full=${q.full()}`);
      log.push(yield* q.get(), yield* q.get());
      yield* sleep(0);
      return log;
    });
    expect(log).toEqual([
      '<Queue maxsize=2 size=2 getters:0 putters:0> full=true',
      'a',
      'b',
      'other',
    ]);
  });

  it('Nowait forms raise QueueEmpty / QueueFull', () => {
    const q = new Queue<number>({ maxsize: 1 });
    expect(() => q.getNowait()).toThrowError(QueueEmpty, /empty/);
    q.putNowait(1);
    expect(() => q.putNowait(2)).toThrowError(QueueFull, /full/);
    expect(q.qsize()).toBe(1);
    expect(q.getNowait()).toBe(1);
    expect(q.empty()).toBe(true);
  });

  it('serves waiting getters FIFO; an item put while a getter waits goes straight to it', () => {
    const { timeline } = recordOk((tl) =>
      (function* () {
        const q = new Queue<string>();
        const gs = ['g1', 'g2', 'g3'].map((name) => createTask(taker(q, tl), { name }));
        yield* sleep(5);
        q.putNowait('x');
        expect(String(q)).toBe('<Queue maxsize=0 size=0 getters:3 putters:0>');
        expect(() => q.getNowait()).toThrowError(QueueEmpty); // x belongs to g1: no barging
        q.putNowait('y');
        q.putNowait('z');
        for (const g of gs) yield* g;
      })(),
    );
    // biome-ignore format: an aligned marble diagram
    const expected = {
      g1:   '-----(x|)',
      g2:   '-----(y|)',
      g3:   '-----(z|)',
      main: '-----|',
    };
    expectTimeline(timeline, expected);
  });

  it('serves blocked putters FIFO; a freed slot is reserved for the first putter', () => {
    const log = runOk(function* () {
      const q = new Queue<string>(1);
      const log: string[] = [];
      q.putNowait('a');
      const ps = ['b', 'c'].map((x) => createTask(putter(q, x, log)));
      yield* sleep(5);
      log.push(`took ${q.getNowait()}`);
      log.push(`full=${q.full()} size=${q.qsize()}`);
      expect(() => q.putNowait('barger')).toThrowError(QueueFull);
      yield* ticks(2);
      log.push(`took ${q.getNowait()}`);
      yield* ticks(2);
      log.push(...(yield* drainNowait(q)));
      for (const p of ps) yield* p;
      return log;
    });
    expect(log).toEqual(['took a', 'full=true size=0', 'put b@5', 'took b', 'put c@5', 'c']);
  });

  it('a parked getter that is cancelled leaves the line', () => {
    const log = runOk(function* () {
      const q = new Queue<string>();
      const log: string[] = [];
      const g1 = createTask(getter(q, 'g1', log));
      const g2 = createTask(getter(q, 'g2', log));
      yield* ticks(1);
      g1.cancel();
      yield* ticks(1);
      log.push(String(q));
      q.putNowait('x');
      yield* g2;
      return log;
    });
    expect(log).toEqual([
      'g1 CancelledError@0',
      '<Queue maxsize=0 size=0 getters:1 putters:0>',
      'g2 got x@0',
    ]);
  });

  it('a getter cancelled while an item is put passes the item to the next getter', () => {
    const log = runOk(function* () {
      const q = new Queue<string>();
      const log: string[] = [];
      const g1 = createTask(getter(q, 'g1', log));
      const g2 = createTask(getter(q, 'g2', log));
      yield* ticks(1);
      q.putNowait('x'); // handed to g1...
      g1.cancel(); // ...cancelled before it resumes
      yield* g2;
      return [...log, `g1 cancelled: ${g1.cancelled()}`];
    });
    expect(log).toEqual(['g1 CancelledError@0', 'g2 got x@0', 'g1 cancelled: true']);
  });

  it('... or the item stays queued, ahead of later items', () => {
    const out = runOk(function* () {
      const q = new Queue<string>();
      const log: string[] = [];
      const g1 = createTask(getter(q, 'g1', log));
      yield* ticks(1);
      q.putNowait('x');
      g1.cancel();
      q.putNowait('y');
      yield* ticks(2);
      return [...log, String(q), ...(yield* drainNowait(q))];
    });
    expect(out).toEqual([
      'g1 CancelledError@0',
      '<Queue maxsize=0 size=2 getters:0 putters:0>',
      'x',
      'y',
    ]);
  });

  it('a putter handed a slot and cancelled does not put; the slot goes to the next putter', () => {
    const log = runOk(function* () {
      const q = new Queue<string>(1);
      const log: string[] = [];
      q.putNowait('a');
      const pb = createTask(putter(q, 'b', log));
      createTask(putter(q, 'c', log));
      yield* ticks(1);
      q.getNowait(); // slot reserved for b...
      pb.cancel(); // ...cancelled before it resumes
      yield* ticks(3);
      return [...log, ...(yield* drainNowait(q))];
    });
    expect(log).toEqual(['put b CancelledError@0', 'put c@0', 'c']);
  });

  it('a putter handed a slot and cancelled with nobody behind frees the slot for anyone', () => {
    const out = runOk(function* () {
      const q = new Queue<string>(1);
      q.putNowait('a');
      const p = createTask(putter(q, 'b', []));
      yield* ticks(1);
      q.getNowait(); // slot reserved for p
      const reserved = q.full();
      p.cancel();
      yield* ticks(2);
      q.putNowait('c'); // the reservation is gone: room again
      return [reserved, p.cancelled(), q.getNowait()];
    });
    expect(out).toEqual([true, true, 'c']);
  });

  it('shutdown() after a putter was handed a slot: the putter raises QueueShutDown', () => {
    const log = runOk(function* () {
      const q = new Queue<string>(1);
      const log: string[] = [];
      q.putNowait('a');
      const p = createTask(putter(q, 'b', log));
      yield* ticks(1);
      q.getNowait();
      q.shutdown();
      yield* ticks(2);
      return [...log, `size=${q.qsize()} ${p.exception() instanceof QueueShutDown}`];
    });
    expect(log).toEqual(['put b QueueShutDown@0', 'size=0 true']);
  });

  it('shutdown({ immediate }) after an item was handed to a getter: the getter still gets it', () => {
    const log = runOk(function* () {
      const q = new Queue<string>();
      const log: string[] = [];
      const g = createTask(getter(q, 'g', log));
      yield* ticks(1);
      q.putNowait('x');
      q.shutdown({ immediate: true });
      yield* g;
      q.taskDone();
      yield* q.join();
      return log;
    });
    expect(log).toEqual(['g got x@0']);
  });

  it('get() and put() do nothing until awaited, like Python coroutines', () => {
    const out = runOk(function* () {
      const q = new Queue<string>();
      q.putNowait('a');
      const g = q.get();
      const p = q.put('b');
      const before = q.qsize();
      yield* p;
      const first = yield* g;
      return [before, first, q.qsize()];
    });
    expect(out).toEqual([1, 'a', 1]);
  });

  it('a waiting getter shows in its task: waiting on <Queue.get() pending>', () => {
    const s = runOk(function* () {
      const q = new Queue<string>();
      const g = createTask(getter(q, 'g', []), { name: 'consumer' });
      yield* ticks(1);
      const dump = String(g);
      g.cancel();
      return dump;
    });
    expect(s).toBe('<Task pending name="consumer" waiting on <Queue.get() pending>>');
  });

  it('a timed-out get leaves no waiter behind', () => {
    const out = runOk(function* () {
      const q = new Queue<string>();
      let err: unknown;
      try {
        yield* waitFor(q.get(), 10);
      } catch (e) {
        err = e;
      }
      q.putNowait('x');
      return [(err as Error).name, now(), String(q), q.qsize()];
    });
    expect(out).toEqual(['TimeoutError', 10, '<Queue maxsize=0 size=1 getters:0 putters:0>', 1]);
  });

  it('timeout vs completion: an item put before the deadline is returned', () => {
    const out = runOk(function* () {
      const q = new Queue<string>();
      createTask(
        (function* () {
          yield* sleep(10);
          q.putNowait('x');
        })(),
      );
      return [yield* waitFor(q.get(), 20), now()];
    });
    expect(out).toEqual(['x', 10]);
  });

  it('a put cancelled while the queue is full never puts its item', () => {
    const out = runOk(function* () {
      const q = new Queue<string>(1);
      q.putNowait('a');
      const p = createTask(putter(q, 'b', []));
      yield* ticks(1);
      p.cancel();
      yield* ticks(1);
      return [String(q), q.getNowait(), q.qsize()];
    });
    expect(out).toEqual(['<Queue maxsize=1 size=1 getters:0 putters:0>', 'a', 0]);
  });

  it('taskDone() and join(): join returns when every item is done; extra taskDone is an error', () => {
    const { timeline } = recordOk((tl) =>
      (function* () {
        const q = new Queue<string>();
        yield* q.join(); // nothing pending: does not wait
        q.putNowait('a');
        q.putNowait('b');
        createTask(
          (function* () {
            for (;;) {
              const item = yield* q.get();
              yield* sleep(10);
              tl.print(item);
              q.taskDone();
            }
          })(),
          { name: 'worker' },
        );
        yield* q.join();
        tl.print('j');
        expect(() => q.taskDone()).toThrowError(ValueError, /called too many times/); // test_task_done_underflow
      })(),
    );
    // a, b: the worker is done with an item; j: join() returned; # the worker, still waiting for
    // an item when main returns, is cancelled by the run's shutdown.
    // biome-ignore format: an aligned marble diagram
    const expected = {
      worker: '----------a---------(b#)',
      main:   '--------------------(j|)',
    };
    expectTimeline(timeline, expected);
  });

  it('shutdown() wakes blocked getters and putters with QueueShutDown; get drains what is left', () => {
    const { timeline, value: log } = recordOk((tl) =>
      (function* () {
        const empty = new Queue<string>();
        const full = new Queue<string>(1);
        const log: string[] = [];
        full.putNowait('left');
        const g = createTask(taker(empty, tl), { name: 'g' });
        const p = createTask(
          (function* () {
            yield* full.put('p');
          })(),
          { name: 'p' },
        );
        yield* sleep(5);
        empty.shutdown();
        full.shutdown();
        yield* ticks(2);
        log.push(`${full}`);
        log.push(`drained ${yield* full.get()}`);
        for (const [what, f] of [
          ['get', () => full.getNowait()],
          ['put', () => full.putNowait('x')],
        ] as const) {
          try {
            f();
          } catch (e) {
            log.push(`${what}Nowait: ${e instanceof QueueShutDown}`);
          }
        }
        try {
          yield* full.put('late');
        } catch (e) {
          log.push(`put: ${e instanceof QueueShutDown}`);
        }
        return [
          ...log,
          `${g.exception() instanceof QueueShutDown} ${p.exception() instanceof QueueShutDown}`,
        ];
      })(),
    );
    // biome-ignore format: an aligned marble diagram
    const expected = {
      g: '-----#',
      p: '-----#',
    };
    expectTimeline(timeline, expected);
    expect(log).toEqual([
      '<Queue maxsize=1 size=1 getters:0 putters:0 shutdown>',
      'drained left',
      'getNowait: true',
      'putNowait: true',
      'put: true',
      'true true',
    ]);
  });

  it('shutdown({ immediate: true }) empties the queue and releases join()', () => {
    const log = runOk(function* () {
      const q = new Queue<string>();
      const log: string[] = [];
      q.putNowait('a');
      q.putNowait('b');
      const j = createTask(
        (function* () {
          yield* q.join();
          log.push(`joined@${now()}`);
        })(),
      );
      yield* sleep(5);
      q.shutdown({ immediate: true });
      yield* j;
      try {
        yield* q.get();
      } catch (e) {
        log.push(`get: ${(e as Error).name} size=${q.qsize()}`);
      }
      return log;
    });
    expect(log).toEqual(['joined@5', 'get: QueueShutDown size=0']);
  });

  it('rejects a bad maxsize or shutdown option', () => {
    expect(() => new Queue(-1)).toThrowError(
      RangeError,
      /Queue\(maxsize\) must be an integer >= 0/,
    );
    expect(() => new Queue(1.5)).toThrowError(RangeError);
    expect(() => new Queue({ maxsize: '3' as never })).toThrowError(TypeError);
    expect(() => new Queue().shutdown({ immediate: 1 as never })).toThrowError(TypeError);
    expect(new Queue({ maxsize: 3 }).maxsize).toBe(3);
  });

  it('never fed: a getter waits forever (the run ends with main still waiting)', () => {
    const r = runVirtual(
      (function* () {
        yield* new Queue<number>().get();
      })(),
    );
    expect(r.outcome).toBeUndefined();
  });

  it('once contended under one loop, use from another loop is a RuntimeError', () => {
    const q = new Queue<number>();
    runOk(function* () {
      const t = createTask(
        (function* () {
          return yield* q.get();
        })(),
      );
      yield* ticks(1);
      q.putNowait(1);
      yield* t;
    });
    const err = runErr(function* () {
      yield* q.get();
    });
    expect(err).toBeInstanceOf(RuntimeError);
  });

  it('ping-pong: 10,000 round trips between two tasks keep strict alternation', () => {
    const n = runOk(function* () {
      const ping = new Queue<number>();
      const pong = new Queue<number>();
      const echo = createTask(
        (function* () {
          for (;;) ping.putNowait((yield* pong.get()) + 1);
        })(),
      );
      let v = 0;
      for (let i = 0; i < 10_000; i++) {
        pong.putNowait(v);
        v = yield* ping.get();
      }
      echo.cancel();
      return v;
    });
    expect(n).toBe(10_000);
  });
});
