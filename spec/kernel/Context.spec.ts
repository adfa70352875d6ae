import { TestScheduler } from 'rxjs/testing';
import {
  Context,
  ContextVar,
  type Coroutine,
  copyContext,
  createTask,
  currentTask,
  EventLoop,
  gather,
  getRunningLoop,
  LookupError,
  RuntimeError,
  sleep,
  type Task,
  TaskGroup,
  Token,
  ValueError,
} from '../../src/index.js';
import { value } from '../support/outcome.js';

// Python's Lib/test/test_context.py and test_asyncio/test_context.py, as far as they apply.

describe('ContextVar', () => {
  it('get() throws a LookupError naming the variable when unset and without a default', () => {
    const v = new ContextVar<number>('unsetVar');
    expect(() => v.get()).toThrowMatching(
      (e) => e instanceof LookupError && /unsetVar/.test(e.message) && /default/.test(e.message),
    );
    expect(v.get(5)).toBe(5);
  });

  it('get() falls back to the default given here, then at creation (also an undefined one)', () => {
    const v = new ContextVar<number>('v', { default: 1 });
    expect(v.get()).toBe(1);
    expect(v.get(2)).toBe(2);
    const u = new ContextVar<number | undefined>('u', { default: undefined });
    expect(u.get()).toBeUndefined();
  });

  it('refuses a name that is not a string, and options that are not an object', () => {
    expect(() => new ContextVar(42 as unknown as string)).toThrowError(TypeError, /name/);
    // Python's ContextVar('x', default=5) ported as a positional 5 must not pass silently.
    expect(() => new ContextVar('x', 5 as never)).toThrowError(
      TypeError,
      /options must be an object such as \{ default: value \}, got 5/,
    );
    expect(new ContextVar('x', null as never).get(7)).toBe(7);
  });

  it('set() returns a Token with var and oldValue; reset() restores, MISSING removes', () => {
    const v = new ContextVar<string>('v');
    const ctx = new Context();
    ctx.run(() => {
      const t1 = v.set('a');
      expect(t1.var).toBe(v);
      expect(t1.oldValue).toBe(Token.MISSING);
      const t2 = v.set('b');
      expect(t2.oldValue).toBe('a');
      v.reset(t2);
      expect(v.get()).toBe('a');
      v.reset(t1);
      expect(v.get('none')).toBe('none');
      expect(ctx.has(v)).toBeFalse();
    });
  });

  it('reset() refuses a used token, another variable, another context', () => {
    const v = new ContextVar<number>('v');
    const w = new ContextVar<number>('w');
    new Context().run(() => {
      const t = v.set(1);
      expect(() => w.reset(t as unknown as Token<number>)).toThrowError(ValueError, /different/);
      new Context().run(() => {
        expect(() => v.reset(t)).toThrowError(ValueError, /different Context/);
      });
      v.reset(t);
      expect(() => v.reset(t)).toThrowError(RuntimeError, /already been used/);
    });
  });
});

describe('Context', () => {
  it('run() makes it current, keeps the values set inside, restores the previous one', () => {
    const v = new ContextVar<number>('v', { default: 0 });
    const ctx = new Context();
    const r = ctx.run(
      (a: number, b: number) => {
        v.set(a + b);
        return v.get();
      },
      2,
      3,
    );
    expect(r).toBe(5);
    expect(ctx.get(v)).toBe(5);
    expect(v.get()).toBe(0);
  });

  it('run() restores the previous context when the function throws', () => {
    const v = new ContextVar<number>('v', { default: 0 });
    const ctx = new Context();
    expect(() =>
      ctx.run(() => {
        v.set(1);
        throw new RangeError('boom');
      }),
    ).toThrowError(RangeError);
    expect(v.get()).toBe(0);
    expect(ctx.get(v)).toBe(1);
  });

  it('run() inside its own run() is a RuntimeError', () => {
    const ctx = new Context();
    expect(() => ctx.run(() => ctx.run(() => 1))).toThrowError(RuntimeError, /already entered/);
  });

  it('copy() is independent both ways; copyContext() snapshots the current values', () => {
    const v = new ContextVar<string>('v');
    const a = new Context();
    a.run(() => v.set('a'));
    const b = a.copy();
    b.run(() => v.set('b'));
    expect(a.get(v)).toBe('a');
    expect(b.get(v)).toBe('b');
    a.run(() => {
      const snap = copyContext();
      v.set('later');
      expect(snap.get(v)).toBe('a');
    });
  });

  it('reads as a map: get with a default, has, size, keys, values, entries, iteration', () => {
    const x = new ContextVar<number>('x');
    const y = new ContextVar<string>('y');
    const ctx = new Context();
    expect(ctx.size).toBe(0);
    expect(ctx.get(x)).toBeUndefined();
    expect(ctx.get(x, 9)).toBe(9);
    ctx.run(() => {
      x.set(1);
      y.set('one');
    });
    expect(ctx.size).toBe(2);
    expect(ctx.has(x)).toBeTrue();
    expect([...ctx.keys()]).toEqual([x, y] as ContextVar<unknown>[]);
    expect([...ctx.values()]).toEqual([1, 'one']);
    expect([...ctx.entries()]).toEqual([
      [x, 1],
      [y, 'one'],
    ] as [ContextVar<unknown>, unknown][]);
    expect(new Map(ctx).get(x)).toBe(1);
    expect(String(ctx)).toBe('<Context {x, y}>');
  });
});

describe('Context of tasks', () => {
  const v = new ContextVar<string>('request', { default: 'none' });

  it("a child sees its parent's values at creation; its own sets stay its own", () => {
    const seen = value(
      (function* () {
        const log: string[] = [];
        v.set('parent');
        const child = (name: string) =>
          (function* () {
            log.push(`${name} starts with ${v.get()}`);
            v.set(name);
            yield* sleep(10);
            log.push(`${name} still has ${v.get()}`);
          })();
        const a = createTask(child('a'));
        const b = createTask(child('b'));
        v.set('parent, later'); // after creation: the children do not see it
        yield* a;
        yield* b;
        log.push(`parent has ${v.get()}`);
        return log;
      })(),
    );
    expect(seen).toEqual([
      'a starts with parent',
      'b starts with parent',
      'a still has a',
      'b still has b',
      'parent has parent, later',
    ]);
  });

  it('a task created from top-level code inside ctx.run() copies that context', () => {
    const scheduler = new TestScheduler(() => {});
    const loop = new EventLoop(scheduler);
    const ctx = new Context();
    let seen = '';
    ctx.run(() => {
      v.set('outer');
      loop.createTask(
        (function* () {
          yield* sleep(5);
          seen = v.get();
          v.set('changed inside');
        })(),
      );
    });
    scheduler.flush();
    expect(seen).toBe('outer');
    expect(ctx.get(v)).toBe('outer');
    loop.close();
  });

  it('getContext() is the context the task runs in, also for a task that set nothing', () => {
    const r = value(
      (function* () {
        const t = createTask(
          (function* () {
            const mine = (currentTask() as Task<unknown>).getContext();
            expect(mine.size).toBe(0);
            v.set('set after getContext');
            yield* sleep(1);
            return mine;
          })(),
        );
        const ctx = yield* t;
        expect(t.getContext()).toBe(ctx);
        return ctx.get(v);
      })(),
    );
    expect(r).toBe('set after getContext');
  });

  it('createTask(coro, { context }) runs in that very context: its sets land there', () => {
    const r = value(
      (function* () {
        const shared = copyContext();
        function* writer(x: string): Coroutine<void> {
          yield* sleep(1);
          v.set(x);
        }
        function* reader(): Coroutine<string> {
          yield* sleep(2);
          return v.get();
        }
        yield* createTask(writer('w'), { context: shared });
        const seen = yield* createTask(reader(), { context: shared });
        expect(shared.get(v)).toBe('w');
        expect(v.get()).toBe('none');
        return seen;
      })(),
    );
    expect(r).toBe('w');
  });

  it('createTask(coro, { context }) refuses something that is not a Context', () => {
    value(
      (function* () {
        const coro = (function* () {})();
        expect(() => createTask(coro, { context: {} as Context })).toThrowError(
          TypeError,
          /context must be a Context/,
        );
      })(),
    );
  });

  it("entering the running task's own context is a RuntimeError", () => {
    value(
      (function* () {
        const mine = (currentTask() as Task<unknown>).getContext();
        expect(() => mine.run(() => 0)).toThrowError(RuntimeError, /already entered/);
      })(),
    );
  });

  it('TaskGroup.createTask(coro, { context }) passes the context on', () => {
    const r = value(
      (function* () {
        const ctx = copyContext();
        yield* new TaskGroup().scope(function* (tg) {
          tg.createTask(
            (function* () {
              v.set('in group');
              yield* sleep(1);
            })(),
            { context: ctx },
          );
        });
        return ctx.get(v);
      })(),
    );
    expect(r).toBe('in group');
  });
});

// A step leaves its task's context current until the loop runs its next entry (Context.ts, "A
// step does not put the previous context back"): these pin that nothing else can see it.
describe('Context after a step', () => {
  const v = new ContextVar<string>('afterStep', { default: 'none' });

  it("done callbacks, the exception handler, other tasks and code after the batch never see a step's values", () => {
    const scheduler = new TestScheduler(() => {});
    const loop = new EventLoop(scheduler);
    const seen: string[] = [];
    loop.setExceptionHandler(() => seen.push(`handler:${v.get()}`));
    const fut = loop.createFuture<string>();
    // Added outside any task: each runs in the very next entry after the step that sets `fut`.
    fut.addDoneCallback(() => seen.push(`done callback:${v.get()}`));
    fut.addDoneCallback(() => {
      throw new Error('boom'); // reported to the handler
    });
    const gathered = loop.createFuture<string>();
    loop.createTask(
      (function* () {
        const [y] = yield* gather(gathered); // waits from the first iteration on
        seen.push(`task b after gather:${y}:${v.get()}`);
      })(),
    );
    loop.createTask(
      (function* () {
        v.set('task a');
        fut.setResult('x'); // next iteration: the two callbacks, then this task again
        yield* sleep(0);
        v.set('task a again');
        gathered.setResult('y'); // wakes task b's gather through its done-callback queue
      })(),
    );
    scheduler.flush();
    seen.push(`after flush:${v.get()}`);
    expect(seen).toEqual([
      'done callback:none',
      'handler:none',
      'task b after gather:y:none',
      'after flush:none',
    ]);
    loop.close();
  });

  it('a loop run inside a step of another loop gives that step its context back', () => {
    const r = value(
      (function* () {
        v.set('outer task');
        const scheduler = new TestScheduler(() => {});
        const inner = new EventLoop(scheduler);
        let innerSaw = '';
        inner.createTask(
          (function* () {
            v.set('inner task');
            yield* sleep(1);
            innerSaw = v.get();
          })(),
        );
        scheduler.flush(); // the inner loop's batches run here, inside this step
        inner.close();
        const after = v.get();
        yield* sleep(0);
        return [innerSaw, after, v.get()];
      })(),
    );
    expect(r).toEqual(['inner task', 'outer task', 'outer task']);
  });
});

describe('Context of loop callbacks', () => {
  const v = new ContextVar<string>('cb', { default: 'none' });

  it('callSoon/callLater/callAt run in a copy of the context current when scheduled', () => {
    const log = value(
      (function* () {
        const seen: string[] = [];
        const loop = getRunningLoop();
        v.set('at schedule');
        const record = (name: string) => {
          seen.push(`${name}:${v.get()}`);
          v.set('inside'); // stays in the callback's own copy
        };
        loop.callSoon(record, 'soon');
        loop.callLater(5, record, 'later');
        loop.callAt(loop.time() + 10, record, 'at');
        v.set('after schedule');
        yield* sleep(20);
        seen.push(`task:${v.get()}`);
        return seen;
      })(),
    );
    expect(log).toEqual([
      'soon:at schedule',
      'later:at schedule',
      'at:at schedule',
      'task:after schedule',
    ]);
  });

  it('a trailing { context } runs the callback in that context; other objects stay arguments', () => {
    const r = value(
      (function* () {
        const loop = getRunningLoop();
        const ctx = new Context();
        const args: unknown[][] = [];
        const h = loop.callSoon(
          (...a: unknown[]) => {
            args.push(a);
            v.set('from callback');
          },
          1,
          { context: ctx },
        );
        expect(h.getContext()).toBe(ctx);
        loop.callSoon((...a: unknown[]) => args.push(a), { context: 'not a Context' });
        loop.callSoon((...a: unknown[]) => args.push(a), { context: ctx, other: 1 });
        const t = loop.callLater(1, () => v.set('timer'), { context: ctx });
        expect(t.getContext()).toBe(ctx);
        yield* sleep(2);
        return { args, value: ctx.get(v) };
      })(),
    );
    expect(r.args.length).toBe(3);
    expect(r.args[0]).toEqual([1]);
    expect(r.args[1]).toEqual([{ context: 'not a Context' }]);
    expect(r.args[2]).toEqual([{ context: jasmine.any(Context), other: 1 }]);
    expect(r.value).toBe('timer');
  });
});
