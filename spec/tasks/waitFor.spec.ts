import { Observable } from 'rxjs';
import { expectTimeline, record, runVirtual } from '../../marbles/index.js';
import {
  CancelledError,
  type Coroutine,
  createTask,
  currentTask,
  getRunningLoop,
  sleep,
  TimeoutError,
  waitFor,
} from '../../src/index.js';
import { now } from './ticks.js';

function* after<T>(ms: number, value: T, log?: string[]): Coroutine<T> {
  yield* sleep(ms);
  log?.push(`${String(value)}@${now()}`);
  return value;
}

function outcome(e: unknown): string {
  if (e instanceof TimeoutError) {
    return `TimeoutError(cause=${e.cause instanceof CancelledError ? 'CancelledError' : String(e.cause)})@${now()}`;
  }
  return `${e instanceof Error ? e.name : String(e)}@${now()}`;
}

describe('waitFor', () => {
  it('returns the result when it comes in time (task, coroutine, awaitable)', () => {
    const r = runVirtual(
      (function* () {
        const a: string = yield* waitFor(createTask(after(10, 'task')), 100);
        const b: number = yield* waitFor(after(10, 2), 100);
        const c: string = yield* waitFor(sleep(10, 'sleep'), null);
        return [a, b, c, now()];
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: ['task', 2, 'sleep', 30] });
  });

  it('on timeout cancels the task, waits for its cleanup, then raises TimeoutError from CancelledError', () => {
    const { timeline, outcome: result } = record((tl) =>
      (function* () {
        const slow = createTask(
          (function* () {
            try {
              yield* sleep(1000);
            } finally {
              yield* sleep(25);
              tl.print('cleaned');
            }
          })(),
          { name: 'slow' },
        );
        try {
          yield* waitFor(slow, 100);
        } catch (e) {
          tl.print(outcome(e));
        }
        return [slow.cancelled(), currentTask()?.cancelling()];
      })(),
    );
    expect(result).toEqual({ ok: true, value: [true, 0] });
    // The deadline is at 100 ms; the TimeoutError waits for the cleanup that ends at 125 ms.
    expectTimeline(
      timeline,
      {
        slow: ' 125ms (c#)',
        main: ' 125ms (t|)',
      },
      { c: 'cleaned', t: 'TimeoutError(cause=CancelledError)@125' },
    );
  });

  it('returns the value of an awaitable that suppresses the cancellation', () => {
    const r = runVirtual(
      (function* () {
        return yield* waitFor(
          (function* () {
            try {
              yield* sleep(1000);
            } catch {
              return 'suppressed';
            }
            return 'slept';
          })(),
          100,
        );
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: 'suppressed' });
  });

  it('propagates an error raised during the cancellation instead of TimeoutError', () => {
    const r = runVirtual(
      (function* () {
        try {
          yield* waitFor(
            (function* () {
              try {
                yield* sleep(1000);
              } finally {
                throw new RangeError('cleanup failed');
              }
            })(),
            100,
          );
        } catch (e) {
          return outcome(e);
        }
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: 'RangeError@100' });
  });

  it('with 0 (or less) raises TimeoutError without starting a coroutine', () => {
    const log: string[] = [];
    const r = runVirtual(
      (function* () {
        for (const ms of [0, -5]) {
          try {
            yield* waitFor(
              (function* () {
                log.push(`started with ${ms}`); // before any suspension
                yield* sleep(0);
              })(),
              ms,
            );
          } catch (e) {
            log.push(outcome(e));
          }
        }
        const done = getRunningLoop().createFuture<string>();
        done.setResult('already');
        log.push(yield* waitFor(done, 0));
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: undefined });
    expect(log).toEqual([
      'TimeoutError(cause=CancelledError)@0',
      'TimeoutError(cause=CancelledError)@0',
      'already',
    ]);
  });

  it('cancels the awaited task when the caller is cancelled', () => {
    const { timeline, outcome: result } = record(() =>
      (function* () {
        const inner = createTask(after(1000, 'x'), { name: 'inner' });
        const caller = createTask(
          (function* () {
            return yield* waitFor(inner, 500);
          })(),
          { name: 'caller' },
        );
        yield* sleep(10);
        caller.cancel();
        try {
          yield* caller;
        } catch (e) {
          return [outcome(e), inner.cancelled(), caller.cancelled()];
        }
        return 'no error';
      })(),
    );
    expect(result).toEqual({ ok: true, value: ['CancelledError@10', true, true] });
    expectTimeline(timeline, {
      main: '  10ms |',
      caller: '10ms #',
      inner: ' 10ms #',
    });
  });

  it('never loses the caller’s cancellation, even if the awaitable finishes in the same iteration', () => {
    const r = runVirtual(
      (function* () {
        const inner = createTask(after(10, 'value'));
        let caller: { cancel(): boolean } | undefined;
        // Runs in the iteration after `inner` finished, before the caller wakes up.
        inner.addDoneCallback(() => caller?.cancel());
        const c = createTask(
          (function* () {
            return yield* waitFor(inner, 500);
          })(),
        );
        caller = c;
        try {
          yield* c;
        } catch (e) {
          return [outcome(e), c.cancelled(), inner.result()];
        }
        return 'cancellation lost';
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: ['CancelledError@10', true, 'value'] });
  });

  it('on timeout unsubscribes an Observable that never emits', () => {
    let unsubscribed = false;
    const never = new Observable<number>(() => () => {
      unsubscribed = true;
    });
    const r = runVirtual(
      (function* () {
        try {
          yield* waitFor(never, 50);
        } catch (e) {
          return [outcome(e), unsubscribed];
        }
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: ['TimeoutError(cause=CancelledError)@50', true] });
  });

  it('rejects a bad time limit and something that cannot be awaited', () => {
    expect(() => waitFor(sleep(1), Number.NaN)).toThrowError(RangeError);
    expect(() => waitFor(sleep(1), '5' as never)).toThrowError(TypeError);
    expect(() => waitFor(42 as never, 5)).toThrowError(TypeError, /awaitable/);
  });
});
