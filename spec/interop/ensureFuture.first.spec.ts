import { EmptyError, finalize, interval, NEVER, Observable, of, throwError } from 'rxjs';
import {
  awaitable,
  createTask,
  ensureFuture,
  getRunningLoop,
  isCancelledError,
  sleep,
} from '../../src/index.js';
import { outcome } from '../support/outcome.js';

describe('ensureFuture / awaitable with { first: true }', () => {
  it('resolves with the first value and unsubscribes at once', () => {
    const events: string[] = [];
    const v = outcome(
      (function* () {
        const loop = getRunningLoop();
        const ticks = interval(10, loop.scheduler).pipe(
          finalize(() => events.push(`unsubscribed@${loop.time()}`)),
        );
        const first = yield* awaitable(ticks, { first: true });
        events.push(`got ${first}@${loop.time()}`);
        yield* sleep(100);
        return first;
      })(),
    );
    expect(v).toEqual({ ok: true, value: 0 });
    expect(events).toEqual(['unsubscribed@10', 'got 0@10']);
  });

  it('takes a synchronous first value without waiting for completion', () => {
    const v = outcome(
      (function* () {
        const fut = ensureFuture(
          new Observable<number>((s) => {
            s.next(1);
            s.next(2);
          }),
          { first: true },
        );
        return yield* fut;
      })(),
    );
    expect(v).toEqual({ ok: true, value: 1 });
  });

  it('rejects with EmptyError for an empty Observable and with the error of a failing one', () => {
    const v = outcome(
      (function* () {
        const errors: unknown[] = [];
        for (const obs of [of(), throwError(() => new Error('failed'))]) {
          try {
            yield* awaitable(obs, { first: true });
          } catch (e) {
            errors.push(e instanceof EmptyError ? 'empty' : (e as Error).message);
          }
        }
        return errors;
      })(),
    );
    expect(v).toEqual({ ok: true, value: ['empty', 'failed'] });
  });

  it('never settles for NEVER; cancelling the awaiting task unsubscribes', () => {
    let unsubscribedAt = -1;
    const v = outcome(
      (function* () {
        const loop = getRunningLoop();
        const waiting = createTask(
          (function* () {
            return yield* awaitable(NEVER.pipe(finalize(() => (unsubscribedAt = loop.time()))), {
              first: true,
            });
          })(),
        );
        yield* sleep(30);
        waiting.cancel();
        try {
          yield* waiting;
        } catch (e) {
          return isCancelledError(e);
        }
        return false;
      })(),
    );
    expect(v).toEqual({ ok: true, value: true });
    expect(unsubscribedAt).toBe(30);
  });

  it('is ignored for coroutines', () => {
    const v = outcome(
      (function* () {
        return yield* ensureFuture(
          (function* () {
            yield* sleep(0);
            return 'coro';
          })(),
          { first: true },
        );
      })(),
    );
    expect(v).toEqual({ ok: true, value: 'coro' });
  });
});
