/**
 * Issue 14, item 5: a coroutine object given to two tasks ran once, and the other task returned
 * `undefined` (`gather(createTask(c), createTask(c))` gave `['result', undefined]`); a finished
 * coroutine given to `createTask` also returned `undefined`. asyncio raises
 * `RuntimeError('cannot reuse already awaited coroutine')`; so do we now, always (a task stamps
 * the coroutine it takes; the second task fails at its first step).
 */

import { runVirtual, virtualScheduler } from '../../../marbles/runVirtual.js';
import {
  type Coroutine,
  createTask,
  gather,
  RuntimeError,
  run,
  sleep,
} from '../../../src/index.js';

function* worker(): Coroutine<string> {
  yield* sleep(10);
  return 'result';
}

const reuse = /^cannot reuse already awaited coroutine/;

describe('regression: a coroutine object used twice ran once; the other task returned undefined', () => {
  it('two tasks of one coroutine: the second raises RuntimeError, the first still runs', () => {
    const r = runVirtual(
      (function* () {
        const c = worker();
        return yield* gather(createTask(c), createTask(c), { returnExceptions: true });
      })(),
    );
    expect(r.outcome?.ok).toBe(true);
    const [first, second] = (r.outcome as { value: [unknown, unknown] }).value;
    expect(first).toBe('result');
    expect(second).toBeInstanceOf(RuntimeError);
    expect((second as Error).message).toMatch(reuse);
  });

  it('a coroutine a task already finished: the new task raises RuntimeError', () => {
    const r = runVirtual(
      (function* () {
        const c = worker();
        const once = yield* createTask(c);
        try {
          yield* createTask(c);
          return 'no error';
        } catch (e) {
          return `${once} then ${(e as Error).name}: ${(e as Error).message}`;
        }
      })(),
    );
    expect(r.outcome?.ok).toBe(true);
    expect((r.outcome as { value: string }).value).toMatch(
      /^result then RuntimeError: cannot reuse already awaited coroutine/,
    );
  });

  it('run() of a coroutine a task already drove rejects with RuntimeError', async () => {
    const c = worker();
    const scheduler = virtualScheduler();
    const first = run(c, { scheduler });
    scheduler.flush();
    await expectAsync(first).toBeResolvedTo('result');
    const second = run(c, { scheduler });
    scheduler.flush();
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
