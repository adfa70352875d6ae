import { expectTimeline, record, runVirtual, virtualScheduler } from '../../marbles/index.js';
import {
  asCompleted,
  type Coroutine,
  createTask,
  EventLoop,
  getRunningLoop,
  sleep,
  Task,
  TimeoutError,
} from '../../src/index.js';
import { now, startTicks } from './ticks.js';

function* after<T>(ms: number, value: T): Coroutine<T> {
  yield* sleep(ms);
  return value;
}

function* failAfter(ms: number, message: string): Coroutine<never> {
  yield* sleep(ms);
  throw new Error(message);
}

describe('asCompleted', () => {
  it('yields results in completion order', () => {
    const r = record((tl) =>
      (function* () {
        const t = createTask(after(20, 'task'), { name: 'task' });
        for (const next of asCompleted([after(30, 'slow'), sleep(10, 'sleep'), t])) {
          tl.emit(yield* next);
        }
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: undefined });
    // biome-ignore format: an aligned marble diagram
    const expected = {
      task: '--------------------|',
      main: '----------s---------t---------(l|)',
    };
    expectTimeline(r.timeline, expected, { s: 'sleep', t: 'task', l: 'slow' });
  });

  it('raises an error where it comes in the order, and goes on after it', () => {
    const r = runVirtual(
      (function* () {
        const out: string[] = [];
        for (const next of asCompleted([after(30, 'late'), failAfter(10, 'bad')])) {
          try {
            out.push(yield* next);
          } catch (e) {
            out.push(`error ${(e as Error).message}`);
          }
        }
        return out;
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: ['error bad', 'late'] });
  });

  it('on timeout raises TimeoutError for what is left, and cancels nothing', () => {
    const r = record((tl) =>
      (function* () {
        const slow = createTask(after(100, 'slow'), { name: 'slow' });
        for (const next of asCompleted([after(10, 'fast'), slow], { timeout: 50 })) {
          try {
            tl.emit(yield* next);
          } catch (e) {
            expect(e).toBeInstanceOf(TimeoutError);
            tl.print('T');
          }
        }
        tl.emit(yield* slow);
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: undefined });
    // f: 'fast' at 10; T: TimeoutError at 50 for what is left; s: the slow task, not cancelled.
    // biome-ignore format: an aligned marble diagram
    const expected = {
      slow: '100ms |',
      main: '10ms f 39ms T 49ms (s|)',
    };
    expectTimeline(r.timeline, expected, { f: 'fast', s: 'slow', T: 'T' });
  });

  it('gives the same result for items awaited in any order', () => {
    const r = runVirtual(
      (function* () {
        const [first, second] = [...asCompleted([after(20, 'b'), after(10, 'a')])];
        const b = createTask(
          (function* () {
            return yield* second!;
          })(),
        );
        yield* sleep(1); // let the task wait first
        const a = yield* first!;
        return [a, yield* b];
      })(),
    );
    // Whoever waits first gets the first to finish.
    expect(r.outcome).toEqual({ ok: true, value: ['b', 'a'] });
  });

  it('passes a wake-up on when the woken waiter is cancelled', () => {
    const r = runVirtual(
      (function* () {
        const a = createTask(after(10, 'a'));
        const [first, second] = [...asCompleted([a, after(1000, 'b')])];
        const w1 = createTask(
          (function* () {
            return yield* first!;
          })(),
        );
        const w2 = createTask(
          (function* () {
            return yield* second!;
          })(),
        );
        // Runs right after asCompleted took `a` and woke w1: cancel w1 before it resumes.
        a.addDoneCallback(() => w1.cancel());
        try {
          yield* w1;
        } catch (e) {
          return [(e as Error).name, yield* w2, now()];
        }
        return 'w1 was not cancelled';
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: ['CancelledError', 'a', 10] });
  });

  it('of nothing yields nothing; the same awaitable twice counts once', () => {
    const r = runVirtual(
      (function* () {
        const t = createTask(after(1, 'x'));
        const items = [...asCompleted([t, t])];
        return [[...asCompleted([])].length, items.length, yield* items[0]!];
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: [0, 1, 'x'] });
  });

  it('wraps the same coroutine twice in one task, in first-seen order among futures', () => {
    const r = runVirtual(
      (function* () {
        const c = after(2, 'c');
        const t = createTask(after(1, 't'));
        const items = [...asCompleted([c, t, c, t])];
        const out: string[] = [];
        for (const item of items) out.push(yield* item);
        return [items.length, out];
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: [2, ['t', 'c']] });
  });

  it('never finishes an item while nothing completes; cancelling the caller cancels nothing', () => {
    const r = runVirtual(
      (function* () {
        const never = getRunningLoop().createFuture<number>();
        const [item] = [...asCompleted([never])];
        const waiter = createTask(
          (function* () {
            return yield* item!;
          })(),
        );
        yield* sleep(100);
        const pending = !waiter.done();
        waiter.cancel();
        yield* sleep(0);
        yield* sleep(0);
        return [pending, waiter.cancelled(), never.cancelled()];
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: [true, true, false] });
  });

  it('next() gives the inputs themselves in completion order, as 3.13 `async for` does', () => {
    const r = runVirtual(
      (function* () {
        const slow = createTask(after(30, 'slow'));
        const fast = createTask(after(10, 'fast'));
        const coro = after(20, 'coro');
        const done = asCompleted([slow, fast, coro]);
        const seen: unknown[] = [];
        for (let x = yield* done.next(); !x.done; x = yield* done.next()) {
          const f = x.value;
          seen.push(f === slow ? 'slow task' : f === fast ? 'fast task' : f instanceof Task);
          seen.push(`${yield* f}@${now()}`);
        }
        seen.push(yield* done.next());
        return seen;
      })(),
    );
    expect(r.outcome).toEqual({
      ok: true,
      value: [
        'fast task',
        'fast@10',
        true,
        'coro@20',
        'slow task',
        'slow@30',
        { done: true, value: undefined },
      ],
    });
  });

  it('next() and the for...of items share one count; next() raises TimeoutError after the timeout', () => {
    const r = runVirtual(
      (function* () {
        const done = asCompleted([after(10, 'a'), after(100, 'b'), after(200, 'c')], {
          timeout: 50,
        });
        const out: unknown[] = [];
        for (const item of done) {
          out.push(yield* item); // takes 'a', then leaves the rest to next()
          break;
        }
        for (;;) {
          try {
            const x = yield* done.next();
            if (x.done) break;
            out.push(yield* x.value);
          } catch (e) {
            out.push(`${(e as Error).name}@${now()}`);
          }
        }
        return out;
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: ['a', 'TimeoutError@50', 'TimeoutError@50'] });
  });

  it('rejects a single awaitable or a bad timeout', () => {
    const r = runVirtual(
      (function* () {
        const t = createTask(after(1, 1));
        const errors: string[] = [];
        for (const f of [
          () => asCompleted(t as never),
          () => asCompleted(after(1, 1) as never),
          () => asCompleted([t], { timeout: Number.NaN }),
          () => asCompleted(5 as never),
        ]) {
          try {
            f();
          } catch (e) {
            errors.push((e as Error).name);
          }
        }
        yield* t;
        return errors;
      })(),
    );
    expect(r.outcome).toEqual({
      ok: true,
      value: ['TypeError', 'TypeError', 'RangeError', 'TypeError'],
    });
  });

  it('is not fooled by TimeoutError from a child (it is a value like any other error)', () => {
    const r = runVirtual(
      (function* () {
        const [item] = [
          ...asCompleted([
            (function* () {
              yield* sleep(1);
              throw new TimeoutError('child');
            })(),
          ]),
        ];
        try {
          yield* item!;
        } catch (e) {
          return (e as Error).message;
        }
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: 'child' });
  });

  it("counts an array's repeated futures once, done or pending, beside other callbacks", () => {
    const r = runVirtual(
      (function* () {
        const loop = getRunningLoop();
        const done = loop.createFuture<string>();
        done.setResult('done');
        const pending = loop.createFuture<string>();
        const seen: string[] = [];
        pending.addDoneCallback(() => seen.push('other callback'));
        const items = [...asCompleted([done, pending, done, pending, pending])];
        loop.callSoon(() => pending.setResult('pending'));
        const out: string[] = [];
        for (const item of items) out.push(yield* item);
        return [items.length, out, seen];
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: [2, ['done', 'pending'], ['other callback']] });
  });

  it('refuses an array of futures of two loops (asyncio: ValueError from ensure_future)', () => {
    const r = runVirtual(
      (function* () {
        const other = new EventLoop(virtualScheduler());
        try {
          asCompleted([getRunningLoop().createFuture(), other.createFuture()]);
          return 'accepted';
        } catch (e) {
          return (e as Error).name;
        }
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: 'ValueError' });
  });

  it('times out an input that finished but whose callback had not run yet', () => {
    const r = runVirtual(
      (function* () {
        const loop = getRunningLoop();
        const late = loop.createFuture<string>();
        const early = loop.createFuture<string>();
        const items = [...asCompleted([early, late], { timeout: 10 })];
        loop.callLater(5, () => early.setResult('early'));
        // Due with the timeout, after it: done, but its callback comes after the timeout ran.
        loop.callLater(10, () => late.setResult('late'));
        const out: string[] = [];
        for (const item of items) {
          try {
            out.push(yield* item);
          } catch (e) {
            out.push((e as Error).name);
          }
        }
        return [out, late.done(), `${asCompleted([late])}`];
      })(),
    );
    expect(r.outcome).toEqual({
      ok: true,
      value: [['early', 'TimeoutError'], true, '<AsCompleted [pending:1, ready:0]>'],
    });
  });

  it('hands each result over in the loop iteration asyncio does', () => {
    // An input's done callback runs in the iteration after it finishes and wakes the waiting
    // item, which resumes in the one after that; results already in come at once (the last
    // input's callback runs ahead of the woken item in iteration 4).
    const r = runVirtual(
      (function* () {
        const ticks = startTicks();
        const t0 = ticks.now();
        const inputs = [2, 0, 0, 1].map((n) =>
          createTask(
            (function* () {
              for (let i = 0; i < n; i++) yield* sleep(0);
              return n;
            })(),
          ),
        );
        const seen: string[] = [];
        for (const next of asCompleted(inputs)) seen.push(`${yield* next}@${ticks.now() - t0}`);
        ticks.stop();
        return seen;
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: ['0@3', '0@3', '1@4', '2@4'] });
  });
});
