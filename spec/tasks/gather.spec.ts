import { of } from 'rxjs';
import { expectTimeline, record, runVirtual } from '../../marbles/index.js';
import {
  CancelledError,
  type Coroutine,
  createTask,
  currentTask,
  type Future,
  gather,
  getRunningLoop,
  sleep,
  TimeoutError,
  waitFor,
} from '../../src/index.js';
import { now, startTicks, yieldsThen, yieldsThenFails } from './ticks.js';

function* after<T>(ms: number, value: T, log?: string[]): Coroutine<T> {
  yield* sleep(ms);
  log?.push(`${String(value)}@${now()}`);
  return value;
}

function* failAfter(ms: number, message: string): Coroutine<never> {
  yield* sleep(ms);
  throw new Error(message);
}

function* immediate<T>(value: T): Coroutine<T> {
  return value;
}

describe('gather', () => {
  it('returns results in argument order, typed as a tuple', () => {
    const r = runVirtual(
      (function* () {
        const task = createTask(after(5, true));
        const [a, n, b, o]: [string, number, boolean, number] = yield* gather(
          after(30, 'a'),
          sleep(10, 42),
          task,
          of(1, 2, 3),
        );
        return [a, n, b, o, now()];
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: ['a', 42, true, 3, 30] });
  });

  it('costs 3 loop iterations for two tasks that return at once (awaiting one task costs 2)', () => {
    const r = runVirtual(
      (function* () {
        const ticks = startTicks();
        const t0 = ticks.now();
        yield* createTask(immediate(1));
        const one = ticks.now() - t0;
        const t1 = ticks.now();
        const both = yield* gather(createTask(immediate(1)), createTask(immediate(2)));
        const two = ticks.now() - t1;
        const t2 = ticks.now();
        yield* gather(immediate('x'), immediate('y')); // coroutines are wrapped in tasks
        const coros = ticks.now() - t2;
        ticks.stop();
        return { one, two, coros, both };
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: { one: 2, two: 3, coros: 3, both: [1, 2] } });
  });

  it('of nothing gives [] without yielding to the loop', () => {
    const r = runVirtual(
      (function* () {
        const ticks = startTicks();
        const empty: [] = yield* gather();
        const spent = ticks.now();
        ticks.stop();
        return [empty, spent];
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: [[], 0] });
  });

  it('of futures already done is done at once', () => {
    const r = runVirtual(
      (function* () {
        const f = getRunningLoop().createFuture<string>();
        f.setResult('ready');
        const g = gather(f, f);
        return [g.done(), yield* g];
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: [true, ['ready', 'ready']] });
  });

  it('gives the result of the same awaitable twice, and runs a coroutine passed twice once', () => {
    const r = runVirtual(
      (function* () {
        let runs = 0;
        const coro = (function* () {
          runs++;
          yield* sleep(10);
          return 'c';
        })();
        const task = createTask(after(5, 't'));
        const res = yield* gather(task, coro, task, coro);
        return [res, runs];
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: [['t', 'c', 't', 'c'], 1] });
  });

  it('raises the first error at once and leaves the siblings running', () => {
    const r = record((tl) =>
      (function* () {
        const sibling = createTask(after(50, 'sibling'), { name: 'sibling' });
        const first = createTask(failAfter(10, 'boom'), { name: 'first' });
        const second = createTask(failAfter(20, 'second'), { name: 'second' });
        try {
          yield* gather(first, sibling, second);
        } catch (e) {
          tl.print(`caught ${(e as Error).message}`);
        }
        tl.print(`sibling ${yield* sibling}`);
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: undefined });
    expectTimeline(
      r.timeline,
      {
        main: '   10ms c 39ms (s|)',
        first: '  10ms #',
        second: ' 20ms #',
        sibling: '50ms |',
      },
      { c: 'caught boom', s: 'sibling sibling' },
    );
    // The later failure was marked retrieved by the gather: nothing is reported.
    expect(r.reports).toEqual([]);
  });

  it('raises a child error thrown before its first suspension, even a non-Error', () => {
    const r = runVirtual(
      (function* () {
        const out: unknown[] = [];
        try {
          yield* gather(
            (function* () {
              throw null;
            })(),
            after(10, 1),
          );
        } catch (e) {
          out.push(e);
        }
        const settled = yield* gather(
          (function* () {
            throw 'str';
          })(),
          { returnExceptions: true },
        );
        out.push(settled);
        return out;
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: [null, ['str']] });
  });

  it('with returnExceptions collects errors and CancelledErrors as values', () => {
    const r = runVirtual(
      (function* () {
        const victim = createTask(after(100, 'never'));
        getRunningLoop().callLater(5, () => victim.cancel('stop'));
        const [a, b, c] = yield* gather(after(10, 'ok'), failAfter(20, 'bad'), victim, {
          returnExceptions: true,
        });
        const cOk = c instanceof CancelledError && c.message === 'stop';
        return [a, b instanceof Error ? b.message : b, cOk, now()];
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: ['ok', 'bad', true, 20] });
  });

  it('treats a trailing { returnExceptions: false } as options, not as an awaitable', () => {
    const r = runVirtual(
      (function* () {
        const res: [number] = yield* gather(after(1, 7), { returnExceptions: false });
        try {
          yield* gather(failAfter(1, 'x'), { returnExceptions: false });
        } catch (e) {
          return [res, (e as Error).message];
        }
        return 'no error';
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: [[7], 'x'] });
  });

  it('raises CancelledError when a child is cancelled from outside, without being cancelled itself', () => {
    const r = runVirtual(
      (function* () {
        const victim = createTask(after(100, 'never'));
        getRunningLoop().callLater(10, () => victim.cancel());
        const g = gather(victim, after(50, 'other'));
        try {
          yield* g;
        } catch (e) {
          const me = currentTask();
          return [e instanceof CancelledError, now(), me?.cancelling(), g.cancelled(), g.done()];
        }
        return 'no error';
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: [true, 10, 0, false, true] });
  });

  it('cancels every child when the awaiting task is cancelled', () => {
    const log: string[] = [];
    const r = runVirtual(
      (function* () {
        const a = createTask(after(100, 'a', log));
        const b = createTask(after(200, 'b', log));
        const waiter = createTask(
          (function* () {
            return yield* gather(a, b);
          })(),
        );
        yield* sleep(10);
        waiter.cancel('enough');
        yield* sleep(1);
        return [a.cancelled(), b.cancelled(), waiter.cancelled(), log];
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: [true, true, true, []] });
  });

  it('cancelled directly raises CancelledError even with returnExceptions, after the children end', () => {
    const r = record((tl) =>
      (function* () {
        const slowCleanup = createTask(
          (function* () {
            try {
              yield* sleep(100);
            } finally {
              yield* sleep(30); // async cleanup
              tl.print('cleaned');
            }
          })(),
          { name: 'slowCleanup' },
        );
        const x = createTask(after(100, 'x'), { name: 'x' });
        const g = gather(slowCleanup, x, { returnExceptions: true });
        yield* sleep(10);
        const first = g.cancel('stop');
        try {
          yield* g;
        } catch (e) {
          tl.print((e as Error).name);
        }
        return [first, g.cancel(), g.cancelled()];
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: [true, false, false] });
    // The gather waits for the 30 ms cleanup before it raises.
    expectTimeline(
      r.timeline,
      {
        main: '       40ms (e|)',
        x: '          10ms #',
        slowCleanup: '40ms (c#)',
      },
      { c: 'cleaned', e: 'CancelledError' },
    );
  });

  it('without returnExceptions, raises CancelledError as soon as the first child is cancelled', () => {
    const r = record((tl) =>
      (function* () {
        const x = createTask(after(100, 'x'), { name: 'x' });
        const slowCleanup = createTask(
          (function* () {
            try {
              yield* sleep(100);
            } finally {
              yield* sleep(30);
              tl.print('cleaned');
            }
          })(),
          { name: 'slowCleanup' },
        );
        const g = gather(x, slowCleanup);
        yield* sleep(10);
        g.cancel();
        try {
          yield* g;
        } catch (e) {
          tl.print((e as Error).name);
        }
        yield* sleep(100);
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: undefined });
    // The caller wakes at 10 ms, while slowCleanup is still cleaning up.
    expectTimeline(
      r.timeline,
      {
        main: '       10ms e 99ms |',
        x: '          10ms #',
        slowCleanup: '40ms (c#)',
      },
      { c: 'cleaned', e: 'CancelledError' },
    );
  });

  it('never settles while a child never does; a timeout cancels the children', () => {
    const r = runVirtual(
      (function* () {
        const never: Future<number> = getRunningLoop().createFuture<number>();
        const g = gather(never, after(10, 1));
        try {
          yield* waitFor(g, 100);
        } catch (e) {
          return [e instanceof TimeoutError, never.cancelled(), now()];
        }
        return 'no timeout';
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: [true, true, 100] });
  });

  it('does not run children cancelled before their first step', () => {
    const log: string[] = [];
    const r = runVirtual(
      (function* () {
        const g = gather(after(10, 'a', log), after(10, 'b', log));
        g.cancel();
        try {
          yield* g;
        } catch (e) {
          return [e instanceof CancelledError, log];
        }
        return 'no error';
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: [true, []] });
  });

  it('takes a list too: gather([a, b], options), typed as a tuple', () => {
    const r = runVirtual(
      (function* () {
        const [x, y]: [string, number] = yield* gather([after(2, 'x'), sleep(1, 1)]);
        const settled = yield* gather([failAfter(1, 'no'), after(1, 2)], {
          returnExceptions: true,
        });
        const many: number[] = yield* gather(Array.from({ length: 3 }, (_, i) => after(i, i)));
        return [x, y, settled.map((v) => (v instanceof Error ? v.message : v)), many];
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: ['x', 1, ['no', 2], [0, 1, 2]] });
  });

  it('is linear in the number of children (100,000 tasks)', () => {
    const n = 100_000;
    const r = runVirtual(
      (function* () {
        const tasks = [];
        for (let i = 0; i < n; i++) tasks.push(createTask(after(i % 7, i)));
        const res: number[] = yield* gather(...tasks);
        return res.length === n && res.every((v, i) => v === i);
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: true });
  });

  it('settles or raises in the loop iteration asyncio does, whichever child decides it', () => {
    // A child's done callback runs in the iteration after it finishes, and the caller wakes in
    // the one after that. Children finish in iterations 1 (a), 2 (fails) and 3 (b).
    const r = runVirtual(
      (function* () {
        const ticks = startTicks();
        const at = function* (returnExceptions: boolean, withFailure: boolean): Coroutine<string> {
          const t0 = ticks.now();
          const kids = [
            createTask(immediate('a')),
            createTask(withFailure ? yieldsThenFails(1) : yieldsThen(1, 'x')),
            createTask(yieldsThen(2, 'b')),
          ];
          let out: string;
          try {
            const res = yield* gather(kids, { returnExceptions });
            out = res.map((v) => (v instanceof Error ? v.message : String(v))).join(',');
          } catch (e) {
            out = `raised ${(e as Error).message}`;
          }
          const spent = ticks.now() - t0;
          yield* gather(kids, { returnExceptions: true }); // let the others end
          return `${out}@${spent}`;
        };
        const values = [yield* at(false, false), yield* at(false, true), yield* at(true, true)];
        ticks.stop();
        return values;
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: ['a,x,b@5', 'raised bad@4', 'a,bad,b@5'] });
  });
});
