import { runVirtual } from '../../marbles/index.js';
import {
  allTasks,
  type Coroutine,
  createTask,
  currentTask,
  getRunningLoop,
  RuntimeError,
  sleep,
  type Task,
} from '../../src/index.js';
import { errorOf, value } from '../support/outcome.js';

/** Counts loop iterations: a ticker task increments once per iteration. */
function* measureTicks(body: () => Coroutine<unknown>): Coroutine<number> {
  let ticks = 0;
  const ticker = createTask(
    (function* () {
      for (;;) {
        ticks++;
        yield* sleep(0);
      }
    })(),
  );
  yield* sleep(0);
  const start = ticks;
  yield* body();
  const cost = ticks - start;
  ticker.cancel();
  return cost;
}

function* returnsAtOnce(): Coroutine<number> {
  return 1;
}

describe('Task scheduling', () => {
  it('starts lazily: the first step runs after the creator yields, in creation order', () => {
    const order = value(
      (function* () {
        const order: string[] = [];
        const mk = (n: string) =>
          createTask(
            (function* () {
              order.push(`${n} starts`);
            })(),
          );
        mk('a');
        mk('b');
        order.push('creator continues');
        yield* sleep(0);
        return order;
      })(),
    );
    expect(order).toEqual(['creator continues', 'a starts', 'b starts']);
  });

  it('alternates two sleep(0) loops strictly (a0 b0 a1 b1 ...)', () => {
    const order = value(
      (function* () {
        const order: string[] = [];
        const loop = (n: string) =>
          createTask(
            (function* () {
              for (let i = 0; i < 3; i++) {
                order.push(`${n}${i}`);
                yield* sleep(0);
              }
            })(),
          );
        const a = loop('a');
        const b = loop('b');
        yield* a;
        yield* b;
        return order.join(' ');
      })(),
    );
    expect(order).toBe('a0 b0 a1 b1 a2 b2');
  });

  it('costs 2 iterations to await a new task that returns at once', () => {
    expect(value(measureTicks(() => createTask(returnsAtOnce())[Symbol.iterator]() as never))).toBe(
      2,
    );
  });

  it('costs 2 iterations to await a future resolved by callSoon', () => {
    const cost = value(
      measureTicks(function* () {
        const fut = getRunningLoop().createFuture<number>();
        getRunningLoop().callSoon(() => fut.setResult(1));
        yield* fut;
      }),
    );
    expect(cost).toBe(2);
  });

  it('wakes one iteration after what it awaits completes', () => {
    const order = value(
      (function* () {
        const loop = getRunningLoop();
        const fut = loop.createFuture<void>();
        const order: string[] = [];
        const t = createTask(
          (function* () {
            yield* fut;
            order.push('waiter resumed');
          })(),
        );
        yield* sleep(0);
        loop.callSoon(() => order.push('callback queued before setResult'));
        fut.setResult();
        order.push('setResult returned');
        loop.callSoon(() => order.push('callback queued after setResult'));
        yield* t;
        return order;
      })(),
    );
    expect(order).toEqual([
      'setResult returned',
      'callback queued before setResult',
      'waiter resumed',
      'callback queued after setResult',
    ]);
  });

  it('returns the coroutine result through yield*, result(), the Observable and the Promise', async () => {
    const r = runVirtual(
      (function* () {
        const t = createTask(
          (function* () {
            yield* sleep(10);
            return 'v';
          })(),
          { name: 'child' },
        );
        const got: string = yield* t;
        const emitted: string[] = [];
        t.subscribe((v) => emitted.push(v));
        return { got, result: t.result(), emitted, name: t.getName(), task: t };
      })(),
    );
    const v = (
      r.outcome as {
        value: { got: string; result: string; emitted: string[]; name: string; task: Task<string> };
      }
    ).value;
    expect(v.got).toBe('v');
    expect(v.result).toBe('v');
    expect(v.emitted).toEqual(['v']);
    expect(v.name).toBe('child');
    expect(await v.task).toBe('v');
  });

  it('propagates an error thrown by the coroutine to whoever awaits it', () => {
    const boom = new RangeError('boom');
    const err = errorOf(
      (function* () {
        yield* createTask(
          (function* () {
            yield* sleep(1);
            throw boom;
          })(),
        );
      })(),
    );
    expect(err).toBe(boom);
  });

  it('never settles while its coroutine waits on a future nobody resolves (run reports it pending)', () => {
    const r = runVirtual(
      (function* () {
        yield* getRunningLoop().createFuture<void>();
      })(),
    );
    expect(r.outcome).toBeUndefined();
    expect(r.loop.dumpTasks()).toContain('main');
  });

  it('knows currentTask() and allTasks()', () => {
    const v = value(
      (function* () {
        const me = currentTask();
        const child = createTask(returnsAtOnce(), { name: 'x' });
        return { isMain: me?.getName(), n: allTasks().size, child };
      })(),
    );
    expect(v.isMain).toBe('main');
    expect(v.n).toBe(2);
  });

  it('has names: default Task-<n>, setName, and a toString showing state', () => {
    const v = value(
      (function* () {
        const t = createTask(returnsAtOnce());
        const before = String(t);
        t.setName('renamed');
        yield* t;
        return { before, after: String(t), name: t.getName() };
      })(),
    );
    expect(v.before).toMatch(/^<Task pending name="Task-\d+">$/);
    expect(v.after).toBe('<Task result=1 name="renamed">');
  });
});

describe('Task misuse', () => {
  it('refuses a generator function with advice to call it', () => {
    const err = errorOf(
      (function* () {
        createTask(returnsAtOnce as never);
      })(),
    );
    expect(err).toEqual(jasmine.any(TypeError));
    expect((err as Error).message).toMatch(/call it, createTask\(returnsAtOnce\w*\(\)\)/);
  });

  it('refuses a non-coroutine value', () => {
    const err = errorOf(
      (function* () {
        createTask(42 as never);
      })(),
    );
    expect((err as Error).message).toMatch(/a coroutine was expected, got 42/);
  });

  it('refuses an iterable that is not a coroutine, pointing to yield* or ensureFuture', () => {
    const err = errorOf(
      (function* () {
        createTask([1, 2] as never);
      })(),
    );
    expect(err).toEqual(jasmine.any(TypeError));
    expect((err as Error).message).toContain('ensureFuture');
  });

  it('throws `yield` instead of `yield*` back into the coroutine with advice', () => {
    const err = errorOf(
      (function* () {
        const fut = getRunningLoop().createFuture<number>();
        yield fut as never;
      })(),
    );
    expect(err).toEqual(jasmine.any(RuntimeError));
    expect((err as Error).message).toContain('`yield` was used instead of `yield*`');
  });

  it('throws a bare yield back with advice', () => {
    const err = errorOf(
      (function* () {
        yield undefined as never;
      })(),
    );
    expect((err as Error).message).toContain('yield* sleep(0)');
  });

  it('throws a bad yield back', () => {
    const err = errorOf(
      (function* () {
        yield 5 as never;
      })(),
    );
    expect((err as Error).message).toContain('bad yield: 5');
  });

  it('refuses to await itself', () => {
    const err = errorOf(
      (function* () {
        const me = currentTask() as Task<unknown>;
        yield* me;
      })(),
    );
    expect((err as Error).message).toContain('cannot await on itself');
  });

  it('refuses setResult/setException on a task', () => {
    const err = errorOf(
      (function* () {
        const t = createTask(returnsAtOnce());
        t.setResult(3);
      })(),
    );
    expect(err).toEqual(jasmine.any(RuntimeError));
  });

  it('needs a running loop for createTask()', () => {
    expect(() => createTask(returnsAtOnce())).toThrowError(RuntimeError, /no running event loop/);
  });

  it('reports an exception nobody retrieved ("Task exception was never retrieved")', () => {
    const r = runVirtual(
      (function* () {
        createTask(
          (function* () {
            throw new Error('nobody looks');
          })(),
        );
        yield* sleep(5);
      })(),
    );
    expect(r.outcome?.ok).toBeTrue();
    expect(r.reports.map((c) => c.message)).toEqual(['Task exception was never retrieved']);
    expect((r.reports[0]!.exception as Error).message).toBe('nobody looks');
  });
});
