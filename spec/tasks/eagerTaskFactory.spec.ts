import { TestScheduler } from 'rxjs/testing';
import { explore, record, runVirtual } from '../../marbles/index.js';
import {
  allTasks,
  CancelledError,
  ContextVar,
  type Coroutine,
  createEagerTaskFactory,
  createTask,
  currentTask,
  EventLoop,
  eagerTaskFactory,
  gather,
  getRunningLoop,
  sleep,
  Task,
  TaskGroup,
} from '../../src/index.js';
import { errorOf, value } from '../support/outcome.js';

// CPython's Lib/test/test_asyncio/test_eager_task_factory.py, in rx-asyncio's terms.

/** Runs `main` in virtual time with the eager task factory set on the loop. */
function eager<T>(main: () => Coroutine<T>): T {
  return value(
    (function* () {
      getRunningLoop().setTaskFactory(eagerTaskFactory);
      return yield* main();
    })(),
  );
}

/** Loop iterations `body` takes: a ticker task counts one per iteration. */
function* iterationsOf(body: () => Coroutine<unknown>): Coroutine<number> {
  let ticks = 0;
  const ticker = createTask(
    (function* () {
      for (;;) {
        ticks++;
        yield* sleep(0);
      }
    })(),
    { eagerStart: false },
  );
  yield* sleep(0);
  const start = ticks;
  yield* body();
  const cost = ticks - start;
  ticker.cancel();
  return cost;
}

function* returns<T>(v: T): Coroutine<T> {
  return v;
}

describe('eagerTaskFactory', () => {
  it('is what getTaskFactory() returns once set; createTask makes Tasks through it', () => {
    eager(function* () {
      expect(getRunningLoop().getTaskFactory()).toBe(eagerTaskFactory);
      const t = createTask(returns(1));
      expect(t).toBeInstanceOf(Task);
      yield* t;
    });
  });

  it('a coroutine that finishes without suspending gives a task already done, never scheduled', () => {
    const r = eager(function* () {
      const log: string[] = [];
      const cost = yield* iterationsOf(function* () {
        const t = createTask(
          (function* () {
            log.push('child ran');
            return 'hello';
          })(),
        );
        log.push(`after createTask: done=${t.done()}`);
        log.push(yield* t);
      });
      return { log, cost };
    });
    expect(r.log).toEqual(['child ran', 'after createTask: done=true', 'hello']);
    expect(r.cost).toBe(0);
  });

  it('a future completed during the eager step is done at once', () => {
    const r = eager(function* () {
      const fut = getRunningLoop().createFuture<string>();
      const t = createTask(
        (function* () {
          fut.setResult('my message');
        })(),
      );
      expect(t.done()).toBeTrue();
      return yield* fut;
    });
    expect(r).toBe('my message');
  });

  it('runs up to the first real suspension, then continues as a normal task', () => {
    const r = eager(function* () {
      const log: string[] = [];
      const t = createTask(
        (function* () {
          log.push('first step');
          yield* sleep(100);
          log.push('second step');
          return 'finished after blocking';
        })(),
      );
      log.push(`created: done=${t.done()}`);
      log.push(yield* t);
      return log;
    });
    expect(r).toEqual([
      'first step',
      'created: done=false',
      'second step',
      'finished after blocking',
    ]);
  });

  it('a task that finished eagerly lets go of its coroutine: getCoro() is null (test_issue122332)', () => {
    const r = eager(function* () {
      const finished = createTask(returns(1));
      const coro = (function* () {
        yield* sleep(1);
        return 2;
      })();
      const blocked = createTask(coro);
      const lazy = createTask(returns(3), { eagerStart: false });
      const held = [blocked.getCoro() === coro, lazy.getCoro() !== null];
      yield* gather(finished, blocked, lazy);
      return [finished.getCoro(), ...held, blocked.getCoro() === coro, lazy.getCoro() !== null];
    });
    // CPython 3.12+: __eager_start clears _coro only when the eager step finished the task.
    expect(r).toEqual([null, true, true, true, true]);
  });

  it('cancel() after an eager completion returns false; the result stands', () => {
    const r = eager(function* () {
      const t = createTask(returns('finished without blocking'));
      expect(t.cancel()).toBeFalse();
      const v = yield* t;
      expect(t.cancelled()).toBeFalse();
      return v;
    });
    expect(r).toBe('finished without blocking');
  });

  it('cancel() after the eager step blocked cancels the task with the message', () => {
    const e = errorOf(
      (function* () {
        getRunningLoop().setTaskFactory(eagerTaskFactory);
        const t = createTask(
          (function* () {
            yield* sleep(100);
          })(),
        );
        t.cancel('cancellation message');
        expect(t.cancelling()).toBeGreaterThan(0);
        yield* t;
      })(),
    );
    expect(e).toBeInstanceOf(CancelledError);
    expect((e as Error).message).toBe('cancellation message');
  });

  it('an error in the eager step fails the task, not its creator', () => {
    const r = eager(function* () {
      const t = createTask(
        (function* () {
          throw new RangeError('eager boom');
        })(),
      );
      expect(t.done()).toBeTrue();
      try {
        yield* t;
        return 'no error';
      } catch (e) {
        return String(e);
      }
    });
    expect(r).toBe('RangeError: eager boom');
  });

  it('currentTask() in the eager step is the new task; the creator is current again after', () => {
    eager(function* () {
      const parent = currentTask();
      let inside: unknown = null;
      let afterSleep: unknown = null;
      const t = createTask(
        (function* () {
          inside = currentTask();
          yield* sleep(100);
          afterSleep = currentTask();
        })(),
      );
      expect(inside).toBe(t);
      expect(currentTask()).toBe(parent);
      yield* t;
      expect(afterSleep).toBe(t);
    });
  });

  it('allTasks() holds the task during its eager step, and after only while it is pending', () => {
    eager(function* () {
      let during: Set<Task<unknown>> | null = null;
      const quick = createTask(
        (function* () {
          during = allTasks();
        })(),
      );
      expect(during).toContain(quick as Task<unknown>);
      expect(allTasks()).not.toContain(quick as Task<unknown>);
      const fut = getRunningLoop().createFuture<void>();
      const blocked = createTask(
        (function* () {
          yield* fut;
        })(),
      );
      expect(allTasks()).toContain(blocked as Task<unknown>);
      fut.setResult();
      yield* blocked;
      expect(allTasks()).not.toContain(blocked as Task<unknown>);
    });
  });

  it('context variables: the eager step runs in the task’s own copy (test_context_vars)', () => {
    const cv = new ContextVar<number>('cv', { default: 0 });
    eager(function* () {
      const steps: string[] = [];
      cv.set(1);
      const t = createTask(
        (function* () {
          expect(cv.get()).toBe(1);
          cv.set(2);
          steps.push('first');
          yield* sleep(100);
          expect(cv.get()).toBe(2);
          cv.set(3);
          steps.push('second');
        })(),
      );
      expect(steps).toEqual(['first']);
      expect(cv.get()).toBe(1);
      yield* t;
      expect(steps).toEqual(['first', 'second']);
      expect(cv.get()).toBe(1);
    });
  });

  it('{ eagerStart: false } keeps a task lazy under the eager factory', () => {
    eager(function* () {
      const t = createTask(returns(1), { eagerStart: false });
      expect(t.done()).toBeFalse();
      expect(yield* t).toBe(1);
    });
  });

  it('createEagerTaskFactory(ctor) builds the tasks with that class', () => {
    class Counted<T> extends Task<T> {
      static made = 0;
      constructor(...args: ConstructorParameters<typeof Task<T>>) {
        super(...args);
        Counted.made++;
      }
    }
    value(
      (function* () {
        getRunningLoop().setTaskFactory(createEagerTaskFactory(Counted));
        const t = createTask(returns(1), { name: 'counted' });
        expect(t).toBeInstanceOf(Counted);
        expect(t.getName()).toBe('counted');
        expect(t.done()).toBeTrue();
        expect(Counted.made).toBe(1);
        yield* t;
      })(),
    );
  });

  it('setTaskFactory(null) restores plain tasks; a non-function is a TypeError', () => {
    value(
      (function* () {
        const loop = getRunningLoop();
        loop.setTaskFactory(eagerTaskFactory);
        loop.setTaskFactory(null);
        expect(loop.getTaskFactory()).toBeNull();
        expect(createTask(returns(1)).done()).toBeFalse();
        expect(() => loop.setTaskFactory(42 as never)).toThrowError(TypeError, /factory/);
        yield* sleep(0);
      })(),
    );
  });
});

describe('createTask(coro, { eagerStart }) (3.14)', () => {
  it('starts eagerly without a factory when the loop is running', () => {
    value(
      (function* () {
        const t = createTask(returns('now'), { eagerStart: true });
        expect(t.done()).toBeTrue();
        expect(yield* t).toBe('now');
      })(),
    );
  });

  it('starts lazily when the loop is not running', () => {
    const scheduler = new TestScheduler(() => {});
    const loop = new EventLoop(scheduler);
    const t = loop.createTask(returns(1), { eagerStart: true });
    expect(t.done()).toBeFalse();
    scheduler.flush();
    expect(t.result()).toBe(1);
    loop.close();
  });
});

describe('gather and TaskGroup with eager children', () => {
  it('gather of children that all finish eagerly takes no loop iteration', () => {
    const r = eager(function* () {
      let results: unknown;
      const cost = yield* iterationsOf(function* () {
        results = yield* gather(returns(1), returns(2), returns(3));
      });
      return { results, cost };
    });
    expect(r).toEqual({ results: [1, 2, 3], cost: 0 });
  });

  it('a TaskGroup whose children all finish eagerly exits without a loop round trip', () => {
    const r = eager(function* () {
      const tasks: Task<number>[] = [];
      const cost = yield* iterationsOf(function* () {
        yield* new TaskGroup().scope(function* (tg) {
          for (let i = 0; i < 5; i++) tasks.push(tg.createTask(returns(i)));
        });
      });
      return { cost, results: tasks.map((t) => t.result()) };
    });
    expect(r).toEqual({ cost: 0, results: [0, 1, 2, 3, 4] });
  });

  it('a TaskGroup child that fails eagerly cancels the body at its next suspension', () => {
    const e = errorOf(
      (function* () {
        getRunningLoop().setTaskFactory(eagerTaskFactory);
        yield* new TaskGroup().scope(function* (tg) {
          tg.createTask(
            (function* () {
              throw new RangeError('child failed eagerly');
            })(),
          );
          yield* sleep(1000); // interrupted
          throw new Error('not reached');
        });
      })(),
    );
    expect(String(e)).toContain('unhandled errors in a TaskGroup');
    expect((e as AggregateError).errors.map(String)).toEqual(['RangeError: child failed eagerly']);
  });

  it('recursive gather (width 5, depth 3) runs no task through the loop (test_recursive_gather)', () => {
    function* tree(width: number, depth: number): Coroutine<number> {
      if (depth === 0) return 1;
      const kids: Coroutine<number>[] = [];
      for (let i = 0; i < width; i++) kids.push(tree(width, depth - 1));
      const counts = yield* gather(...kids);
      return counts.reduce((a, b) => a + b, 0);
    }
    const r = eager(function* () {
      let leaves = 0;
      const cost = yield* iterationsOf(function* () {
        leaves = yield* tree(5, 3);
      });
      return { leaves, cost };
    });
    expect(r).toEqual({ leaves: 125, cost: 0 });
  });
});

describe('run(main, { eagerTasks: true }) and Runner (3.14)', () => {
  it('sets the eager task factory on the loop; main itself starts as usual', () => {
    const r = runVirtual(
      (function* () {
        const t = createTask(returns('eager'));
        return [getRunningLoop().getTaskFactory() === eagerTaskFactory, t.done()];
      })(),
      { eagerTasks: true },
    );
    expect(r.outcome).toEqual({ ok: true, value: [true, true] });
  });
});

describe('eager steps in the testing kit', () => {
  it('the recorder shows the eager step inline, inside its creator’s step', () => {
    const { timeline } = record((tl) =>
      (function* () {
        tl.print('before');
        createTask(
          (function* () {
            tl.print('child');
          })(),
          { name: 'child', eagerStart: true },
        );
        tl.print('after');
        yield* sleep(1);
      })(),
    );
    expect(
      timeline.events
        .filter((e) => e.time === 0)
        .map((e) => `${e.task} ${e.kind}${e.kind === 'print' ? ` ${e.value}` : ''}`),
    ).toEqual([
      'main start',
      'main print before',
      'child start',
      'child print child',
      'child return',
      'main print after',
      'main suspend',
    ]);
  });

  it('the explorer has no order to choose for eager steps: they run inline', () => {
    const scenario = (eagerStart: boolean) => () =>
      (function* () {
        const order: string[] = [];
        const mk = (name: string) =>
          createTask(
            (function* () {
              order.push(name);
            })(),
            { eagerStart },
          );
        const a = mk('A');
        const b = mk('B');
        yield* a;
        yield* b;
        return order.join('');
      })();
    const lazy = explore(scenario(false), { scope: 'all' });
    const eagerRun = explore(scenario(true), { scope: 'all' });
    expect(lazy.outcomes.map((g) => g.key).sort()).toEqual(['returned "AB"', 'returned "BA"']);
    expect(eagerRun.runs).toBe(1);
    expect(eagerRun.exhaustive).toBeTrue();
    expect(eagerRun.outcomes.map((g) => g.key)).toEqual(['returned "AB"']);
  });
});
