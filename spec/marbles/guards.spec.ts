import {
  DeadlockError,
  detectDeadlock,
  record,
  runVirtual,
  virtualScheduler,
} from '../../marbles/index.js';
import {
  createTask,
  EventLoop,
  getRunningLoop,
  SpinError,
  sleep,
  toThread,
  WorkerPool,
} from '../../src/index.js';

describe('spin guard', () => {
  it('stops a same-instant spin with a SpinError and a task dump, instead of hanging', () => {
    const run = record(() =>
      (function* () {
        createTask(
          (function* () {
            for (;;) yield* sleep(0);
          })(),
          { name: 'spinner' },
        );
        yield* sleep(10);
      })(),
    );
    expect(run.outcome?.ok).toBeFalse();
    const error = (run.outcome as { error: unknown }).error;
    expect(error).toEqual(jasmine.any(SpinError));
    expect((error as Error).message).toContain('without the clock advancing');
    expect((error as Error).message).toContain('name="spinner"');
    expect(run.time).toBe(0);
    expect(run.deadlock).toBeNull();
  });

  it('lets a long but finite same-instant burst finish', () => {
    const run = record(() =>
      (function* () {
        for (let i = 0; i < 50_000; i++) yield* sleep(0);
        return 'done';
      })(),
    );
    expect(run.outcome).toEqual({ ok: true, value: 'done' });
  });
});

describe('deadlock detection', () => {
  it('reports tasks waiting with nothing scheduled, with what each awaits', () => {
    const run = record(() =>
      (function* () {
        const never = getRunningLoop().createFuture<void>();
        const waiter = createTask(
          (function* () {
            yield* never;
          })(),
          { name: 'waiter' },
        );
        yield* sleep(5);
        yield* waiter;
      })(),
    );
    expect(run.outcome).toBeUndefined();
    expect(run.deadlock).toEqual(jasmine.any(DeadlockError));
    const msg = (run.deadlock as Error).message;
    expect(msg).toContain('deadlock at 5 ms: 2 task(s) still wait');
    expect(msg).toContain('<Task pending name="waiter" waiting on <Future pending>>');
    expect(msg).toContain('<Task pending name="main" waiting on <Task pending name="waiter"');
  });

  it('says to use a FakeExecutor when a task waits on a real toThread job', async () => {
    const pool = new WorkerPool({ maxWorkers: 1 });
    try {
      const run = record(() =>
        (function* () {
          getRunningLoop().setDefaultExecutor(pool);
          return yield* toThread((n: number) => n * 2, 21);
        })(),
      );
      const msg = (run.deadlock as Error).message;
      expect(msg).toContain('waiting on <job ');
      expect(msg).toContain('its worker answers in real time');
      expect(msg).toContain('FakeExecutor');
    } finally {
      await pool.shutdown();
    }
  });

  it('shows where each task was created in debug mode', () => {
    const run = runVirtual(
      (function* () {
        yield* getRunningLoop().createFuture<void>();
      })(),
      { debug: true },
    );
    run.loop.close(); // debug mode turns on stack capture until its loop closes
    const msg = (run.deadlock as Error).message;
    expect(msg).toMatch(/name="main"[^\n]*\n\s+created at \S/);
  });

  it('is not a deadlock while a timer is pending, nor once everything finished', () => {
    const scheduler = virtualScheduler();
    const loop = new EventLoop(scheduler);
    loop.createTask(
      (function* () {
        yield* sleep(100);
      })(),
    );
    scheduler.schedule(() => {
      expect(detectDeadlock(loop)).toBeNull();
    }, 50);
    scheduler.flush();
    expect(detectDeadlock(loop)).toBeNull();
    loop.close();
    expect(detectDeadlock(loop)).toBeNull();
  });

  it('is not reported for a run that ended normally', () => {
    expect(runVirtual((function* () {})()).deadlock).toBeNull();
  });
});
