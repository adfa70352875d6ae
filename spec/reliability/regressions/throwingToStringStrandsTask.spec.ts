/**
 * Found by fault injection: the kernel put futures into strings with `${future}` on paths that
 * must not fail. A future whose `toString` throws then stranded the task that awaited it (awaited
 * from another loop: the step died before the task could get its RuntimeError; set with an
 * exception: `setException` died before scheduling the waiter), and `task.toString()` threw
 * while the task waited on it.
 */

import { runVirtual, virtualScheduler } from '../../../marbles/runVirtual.js';
import { EventLoop, Future, getRunningLoop, RuntimeError } from '../../../src/index.js';

class OpaqueFuture<T> extends Future<T> {
  override toString(): string {
    throw new Error('toString failed');
  }
}

describe('regression: a future whose toString throws', () => {
  it('awaited from another loop: the task gets a RuntimeError instead of hanging', () => {
    const r = runVirtual(
      (function* () {
        const foreign = new OpaqueFuture<number>(new EventLoop(virtualScheduler()));
        try {
          yield* foreign;
          return 'no error';
        } catch (e) {
          return e instanceof RuntimeError ? 'RuntimeError' : String(e);
        }
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: 'RuntimeError' });
    expect(r.reports).toEqual([]);
  });

  it('failed with setException: its waiter wakes with the error', () => {
    const r = runVirtual(
      (function* () {
        const loop = getRunningLoop();
        const fut = new OpaqueFuture<number>(loop);
        loop.callLater(5, () => fut.setException(new Error('E')));
        try {
          yield* fut;
        } catch (e) {
          return `${(e as Error).message} at ${loop.time()}`;
        }
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: 'E at 5' });
    expect(r.reports).toEqual([]);
  });

  it('task.toString() of a task waiting on it does not throw', () => {
    const r = runVirtual(
      (function* () {
        const loop = getRunningLoop();
        const fut = new OpaqueFuture<number>(loop);
        const t = loop.createTask(
          (function* () {
            return yield* fut;
          })(),
          { name: 'waiter' },
        );
        yield* loop.createTask((function* () {})()); // let the waiter start waiting
        const text = String(t);
        fut.setResult(1);
        yield* t;
        return text;
      })(),
    );
    expect(r.outcome?.ok).toBe(true);
    expect(r.outcome?.ok && r.outcome.value).toMatch(/^<Task pending name="waiter" waiting on /);
  });
});
