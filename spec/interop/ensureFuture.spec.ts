import { EmptyError, NEVER, Observable, of, throwError, timer } from 'rxjs';
import { runVirtual } from '../../marbles/index.js';
import {
  awaitable,
  createTask,
  EventLoop,
  ensureFuture,
  type Future,
  getRunningLoop,
  isCancelledError,
  run,
  sleep,
  Task,
} from '../../src/index.js';
import { outcome } from '../support/outcome.js';

describe('ensureFuture', () => {
  it('returns a Future or Task as it is, wraps a coroutine and any awaitable in a Task', () => {
    const v = outcome(
      (function* () {
        const fut = getRunningLoop().createFuture<number>();
        const t = ensureFuture(
          (function* () {
            return 1;
          })(),
        );
        const s = ensureFuture(sleep(5, 'slept'));
        return [
          ensureFuture(fut) === fut,
          t instanceof Task,
          s instanceof Task,
          yield* t,
          yield* s,
        ];
      })(),
    );
    expect(v).toEqual({ ok: true, value: [true, true, true, 1, 'slept'] });
  });

  it('awaits an Observable’s last value (virtual time via the same scheduler)', () => {
    const v = outcome(
      (function* () {
        const last = yield* ensureFuture(of('a', 'b', 'c'));
        const timed = yield* awaitable(timer(250, getRunningLoop().scheduler));
        return [last, timed, getRunningLoop().time()];
      })(),
    );
    expect(v).toEqual({ ok: true, value: ['c', 0, 250] });
  });

  it('rejects: an Observable error or an empty Observable (EmptyError)', () => {
    const v = outcome(
      (function* () {
        const errs: unknown[] = [];
        try {
          yield* ensureFuture(throwError(() => new Error('obs failed')));
        } catch (e) {
          errs.push((e as Error).message);
        }
        try {
          yield* ensureFuture(of());
        } catch (e) {
          errs.push(e instanceof EmptyError);
        }
        return errs;
      })(),
    );
    expect(v).toEqual({ ok: true, value: ['obs failed', true] });
  });

  it('unsubscribes the Observable when the awaiting task is cancelled', () => {
    let subscribed = 0;
    let unsubscribed = 0;
    const tracked = new Observable<number>(() => {
      subscribed++;
      return () => unsubscribed++;
    });
    const v = outcome(
      (function* () {
        const t = createTask(
          (function* () {
            yield* awaitable(tracked);
          })(),
        );
        yield* sleep(10);
        t.cancel();
        try {
          yield* t;
        } catch (e) {
          return [isCancelledError(e), subscribed, unsubscribed];
        }
        return 'not cancelled';
      })(),
    );
    expect(v).toEqual({ ok: true, value: [true, 1, 1] });
  });

  it('subscribes lazily with awaitable(), eagerly with ensureFuture()', () => {
    let subs = 0;
    const counted = new Observable<number>((s) => {
      subs++;
      s.next(1);
      s.complete();
    });
    const v = outcome(
      (function* () {
        const lazy = awaitable(counted);
        const before = subs;
        ensureFuture(counted);
        const afterEager = subs;
        yield* lazy;
        return [before, afterEager, subs];
      })(),
    );
    expect(v).toEqual({ ok: true, value: [0, 1, 2] });
  });

  it('never settles for NEVER, and a timeout-like cancel ends it cleanly', () => {
    const r = runVirtual(
      (function* () {
        const fut = ensureFuture(NEVER);
        getRunningLoop().callLater(100, () => fut.cancel('gave up'));
        try {
          yield* fut;
        } catch (e) {
          return `${isCancelledError(e)} ${(e as Error).message} at ${getRunningLoop().time()}`;
        }
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: 'true gave up at 100' });
  });

  it('awaits Promises (real microtasks) and their rejections', async () => {
    const v = await run(
      (function* () {
        const a = yield* ensureFuture(Promise.resolve(5));
        try {
          yield* awaitable(Promise.reject(new Error('rejected')));
        } catch (e) {
          return [a, (e as Error).message];
        }
        return [a, 'no error'];
      })(),
    );
    expect(v).toEqual([5, 'rejected']);
  });

  it('gives a clear TypeError for things that are not awaitable', () => {
    const v = outcome(
      (function* () {
        const msgs: string[] = [];
        for (const bad of [[1, 2], 'str', 42, null, {}]) {
          try {
            ensureFuture(bad as never);
          } catch (e) {
            msgs.push(`${(e as Error).name}`);
          }
        }
        return msgs;
      })(),
    );
    expect(v).toEqual({
      ok: true,
      value: ['TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError'],
    });
    expect(() => awaitable(3 as never)).toThrowError(TypeError);
  });

  it('refuses a future of another loop when a loop is given', () => {
    const v = outcome(
      (function* () {
        const fut: Future<number> = getRunningLoop().createFuture();
        const other = new EventLoop(getRunningLoop().scheduler);
        try {
          ensureFuture(fut, { loop: other });
        } catch (e) {
          return (e as Error).message;
        }
        return 'accepted';
      })(),
    );
    expect((v as { value: string }).value).toContain('different loop');
  });
});
