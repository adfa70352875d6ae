import { asyncScheduler } from 'rxjs';
import { runVirtual, virtualScheduler } from '../../marbles/index.js';
import {
  type Coroutine,
  createTask,
  getRunningLoop,
  isCancelledError,
  Runner,
  RuntimeError,
  run,
  sleep,
  ValueError,
} from '../../src/index.js';

describe('run', () => {
  it('resolves its Promise with main’s result (virtual time: flush, then await)', async () => {
    const scheduler = virtualScheduler();
    const p = run(
      (function* () {
        yield* sleep(60_000);
        return 'an hour of work in no time';
      })(),
      { scheduler },
    );
    scheduler.flush();
    expect(await p).toBe('an hour of work in no time');
  });

  it('rejects its Promise with main’s error', async () => {
    const scheduler = virtualScheduler();
    const p = run(
      (function* () {
        yield* sleep(1);
        throw new RangeError('main failed');
      })(),
      { scheduler },
    );
    scheduler.flush();
    await expectAsync(p).toBeRejectedWithError(RangeError, 'main failed');
  });

  it('runs with the real default scheduler too', async () => {
    const v = await run(
      (function* () {
        yield* sleep(0);
        return getRunningLoop().scheduler;
      })(),
    );
    expect(v).toBe(asyncScheduler);
  });

  it('cancels every task still pending when main returns and waits for their async cleanup', () => {
    const log: string[] = [];
    const r = runVirtual(
      (function* () {
        createTask(
          (function* () {
            try {
              yield* sleep(1_000_000);
            } finally {
              log.push(`cleanup starts at ${getRunningLoop().time()}`);
              yield* sleep(30);
              log.push(`cleanup ends at ${getRunningLoop().time()}`);
            }
          })(),
        );
        yield* sleep(10);
        return 'main done';
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: 'main done' });
    expect(log).toEqual(['cleanup starts at 10', 'cleanup ends at 40']);
    expect(r.time).toBe(40);
    expect(r.loop.isClosed()).toBeTrue();
  });

  it('still waits for a task that swallows the cancellation and keeps sleeping', () => {
    const r = runVirtual(
      (function* () {
        createTask(
          (function* () {
            try {
              yield* sleep(1_000_000);
            } catch {
              yield* sleep(500); // swallowed: keeps working
            }
          })(),
        );
        yield* sleep(0);
      })(),
    );
    expect(r.outcome?.ok).toBeTrue();
    expect(r.time).toBe(500);
  });

  it('reports errors raised during that cleanup, and still resolves with main’s result', () => {
    const r = runVirtual(
      (function* () {
        createTask(
          (function* () {
            try {
              yield* sleep(1000);
            } finally {
              throw new Error('cleanup failed');
            }
          })(),
          { name: 'sloppy' },
        );
        yield* sleep(0);
        return 42;
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: 42 });
    expect(r.reports.map((c) => c.message)).toEqual(['unhandled exception during run() shutdown']);
    expect((r.reports[0]!.exception as Error).message).toBe('cleanup failed');
    expect(r.reports[0]!.task?.getName()).toBe('sloppy');
  });

  it('also cancels tasks created during the shutdown itself', () => {
    const log: string[] = [];
    const r = runVirtual(
      (function* () {
        createTask(
          (function* () {
            try {
              yield* sleep(1000);
            } finally {
              createTask(
                (function* () {
                  try {
                    yield* sleep(1000);
                  } catch (e) {
                    log.push(`late task cancelled: ${isCancelledError(e)}`);
                  }
                })(),
              );
            }
          })(),
        );
        yield* sleep(0);
      })(),
    );
    expect(r.outcome?.ok).toBeTrue();
    expect(log).toEqual(['late task cancelled: true']);
  });

  it('refuses a non-coroutine with a ValueError and advice (test_asyncio_run_only_coro)', () => {
    function* main(): Coroutine<void> {}
    expect(() => run(main as never)).toThrowError(ValueError, /call it, run\(main\w*\(\)\)/);
    expect(() => run(1 as never)).toThrowError(ValueError, /a coroutine was expected/);
    expect(() => run(Promise.resolve(1) as never)).toThrowError(ValueError);
  });

  it('refuses run() inside run()', () => {
    const r = runVirtual(
      (function* () {
        run((function* () {})());
      })(),
    );
    expect(r.outcome?.ok).toBeFalse();
    expect((r.outcome as { error: unknown }).error).toEqual(jasmine.any(RuntimeError));
  });

  it('a Runner starts one main only, and ends a spinning program with its SpinError', () => {
    const scheduler = virtualScheduler();
    const runner = new Runner({ scheduler, spinLimit: 1000, exceptionHandler: () => {} });
    let outcome: unknown;
    runner.start(
      (function* () {
        for (;;) yield* sleep(0);
      })(),
      (o) => {
        outcome = o;
      },
    );
    expect(() => runner.start((function* () {})(), () => {})).toThrowError(RuntimeError);
    scheduler.flush();
    expect((outcome as { ok: boolean; error: Error }).error.name).toBe('SpinError');
  });
});
