/**
 * Fault injection: each fault must end in a clear, reported error (or one the program receives)
 * and leave the loop usable: after the fault the program sleeps and checks the virtual clock.
 * Faults with the default console handler are in regressions/defaultHandlerUnconvertibleException.
 */
import { Observable, throwError } from 'rxjs';
import { runVirtual } from '../../marbles/runVirtual.js';
import { DeadlockError } from '../../src/errors.js';
import {
  awaitable,
  CancelledError,
  type Coroutine,
  createTask,
  getRunningLoop,
  SpinError,
  sleep,
  TimeoutError,
  waitFor,
} from '../../src/index.js';

/** Proves the loop still works: a timer fires on time after the fault. */
function* stillUsable(): Coroutine<string> {
  const loop = getRunningLoop();
  const t0 = loop.time();
  yield* sleep(5);
  return loop.time() - t0 === 5 ? 'usable' : 'broken clock';
}

describe('reliability: fault injection', () => {
  it('a done callback that throws is reported; later callbacks and the awaiting task still run', () => {
    const order: string[] = [];
    const r = runVirtual(
      (function* () {
        const fut = getRunningLoop().createFuture<number>();
        fut.addDoneCallback(() => {
          throw new Error('callback failed');
        });
        fut.addDoneCallback(() => order.push('second callback'));
        getRunningLoop().callLater(1, () => fut.setResult(7));
        order.push(`awaited ${yield* fut}`);
        return yield* stillUsable();
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: 'usable' });
    expect(order).toEqual(['second callback', 'awaited 7']);
    expect(r.reports.map((x) => [x.message, String(x.exception)])).toEqual([
      ['Exception in callback (anonymous)', 'Error: callback failed'],
    ]);
  });

  it('an exception handler that throws: both errors go to the default handler, the loop runs on', () => {
    const errorSpy = spyOn(console, 'error');
    const r = runVirtual(
      (function* () {
        getRunningLoop().setExceptionHandler(() => {
          throw new Error('handler failed');
        });
        getRunningLoop().callSoon(() => {
          throw new Error('callback failed');
        });
        return yield* stillUsable();
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: 'usable' });
    const printed = errorSpy.calls.allArgs().map((a) => String(a[0]));
    expect(printed.length).toBe(2);
    expect(printed[0]).toMatch(/^Unhandled error in exception handler[\s\S]*handler failed/);
    expect(printed[1]).toMatch(/^Exception in callback[\s\S]*callback failed/);
  });

  it('a finally that throws during cancellation: the task fails with that error, its awaiter gets it', () => {
    const r = runVirtual(
      (function* () {
        const t = createTask(
          (function* () {
            try {
              yield* sleep(100);
            } finally {
              yield* sleep(1); // async cleanup first
              throw new RangeError('cleanup failed');
            }
          })(),
        );
        yield* sleep(10);
        t.cancel();
        let got: unknown;
        try {
          yield* t;
        } catch (e) {
          got = e;
        }
        expect(got).toBeInstanceOf(RangeError);
        expect(t.cancelled()).toBe(false);
        expect(getRunningLoop().time()).toBe(11);
        return yield* stillUsable();
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: 'usable' });
    expect(r.reports).toEqual([]);
  });

  it('a finally that throws during cancellation, nobody awaiting: reported once', () => {
    const r = runVirtual(
      (function* () {
        const t = createTask(
          (function* () {
            try {
              yield* sleep(100);
            } finally {
              throw new RangeError('cleanup failed');
            }
          })(),
          { name: 'leaky' },
        );
        yield* sleep(10);
        t.cancel();
        return yield* stillUsable();
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: 'usable' });
    expect(r.reports.map((x) => [x.message, String(x.exception), x.task?.getName()])).toEqual([
      ['Task exception was never retrieved', 'RangeError: cleanup failed', 'leaky'],
    ]);
  });

  it('a value whose toString throws does not break task dumps or reports', () => {
    const hostile = {
      toString(): string {
        throw new Error('toString failed');
      },
    };
    const r = runVirtual(
      (function* () {
        const t = createTask(
          (function* () {
            return hostile;
          })(),
        );
        const u = createTask(
          (function* () {
            throw hostile;
          })(),
          { name: 'throws-hostile' },
        );
        yield* sleep(1);
        expect(String(t)).toMatch(/^<Task result=/);
        expect(String(u)).toMatch(/^<Task exception=/);
        expect(getRunningLoop().dumpTasks()).toContain('name="main"');
        return yield* stillUsable();
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: 'usable' });
    expect(r.reports.map((x) => [x.message, x.exception === undefined])).toEqual([
      ['Task exception was never retrieved', false],
    ]);
  });

  it('an Observable that errors synchronously on subscribe: the awaiting task gets the error', () => {
    const r = runVirtual(
      (function* () {
        const got: string[] = [];
        for (const source of [
          throwError(() => new TypeError('sync error')),
          new Observable<never>(() => {
            throw new TypeError('subscribe threw');
          }),
        ]) {
          try {
            yield* awaitable(source);
          } catch (e) {
            got.push(String(e));
          }
        }
        expect(got).toEqual(['TypeError: sync error', 'TypeError: subscribe threw']);
        return yield* stillUsable();
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: 'usable' });
    expect(r.reports).toEqual([]);
  });

  it('a Promise that never settles: waitFor times out on the virtual clock', () => {
    const r = runVirtual(
      (function* () {
        try {
          yield* waitFor(awaitable(new Promise<never>(() => {})), 50);
          return 'settled?';
        } catch (e) {
          expect(e).toBeInstanceOf(TimeoutError);
          expect((e as Error).cause).toBeInstanceOf(CancelledError);
        }
        expect(getRunningLoop().time()).toBe(50);
        return yield* stillUsable();
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: 'usable' });
    // The Promise boundary warns that a Promise met virtual time.
    expect(r.reports.map((x) => x.message)).toEqual([
      jasmine.stringMatching(/^warning: a Promise/),
    ]);
  });

  it('a task that spins in one virtual instant: the run ends with a SpinError, reported once', () => {
    const r = runVirtual(
      (function* () {
        createTask(
          (function* () {
            for (;;) yield* sleep(0);
          })(),
          { name: 'spinner' },
        );
        yield* sleep(10);
        return 'unreachable';
      })(),
      { spinLimit: 10_000 },
    );
    expect(r.outcome?.ok).toBe(false);
    const error = r.outcome?.ok === false ? r.outcome.error : undefined;
    expect(error).toBeInstanceOf(SpinError);
    expect(String((error as Error).message)).toContain('spinner');
    expect(r.reports.filter((x) => x.exception === error).length).toBe(1);
  });

  it('a Promise that never settles, awaited without a deadline: the run reports a deadlock', () => {
    const r = runVirtual(
      (function* () {
        yield* awaitable(new Promise<never>(() => {}));
      })(),
    );
    expect(r.outcome).toBeUndefined();
    expect(r.deadlock).toBeInstanceOf(DeadlockError);
    expect(r.deadlock?.message).toMatch(/Promise/);
    r.loop.close(); // what a test does after a deadlock: the pending task is reported
    expect(r.reports.map((x) => x.message)).toContain('Task was destroyed but it is pending!');
  });
});
