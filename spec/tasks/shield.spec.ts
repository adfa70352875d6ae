import { expectTimeline, record, runVirtual } from '../../marbles/index.js';
import {
  CancelledError,
  type Coroutine,
  createTask,
  currentTask,
  getRunningLoop,
  shield,
  sleep,
} from '../../src/index.js';
import { now } from './ticks.js';

function* after<T>(ms: number, value: T): Coroutine<T> {
  yield* sleep(ms);
  return value;
}

describe('shield', () => {
  it('passes the result through', () => {
    const r = runVirtual(
      (function* () {
        const v: string = yield* shield(after(10, 'v'));
        return [v, now()];
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: ['v', 10] });
  });

  it('passes an error through', () => {
    const r = runVirtual(
      (function* () {
        try {
          yield* shield(
            (function* () {
              yield* sleep(5);
              throw new RangeError('inner failed');
            })(),
          );
        } catch (e) {
          return (e as Error).message;
        }
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: 'inner failed' });
  });

  it('returns an awaitable that is already done as it is', () => {
    const r = runVirtual(
      (function* () {
        const f = getRunningLoop().createFuture<number>();
        f.setResult(1);
        return shield(f) === f;
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: true });
  });

  it('cancelling the caller leaves the shielded task running', () => {
    const r = record((tl) =>
      (function* () {
        const inner = createTask(after(100, 'inner'), { name: 'inner' });
        const caller = createTask(
          (function* () {
            return yield* shield(inner);
          })(),
          { name: 'caller' },
        );
        yield* sleep(10);
        caller.cancel();
        try {
          yield* caller;
        } catch (e) {
          expect(e).toBeInstanceOf(CancelledError);
          tl.print('c');
        }
        tl.emit(yield* inner);
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: undefined });
    // c: main caught the caller's CancelledError; i: the inner task's result, at 100 as planned.
    // biome-ignore format: an aligned marble diagram
    const expected = {
      caller: '10ms #',
      inner:  '100ms |',
      main:   '10ms c 89ms (i|)',
    };
    expectTimeline(r.timeline, expected, { c: 'c', i: 'inner' });
  });

  it('reports the error of an inner abandoned by its caller (never silently lost)', () => {
    const r = runVirtual(
      (function* () {
        const caller = createTask(
          (function* () {
            return yield* shield(
              (function* () {
                yield* sleep(50);
                throw new Error('nobody listens');
              })(),
            );
          })(),
        );
        yield* sleep(10);
        caller.cancel();
        yield* sleep(100);
        return caller.cancelled();
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: true });
    expect(r.reports.map((c) => [c.message, (c.exception as Error).message])).toEqual([
      ['Task exception was never retrieved', 'nobody listens'],
    ]);
  });

  it('an inner cancelled by someone else makes the caller see CancelledError, uncancelled', () => {
    const r = runVirtual(
      (function* () {
        const inner = createTask(after(100, 'x'));
        getRunningLoop().callLater(10, () => inner.cancel('from elsewhere'));
        try {
          yield* shield(inner);
        } catch (e) {
          return [e instanceof CancelledError, now(), currentTask()?.cancelling()];
        }
        return 'no error';
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: [true, 10, 0] });
  });

  it('a shield that is never awaited does not keep the inner from finishing', () => {
    const r = runVirtual(
      (function* () {
        const inner = createTask(after(10, 'x'));
        const s = shield(inner);
        s.cancel();
        return [yield* inner, s.cancelled()];
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: ['x', true] });
  });

  it('rejects something that cannot be awaited', () => {
    const r = runVirtual(
      (function* () {
        try {
          shield(5 as never);
        } catch (e) {
          return e instanceof TypeError;
        }
        return false;
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: true });
  });
});
