import { Subject } from 'rxjs';
import { runVirtual, virtualScheduler } from '../../marbles/index.js';
import {
  CancelledError,
  EventLoop,
  Future,
  getRunningLoop,
  InvalidStateError,
  RuntimeError,
  sleep,
} from '../../src/index.js';

function newLoop(): { loop: EventLoop; flush: () => void } {
  const scheduler = virtualScheduler();
  const loop = new EventLoop(scheduler);
  loop.setExceptionHandler(() => {});
  return { loop, flush: () => scheduler.flush() };
}

describe('Future', () => {
  it('resolves: result(), done(), and an awaiting task gets the value', () => {
    const r = runVirtual(
      (function* () {
        const fut = getRunningLoop().createFuture<number>();
        getRunningLoop().callLater(100, () => fut.setResult(7));
        const v: number = yield* fut;
        return [v, fut.result(), fut.done(), fut.cancelled(), fut.exception()];
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: [7, 7, true, false, null] });
    expect(r.time).toBe(100);
  });

  it('rejects: the awaiting task gets the same error object', () => {
    const boom = new TypeError('boom');
    const r = runVirtual(
      (function* () {
        const fut = getRunningLoop().createFuture<number>();
        getRunningLoop().callSoon(() => fut.setException(boom));
        try {
          yield* fut;
          return 'no error';
        } catch (e) {
          return e;
        }
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: boom });
    expect(r.reports).toEqual([]);
  });

  it('never settles: result() and exception() say it is not done', () => {
    const { loop } = newLoop();
    const fut = loop.createFuture<number>();
    expect(fut.done()).toBeFalse();
    expect(() => fut.result()).toThrowError(InvalidStateError, /not set yet/);
    expect(() => fut.exception()).toThrowError(InvalidStateError, /not done yet/);
  });

  it('cancel() is immediate, returns false once done, and result() then throws CancelledError', () => {
    const { loop } = newLoop();
    const fut = loop.createFuture<number>();
    expect(fut.cancel('stop')).toBeTrue();
    expect(fut.cancelled()).toBeTrue();
    expect(fut.cancel()).toBeFalse();
    expect(() => fut.result()).toThrowError(CancelledError, 'stop');
    expect(() => fut.exception()).toThrowError(CancelledError);
  });

  it('refuses a second outcome, undefined and CancelledError as exceptions', () => {
    const { loop } = newLoop();
    const fut = loop.createFuture<number>();
    expect(() => fut.setException(undefined)).toThrowError(TypeError);
    expect(() => fut.setException(new CancelledError())).toThrowError(TypeError, /cancel/);
    fut.setResult(1);
    expect(() => fut.setResult(2)).toThrowError(InvalidStateError, /already done/);
    expect(() => fut.setException(new Error())).toThrowError(InvalidStateError);
  });

  it('runs done callbacks through the loop, in order, even when added after completion', () => {
    const { loop, flush } = newLoop();
    const fut = loop.createFuture<string>();
    const seen: string[] = [];
    fut.addDoneCallback((f) => seen.push(`1:${f.result()}`));
    fut.addDoneCallback(() => seen.push('2'));
    fut.setResult('x');
    expect(seen).toEqual([]); // not synchronously
    fut.addDoneCallback(() => seen.push('3 (added late)'));
    flush();
    expect(seen).toEqual(['1:x', '2', '3 (added late)']);
  });

  it('removeDoneCallback removes every registration and says how many', () => {
    const { loop, flush } = newLoop();
    const fut = loop.createFuture<void>();
    const seen: string[] = [];
    const cb = (): void => {
      seen.push('cb');
    };
    fut.addDoneCallback(cb);
    fut.addDoneCallback(() => seen.push('other'));
    fut.addDoneCallback(cb);
    expect(fut.removeDoneCallback(cb)).toBe(2);
    fut.setResult();
    flush();
    expect(seen).toEqual(['other']);
    expect(() => fut.addDoneCallback(null as never)).toThrowError(TypeError);
  });

  it('sends a done callback that throws to the exception handler', () => {
    const { loop, flush } = newLoop();
    const reports: unknown[] = [];
    loop.setExceptionHandler((_l, c) => {
      reports.push(c.exception);
    });
    const fut = loop.createFuture<void>();
    const err = new Error('callback failed');
    fut.addDoneCallback(() => {
      throw err;
    });
    fut.setResult();
    flush();
    expect(reports).toEqual([err]);
  });

  it('is an Observable: emits the result then completes; late subscribers get the stored outcome', () => {
    const { loop, flush } = newLoop();
    const fut = loop.createFuture<number>();
    const early: unknown[] = [];
    fut.subscribe({ next: (v) => early.push(v), complete: () => early.push('|') });
    fut.setResult(5);
    flush();
    const late: unknown[] = [];
    fut.subscribe({ next: (v) => late.push(v), complete: () => late.push('|') });
    expect(early).toEqual([5, '|']);
    expect(late).toEqual([5, '|']);
  });

  it('is an Observable that errors with the exception or a CancelledError; unsubscribe detaches', () => {
    const { loop, flush } = newLoop();
    const failed = loop.createFuture<number>();
    const cancelled = loop.createFuture<number>();
    const dropped = loop.createFuture<number>();
    const seen: unknown[] = [];
    failed.subscribe({ error: (e) => seen.push(e.message) });
    cancelled.subscribe({ error: (e) => seen.push(e instanceof CancelledError) });
    dropped.subscribe(() => seen.push('never')).unsubscribe();
    failed.setException(new Error('bad'));
    cancelled.cancel();
    dropped.setResult(1);
    flush();
    expect(seen).toEqual(['bad', true]);
  });

  it('is thenable: await future works from async code', async () => {
    const { loop, flush } = newLoop();
    const fut = loop.createFuture<string>();
    fut.setResult('ok');
    flush();
    expect(await fut).toBe('ok');
    const bad = loop.createFuture<string>();
    bad.setException(new Error('nope'));
    await expectAsync(Promise.resolve(bad)).toBeRejectedWithError('nope');
  });

  it('reports an exception nobody retrieved when the loop closes, and not a retrieved one', () => {
    const { loop } = newLoop();
    const reports: string[] = [];
    loop.setExceptionHandler((_l, c) => {
      reports.push(`${c.message}: ${(c.exception as Error).message}`);
    });
    loop.createFuture().setException(new Error('lost'));
    const seen = loop.createFuture();
    seen.setException(new Error('seen'));
    seen.exception();
    loop.close();
    expect(reports).toEqual(['Future exception was never retrieved: lost']);
  });

  it('raises instead of dropping its callbacks when completed after its loop closed', () => {
    const { loop } = newLoop();
    const quiet = loop.createFuture<number>();
    const watched = loop.createFuture<number>();
    watched.addDoneCallback(() => {});
    loop.close();
    expect(() => quiet.setResult(1)).not.toThrow(); // nobody to tell
    expect(() => watched.setResult(1)).toThrowError(RuntimeError, /closed/);
  });

  it('refuses to be awaited from a task of another loop', () => {
    const { loop: other } = newLoop();
    const foreign = other.createFuture<number>();
    const r = runVirtual(
      (function* () {
        return yield* foreign;
      })(),
    );
    expect(r.outcome?.ok).toBeFalse();
    expect((r.outcome as { error: unknown }).error).toEqual(jasmine.any(RuntimeError));
    expect(String((r.outcome as { error: Error }).error.message)).toContain('different event loop');
  });

  it('needs a loop: new Future() outside a running loop says how to get one', () => {
    expect(() => new Future()).toThrowError(RuntimeError, /no running event loop/);
  });

  it('shows its state in toString()', () => {
    const { loop } = newLoop();
    const fut = loop.createFuture<number>();
    expect(String(fut)).toBe('<Future pending>');
    fut.setResult(3);
    expect(String(fut)).toBe('<Future result=3>');
  });

  it('does not yield when awaited already done (no loop iteration is spent)', () => {
    const r = runVirtual(
      (function* () {
        const loop = getRunningLoop();
        const order: string[] = [];
        const done = loop.createFuture<number>();
        done.setResult(1);
        loop.callSoon(() => order.push('other callback'));
        yield* done;
        order.push('after awaiting a done future');
        yield* sleep(0);
        return order;
      })(),
    );
    expect(r.outcome).toEqual({
      ok: true,
      value: ['after awaiting a done future', 'other callback'],
    });
  });

  it('lets several tasks awaiting one future resume in the order they began waiting', () => {
    const r = runVirtual(
      (function* () {
        const loop = getRunningLoop();
        const fut = loop.createFuture<void>();
        const order: string[] = [];
        const waiter = function* (name: string) {
          yield* fut;
          order.push(name);
        };
        const tasks = ['c', 'a', 'b'].map((n) => loop.createTask(waiter(n)));
        yield* sleep(0);
        fut.setResult();
        for (const t of tasks) yield* t;
        return order;
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: ['c', 'a', 'b'] });
  });

  it('works as the target of a Subject-driven resolution', () => {
    const { loop, flush } = newLoop();
    const fut = loop.createFuture<number>();
    const s = new Subject<number>();
    s.subscribe((v) => fut.setResult(v));
    s.next(9);
    flush();
    expect(fut.result()).toBe(9);
  });
});
