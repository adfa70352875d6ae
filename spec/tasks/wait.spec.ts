import { runVirtual } from '../../marbles/index.js';
import {
  ALL_COMPLETED,
  type Coroutine,
  createTask,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  type Future,
  getRunningLoop,
  type ReturnWhen,
  sleep,
  type Task,
  wait,
} from '../../src/index.js';
import { now, startTicks, yieldsThen, yieldsThenFails } from './ticks.js';

function* after<T>(ms: number, value: T): Coroutine<T> {
  yield* sleep(ms);
  return value;
}

function* failAfter(ms: number, message: string): Coroutine<never> {
  yield* sleep(ms);
  throw new Error(message);
}

function names(set: Set<Task<unknown>>): string[] {
  return [...set].map((t) => t.getName()).sort();
}

function scenario(returnWhen: ReturnWhen | undefined, timeout?: number) {
  return runVirtual(
    (function* () {
      const a = createTask(after(10, 'a'), { name: 'a' });
      const bad = createTask(failAfter(20, 'bad'), { name: 'bad' });
      const c = createTask(after(30, 'c'), { name: 'c' });
      const options = returnWhen === undefined ? { timeout } : { returnWhen, timeout };
      const [done, pending] = yield* wait([a, bad, c], options);
      const at = now();
      for (const t of pending) t.cancel();
      yield* sleep(0);
      if (bad.done() && !bad.cancelled()) bad.exception(); // looked at: not reported
      return { done: names(done), pending: names(pending), at };
    })(),
  );
}

describe('wait', () => {
  it('ALL_COMPLETED (the default) returns when all are done, and never raises their errors', () => {
    expect(scenario(undefined).outcome).toEqual({
      ok: true,
      value: { done: ['a', 'bad', 'c'], pending: [], at: 30 },
    });
    expect(scenario(ALL_COMPLETED).outcome).toEqual(scenario(undefined).outcome);
  });

  it('FIRST_COMPLETED returns when the first is done', () => {
    expect(scenario(FIRST_COMPLETED).outcome).toEqual({
      ok: true,
      value: { done: ['a'], pending: ['bad', 'c'], at: 10 },
    });
  });

  it('FIRST_EXCEPTION returns when one fails', () => {
    expect(scenario(FIRST_EXCEPTION).outcome).toEqual({
      ok: true,
      value: { done: ['a', 'bad'], pending: ['c'], at: 20 },
    });
  });

  it('FIRST_EXCEPTION waits for all when nothing fails (a cancellation is not a failure)', () => {
    const r = runVirtual(
      (function* () {
        const a = createTask(after(10, 'a'));
        const b = createTask(after(20, 'b'));
        getRunningLoop().callLater(5, () => a.cancel());
        const [done, pending] = yield* wait([a, b], { returnWhen: FIRST_EXCEPTION });
        return [done.size, pending.size, now()];
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: [2, 0, 20] });
  });

  it('on timeout returns what is done and cancels nothing', () => {
    const r = runVirtual(
      (function* () {
        const a = createTask(after(10, 'a'), { name: 'a' });
        const c = createTask(after(30, 'c'), { name: 'c' });
        const [done, pending] = yield* wait(new Set([a, c]), { timeout: 15 });
        const at = now();
        const cResult = yield* c;
        return { done: names(done), pending: names(pending), at, cResult };
      })(),
    );
    expect(r.outcome).toEqual({
      ok: true,
      value: { done: ['a'], pending: ['c'], at: 15, cResult: 'c' },
    });
  });

  it('with a timeout that never comes into play returns when done', () => {
    const r = runVirtual(
      (function* () {
        const f: Future<number> = getRunningLoop().createFuture<number>();
        getRunningLoop().callLater(7, () => f.setResult(1));
        const [done] = yield* wait([f], { timeout: 1000 });
        return [done.has(f), now()];
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: [true, 7] });
    expect(r.time).toBe(7); // the timer was cancelled: the run did not last until 1000
  });

  it('never returns while nothing finishes (cancelling the caller cancels nothing)', () => {
    const r = runVirtual(
      (function* () {
        const never = getRunningLoop().createFuture<void>();
        const waiter = createTask(
          (function* () {
            return yield* wait([never]);
          })(),
        );
        yield* sleep(100);
        const stillWaiting = !waiter.done();
        waiter.cancel();
        yield* sleep(0);
        yield* sleep(0);
        return [stillWaiting, waiter.cancelled(), never.cancelled()];
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: [true, true, false] });
  });

  it('counts a future passed twice once; already-done futures are done', () => {
    const r = runVirtual(
      (function* () {
        const f = getRunningLoop().createFuture<number>();
        f.setResult(1);
        const [done, pending] = yield* wait([f, f]);
        return [done.size, pending.size];
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: [1, 0] });
  });

  it('refuses coroutines, a single future, non-futures, an empty set and bad options', () => {
    const r = runVirtual(
      (function* () {
        const t = createTask(after(1, 1));
        const errors: string[] = [];
        const attempt = (f: () => unknown): void => {
          try {
            f();
            errors.push('no error');
          } catch (e) {
            errors.push(`${(e as Error).name}: ${(e as Error).message}`);
          }
        };
        attempt(() => wait([after(1, 1)] as never));
        attempt(() => wait(t as never));
        attempt(() => wait([]));
        attempt(() => wait([Promise.resolve(1)] as never));
        attempt(() => wait([t], { returnWhen: 'SOMETIMES' as never }));
        attempt(() => wait([t], { timeout: Number.NaN }));
        yield* t;
        return errors;
      })(),
    );
    expect(r.outcome?.ok).toBeTrue();
    const errors = (r.outcome as { value: string[] }).value;
    expect(errors[0]).toMatch(/^TypeError: .*coroutines are not accepted.*createTask/);
    expect(errors[1]).toMatch(/^TypeError: .*collection of futures.*wait\(\[x\]\)/);
    expect(errors[2]).toMatch(/^ValueError: .*empty/);
    expect(errors[3]).toMatch(/^TypeError: .*ensureFuture/);
    expect(errors[4]).toMatch(/^ValueError: .*returnWhen/);
    expect(errors[5]).toMatch(/^RangeError: .*timeout/);
  });

  it('removes its callbacks when it returns (no leak on long-lived futures)', () => {
    const r = runVirtual(
      (function* () {
        const long = getRunningLoop().createFuture<void>();
        const short = createTask(after(1, 1));
        for (let i = 0; i < 3; i++) yield* wait([long, short], { returnWhen: FIRST_COMPLETED });
        return long._callbackList().length;
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: 0 });
  });

  it('returns in the loop iteration asyncio does, for each returnWhen', () => {
    // Done callbacks run in the iteration after their future finishes, and the caller wakes in
    // the one after that: 1 + 2 iterations for a task that returns at once.
    const r = runVirtual(
      (function* () {
        const ticks = startTicks();
        const spent = function* (returnWhen: ReturnWhen): Coroutine<number> {
          const t0 = ticks.now();
          const fast = createTask(immediate('fast'));
          const slow = createTask(yieldsThen(2, 'slow'));
          const bad = createTask(yieldsThenFails(1));
          yield* wait([fast, slow, bad, fast], { returnWhen });
          const n = ticks.now() - t0;
          yield* wait([slow, bad]);
          return n;
        };
        const all = yield* spent(ALL_COMPLETED);
        const first = yield* spent(FIRST_COMPLETED);
        const exception = yield* spent(FIRST_EXCEPTION);
        ticks.stop();
        return { all, first, exception };
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: { all: 5, first: 3, exception: 4 } });
  });
});

function* immediate<T>(value: T): Coroutine<T> {
  return value;
}
