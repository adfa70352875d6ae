// Future's six fields are defined by Future for itself and for other subclasses, and by the hot
// subclasses (Task, a sleep's future, WaiterFuture, GatheringFuture) in their own initializers,
// so that no one store site sees many hidden classes (see DEFINES_FUTURE_FIELDS in Future.ts).
// These specs pin what that must keep: every kind of future starts with the same six fields, in
// the same order, with the same values, and the loop it was made on.
import { runVirtual, virtualScheduler } from '../../marbles/index.js';
import { EventLoop, Future, gather, getRunningLoop, sleep } from '../../src/index.js';
import { DEFINES_FUTURE_FIELDS } from '../../src/kernel/Future.js';
import { WaiterQueue } from '../../src/sync/WaiterQueue.js';

const FIELDS = ['_state', '_result', '_exception', '_loop', '_callbacks', '_x'];

class Mine extends Future<unknown> {
  extra = 1;
}

/** One fresh future of each kind, made inside a running loop; with the loop they were made on. */
function fresh(): { loop: EventLoop; made: Record<string, Future<unknown>> } {
  const r = runVirtual(
    (function* () {
      const loop = getRunningLoop();
      const task = loop.createTask(
        (function* () {
          yield* sleep(1000);
        })(),
      );
      const made: Record<string, Future<unknown>> = {
        plain: loop.createFuture<unknown>(),
        task,
        mine: new Mine(loop),
        waiter: new WaiterQueue<unknown>().wait(loop, 'spec'),
        gathering: gather(loop.createFuture<unknown>()) as Future<unknown>,
      };
      yield* sleep(0); // the task's first step: it starts its sleep
      made.sleeping = (task as unknown as { _futWaiter: Future<unknown> })._futWaiter;
      task.cancel();
      return { loop, made };
    })(),
  );
  const outcome = r.outcome;
  if (outcome === undefined || !outcome.ok) throw new Error(`the run failed: ${String(outcome)}`);
  return outcome.value;
}

describe('Future fields (one layout for every kind of future)', () => {
  it('every kind starts with the six fields in order: PENDING, no result, no callbacks, its loop', () => {
    const { loop, made } = fresh();
    expect(Object.keys(made).length).toBe(6);
    for (const [kind, fut] of Object.entries(made)) {
      expect(fut).withContext(kind).toBeInstanceOf(Future);
      expect(Object.keys(fut).slice(0, FIELDS.length)).withContext(kind).toEqual(FIELDS);
      const f = fut as unknown as Record<string, unknown>;
      expect(f._loop).withContext(kind).toBe(loop);
      expect(f._state === 0 || kind === 'task' || kind === 'gathering' || kind === 'sleeping')
        .withContext(`${kind} _state`)
        .toBeTrue();
    }
    // Never awaited or settled: no result, no exception, no callbacks; no extra record unless
    // labelled (a waiter's label is "spec").
    for (const kind of ['plain', 'mine', 'waiter']) {
      const f = made[kind] as unknown as Record<string, unknown>;
      expect([f._state, f._result, f._exception, f._callbacks])
        .withContext(kind)
        .toEqual([0, undefined, undefined, null]);
      expect(f._x === null || kind === 'waiter')
        .withContext(`${kind} _x`)
        .toBeTrue();
    }
  });

  it('a subclass that passes nothing gets its fields from Future; the token is not public', async () => {
    const index = await import('../../src/index.js');
    expect(Object.values(index as Record<string, unknown>)).not.toContain(DEFINES_FUTURE_FIELDS);
    const loop = new EventLoop(virtualScheduler());
    class Sub extends Future<number> {}
    const sub = new Sub(loop);
    sub.setResult(3);
    expect(sub.result()).toBe(3);
    loop.close();
  });
});
