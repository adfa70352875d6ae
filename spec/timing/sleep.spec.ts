import { runVirtual } from '../../marbles/index.js';
import { createTask, getRunningLoop, sleep, ValueError } from '../../src/index.js';

describe('sleep', () => {
  it('resolves after ms of virtual time, with the given value', () => {
    const r = runVirtual(
      (function* () {
        const a: string = yield* sleep(250, 'a');
        const t1 = getRunningLoop().time();
        yield* sleep(750);
        return [a, t1, getRunningLoop().time()];
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: ['a', 250, 1000] });
  });

  it('treats a negative delay as 0 and sleep(0, value) as one iteration with a value', () => {
    const r = runVirtual(
      (function* () {
        const order: string[] = [];
        createTask(
          (function* () {
            order.push('other task');
          })(),
        );
        const v = yield* sleep(-5, 'v');
        order.push(`slept ${v} at ${getRunningLoop().time()}`);
        return order;
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: ['other task', 'slept v at 0'] });
  });

  it('rejects NaN and non-numbers at the call site', () => {
    expect(() => sleep(Number.NaN)).toThrowError(RangeError, /NaN/);
    // asyncio raises ValueError('Invalid delay: NaN (not a number)'): ported `except ValueError`.
    expect(() => sleep(Number.NaN)).toThrowError(ValueError, /Invalid delay: NaN/);
    expect(() => sleep('1' as never)).toThrowError(TypeError, /milliseconds/);
  });

  it('does not start its timer until awaited (like a Python coroutine)', () => {
    const r = runVirtual(
      (function* () {
        const s = sleep(100, 'late');
        yield* sleep(50);
        const v = yield* s;
        return [v, getRunningLoop().time()];
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: ['late', 150] });
  });

  it('cancelled while sleeping: the timer is cancelled too (no timer left behind)', () => {
    const r = runVirtual(
      (function* () {
        const loop = getRunningLoop();
        const t = createTask(sleepLong());
        yield* sleep(1);
        t.cancel();
        yield* sleep(0);
        yield* sleep(0);
        return { timers: loop._timers.size, cancelled: t.cancelled() };
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: { timers: 0, cancelled: true } });
  });

  it('cancelled in the iteration its timer fell due (before it ran): CancelledError, timer count exact', () => {
    const r = runVirtual(
      (function* () {
        const loop = getRunningLoop();
        // A timer due at the same instant as t's sleep, and queued before it, cancels t inside
        // the iteration that took both out of the timer queue: t's timer is no longer queued.
        const handle = loop.callLater(1_000_000, () => t.cancel('at the deadline'));
        const t = createTask(sleepLong());
        expect(handle.when).toBe(1_000_000);
        const other = createTask(
          (function* () {
            yield* sleep(1_000_001);
          })(),
        );
        try {
          yield* t;
        } catch (e) {
          other.cancel();
          yield* sleep(0);
          return { err: (e as Error).message, at: loop.time(), timers: loop._timers.size };
        }
        return 'not cancelled';
      })(),
    );
    expect(r.outcome).toEqual({
      ok: true,
      value: { err: 'at the deadline', at: 1_000_000, timers: 0 },
    });
  });

  it('needs a running loop when awaited', () => {
    const it = sleep(10)[Symbol.iterator]; // creating is fine anywhere
    expect(typeof it).toBe('function');
    expect(() => [...(sleep(10) as Iterable<unknown>)]).toThrowError(/no running event loop/);
  });
});

function* sleepLong() {
  yield* sleep(1_000_000);
}
