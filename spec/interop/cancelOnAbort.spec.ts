import { runVirtual } from '../../marbles/index.js';
import {
  cancelOnAbort,
  getRunningLoop,
  isCancelledError,
  RuntimeError,
  sleep,
} from '../../src/index.js';

function* slow(events: string[], ms: number) {
  const loop = getRunningLoop();
  events.push(`start@${loop.time()}`);
  try {
    yield* sleep(ms);
    return 'finished';
  } finally {
    yield* sleep(5);
    events.push(`finally@${loop.time()}`);
  }
}

function* slowCleanup(events: string[]) {
  const loop = getRunningLoop();
  try {
    yield* sleep(100);
  } finally {
    try {
      yield* sleep(20);
      events.push(`cleanup done@${loop.time()}`);
    } catch (e) {
      events.push(`cleanup interrupted: ${(e as Error).message}@${loop.time()}`);
      throw e;
    }
  }
}

describe('cancelOnAbort', () => {
  it('resolves with the coroutine’s result when the signal never aborts', () => {
    const events: string[] = [];
    const r = runVirtual(
      (function* () {
        return yield* cancelOnAbort(new AbortController().signal, slow(events, 10));
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: 'finished' });
    expect(r.time).toBe(15);
  });

  it('cancels the task when the signal aborts; its finally runs; awaiting raises CancelledError', () => {
    const events: string[] = [];
    const r = runVirtual(
      (function* () {
        const controller = new AbortController();
        getRunningLoop().callLater(20, () => controller.abort(new Error('user left')));
        const task = cancelOnAbort(controller.signal, slow(events, 100), { name: 'download' });
        try {
          yield* task;
        } catch (e) {
          return [isCancelledError(e), (e as Error).message, task.getName()];
        }
        return 'not cancelled';
      })(),
    );
    expect(r.outcome).toEqual({
      ok: true,
      value: [true, 'aborted: Error: user left', 'download'],
    });
    expect(events).toEqual(['start@0', 'finally@25']);
  });

  it('rejects with what the coroutine throws', () => {
    const r = runVirtual(
      (function* () {
        const task = cancelOnAbort(
          new AbortController().signal,
          (function* () {
            yield* sleep(5);
            throw new RangeError('bad input');
          })(),
        );
        try {
          yield* task;
        } catch (e) {
          return (e as Error).name;
        }
        return 'no error';
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: 'RangeError' });
  });

  it('an abort during the cleanup of an earlier cancellation interrupts that cleanup', () => {
    const events: string[] = [];
    const r = runVirtual(
      (function* () {
        const loop = getRunningLoop();
        const controller = new AbortController();
        const task = cancelOnAbort(controller.signal, slowCleanup(events));
        loop.callLater(10, () => task.cancel('first'));
        loop.callLater(12, () => controller.abort('second'));
        try {
          yield* task;
        } catch (e) {
          events.push(`${(e as Error).message}@${loop.time()}`);
        }
      })(),
    );
    expect(r.outcome?.ok).toBeTrue();
    expect(events).toEqual(['cleanup interrupted: aborted: "second"@12', 'aborted: "second"@12']);
  });

  it('never runs the body when the signal is already aborted', () => {
    const events: string[] = [];
    const r = runVirtual(
      (function* () {
        const task = cancelOnAbort(AbortSignal.abort('gone'), slow(events, 10));
        try {
          yield* task;
        } catch (e) {
          return (e as Error).message;
        }
        return 'ran';
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: 'aborted: "gone"' });
    expect(events).toEqual([]);
  });

  it('removes its listener once the task is done: a later abort changes nothing', () => {
    const r = runVirtual(
      (function* () {
        const controller = new AbortController();
        const task = cancelOnAbort(controller.signal, slow([], 1));
        const v = yield* task;
        yield* sleep(0);
        controller.abort();
        return [v, task.cancelled()];
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: ['finished', false] });
  });

  it('rejects a bad signal or coroutine, and runs only on a loop', () => {
    const signal = new AbortController().signal;
    expect(() => cancelOnAbort({} as never, slow([], 1))).toThrowError(TypeError, /AbortSignal/);
    expect(() => cancelOnAbort(signal, slow as never)).toThrowError(TypeError, /call it/);
    expect(() => cancelOnAbort(signal, slow([], 1))).toThrowError(
      RuntimeError,
      /no running event loop/,
    );
  });
});
