/**
 * Issue 14, item 5: a coroutine object given to two tasks ran once, and the other task returned
 * `undefined` (`gather(createTask(c), createTask(c))` gave `['result', undefined]`); the second
 * task in fact resumed the first one's generator. asyncio raises
 * `RuntimeError('cannot reuse already awaited coroutine')`; so do we now, always, for a coroutine
 * that something already started: a task's first step sends a token that a fresh generator
 * drops, and that any awaitable answers without effect, so the second task fails and the
 * coroutine stays with whoever drives it.
 *
 * Not detected: a coroutine that already finished (its `next()` returns what a fresh one that
 * returns `undefined` returns). Marking every coroutine a task takes would tell them apart, but
 * costs ~1.34x on spawn + join with a generator closure per task (a new hidden-class transition
 * per closure); see CHANGELOG, issue 14.
 */

import { runVirtual, virtualScheduler } from '../../../marbles/runVirtual.js';
import {
  type Coroutine,
  call,
  createTask,
  gather,
  RuntimeError,
  run,
  sleep,
  type Task,
} from '../../../src/index.js';

function* worker(): Coroutine<string> {
  yield* sleep(10);
  return 'result';
}

function* yieldsFirst(): Coroutine<string> {
  yield* sleep(0);
  yield* sleep(0);
  return 'yielded';
}

function* callsChild(): Coroutine<string> {
  return `called ${yield* call(worker())}`;
}

const reuse = /^cannot reuse already awaited coroutine: .* was started before/;

describe('regression: a coroutine object used twice ran once; the other task returned undefined', () => {
  const suspendedAt: ReadonlyArray<[string, () => Coroutine<string>, string]> = [
    ['a future (sleep(10))', worker, 'result'],
    ['sleep(0)', yieldsFirst, 'yielded'],
    ['a call() frame', callsChild, 'called result'],
  ];
  for (const [where, make, expected] of suspendedAt) {
    it(`two tasks of one coroutine suspended at ${where}: the second raises, the first runs on`, () => {
      const r = runVirtual(
        (function* () {
          const c = make();
          return yield* gather(createTask(c), createTask(c), { returnExceptions: true });
        })(),
      );
      expect(r.outcome?.ok).toBe(true);
      const [first, second] = (r.outcome as { value: [unknown, unknown] }).value;
      expect(first).toBe(expected);
      expect(second).toBeInstanceOf(RuntimeError);
      expect((second as Error).message).toMatch(reuse);
    });
  }

  it('a coroutine started inline by yield* and given to a task: the task raises', () => {
    const r = runVirtual(
      (function* () {
        const c = worker();
        const parent = createTask(
          (function* () {
            return yield* c; // drives c inline
          })(),
        );
        yield* sleep(1); // c is suspended in its sleep(10), under the parent
        const task: Task<string> = createTask(c);
        const [inline, again] = yield* gather(parent, task, { returnExceptions: true });
        return { inline, again };
      })(),
    );
    const value = (r.outcome as { value: { inline: unknown; again: unknown } }).value;
    expect(value.inline).toBe('result');
    expect(value.again).toBeInstanceOf(RuntimeError);
    expect((value.again as Error).message).toMatch(reuse);
  });

  it('run() of a coroutine a task of another run() drives rejects with RuntimeError', async () => {
    const c = worker();
    const scheduler = virtualScheduler();
    const first = run(c, { scheduler });
    const second = run(c, { scheduler });
    scheduler.flush();
    await expectAsync(first).toBeResolvedTo('result');
    await expectAsync(second).toBeRejectedWithError(RuntimeError, reuse);
  });

  it('a fresh coroutine object each time is fine', () => {
    const r = runVirtual(
      (function* () {
        return yield* gather(createTask(worker()), createTask(worker()));
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: ['result', 'result'] });
  });
});
