import { asyncScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { runVirtual } from '../../marbles/index.js';
import {
  awaitable,
  isVirtualTime,
  type PromiseBoundaryEvent,
  run,
  setPromiseBoundaryHook,
  sleep,
} from '../../src/index.js';

function macrotask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

describe('setPromiseBoundaryHook', () => {
  afterEach(() => {
    setPromiseBoundaryHook(null);
  });

  it('by default, reports a Promise awaited in virtual time as a warning to the loop', () => {
    const r = runVirtual(
      (function* () {
        yield* sleep(40);
        return yield* awaitable(Promise.resolve(1));
      })(),
    );
    expect(r.outcome).toBeUndefined();
    expect(r.reports.length).toBe(1);
    expect(r.reports[0]?.message).toMatch(
      /^warning: a Promise was awaited at virtual time 40; Promises are not virtualised/,
    );
  });

  it('tells a hook when the Promise is awaited (in the flush) and when it settles (after it)', async () => {
    const events: string[] = [];
    const results: unknown[] = [];
    const previous = setPromiseBoundaryHook((e: PromiseBoundaryEvent) => {
      events.push(`${e.phase}@${e.time} ${e.future}`);
    });
    expect(previous).toBeNull();
    const r = runVirtual(
      (function* () {
        yield* sleep(10);
        results.push(yield* awaitable(Promise.resolve('late')));
      })(),
    );
    expect(events).toEqual(['awaited@10 <Promise pending>']);
    expect(r.reports).toEqual([]);
    await macrotask();
    expect(events).toEqual(['awaited@10 <Promise pending>', 'settled@10 <Promise pending>']);
    expect(results).toEqual([]); // settled, but the virtual loop is not flushed again
    r.scheduler.flush();
    expect(results).toEqual(['late']);
  });

  it('says nothing for a loop on the real clock', async () => {
    const events: unknown[] = [];
    setPromiseBoundaryHook((e) => events.push(e));
    const v = await run(
      (function* () {
        return yield* awaitable(Promise.resolve(7));
      })(),
    );
    expect(v).toBe(7);
    expect(events).toEqual([]);
  });

  it('reports a hook that throws to the loop instead of breaking the await', () => {
    setPromiseBoundaryHook(() => {
      throw new Error('hook failed');
    });
    const r = runVirtual(
      (function* () {
        awaitable(Promise.resolve(1))[Symbol.iterator]().next();
        yield* sleep(0);
        return 'went on';
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: 'went on' });
    expect(r.reports.map((c) => c.message)).toEqual(['Exception in the Promise boundary hook']);
  });

  it('rejects a hook that is not a function', () => {
    expect(() => setPromiseBoundaryHook(42 as never)).toThrowError(TypeError);
  });
});

describe('isVirtualTime', () => {
  it('tells a TestScheduler, and asyncScheduler inside TestScheduler.run, from the wall clock', () => {
    const ts = new TestScheduler(() => {});
    expect(isVirtualTime(ts)).toBeTrue();
    expect(isVirtualTime(asyncScheduler)).toBeFalse();
    let inRun: boolean | undefined;
    ts.run(() => {
      inRun = isVirtualTime(asyncScheduler);
    });
    expect(inRun).toBeTrue();
  });
});
