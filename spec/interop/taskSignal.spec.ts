import { runVirtual } from '../../marbles/index.js';
import {
  CancelledError,
  createTask,
  currentTask,
  getRunningLoop,
  RuntimeError,
  sleep,
  taskSignal,
} from '../../src/index.js';

describe('taskSignal', () => {
  it('aborts at once when the task is asked to cancel, before its cleanup ends', () => {
    const events: string[] = [];
    const r = runVirtual(
      (function* () {
        const loop = getRunningLoop();
        const child = createTask(
          (function* () {
            const signal = taskSignal();
            signal.addEventListener('abort', () => {
              const reason = signal.reason as Error;
              events.push(`abort ${reason.name}: ${reason.message}@${loop.time()}`);
            });
            try {
              yield* sleep(100);
            } finally {
              yield* sleep(20);
              events.push(`cleanup done@${loop.time()}`);
            }
          })(),
        );
        yield* sleep(10);
        child.cancel('stop');
        events.push(`cancel requested@${loop.time()}`);
        try {
          yield* child;
        } catch (e) {
          events.push(`child ${(e as Error).name}`);
        }
      })(),
    );
    expect(r.outcome?.ok).toBeTrue();
    expect(events).toEqual([
      'abort CancelledError: stop@10',
      'cancel requested@10',
      'cleanup done@30',
      'child CancelledError',
    ]);
  });

  it('aborts when the task finishes normally, and when cancelled through a task awaiting it', () => {
    const r = runVirtual(
      (function* () {
        let inner: AbortSignal | undefined;
        const finished = createTask(
          (function* () {
            yield* sleep(5);
            return taskSignal();
          })(),
        );
        const signal = yield* finished;
        const before = signal.aborted;
        yield* sleep(0);
        const outer = createTask(
          (function* () {
            const t = createTask(
              (function* () {
                inner = taskSignal();
                yield* sleep(100);
              })(),
            );
            yield* t;
          })(),
        );
        yield* sleep(1);
        outer.cancel();
        return [before, signal.aborted, inner?.aborted, inner?.reason instanceof CancelledError];
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: [false, true, true, true] });
  });

  it('gives the same signal for the same task; a done task gets an aborted one', () => {
    const r = runVirtual(
      (function* () {
        const same = taskSignal() === taskSignal(currentTask() ?? undefined);
        const done = createTask((function* () {})());
        yield* done;
        return [same, taskSignal(done).aborted];
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: [true, true] });
  });

  it('throws outside a task, and for a non-task argument', () => {
    expect(() => taskSignal()).toThrowError(RuntimeError, /no current task/);
    expect(() => taskSignal({} as never)).toThrowError(TypeError, /expected a Task/);
  });
});
