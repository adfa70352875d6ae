// Offloading code in virtual time: the FakeExecutor completes jobs at scripted loop times.

import { FakeExecutor, runVirtual, virtualScheduler } from '../../marbles/index.js';
import {
  CancelledError,
  createTask,
  ExecutorShutdownError,
  getRunningLoop,
  Runner,
  sleep,
  TimeoutError,
  toThread,
  waitFor,
} from '../../src/index.js';

function double(n: number): number {
  return n * 2;
}

function fails(): never {
  throw new RangeError('no');
}

// The script below keys on function names; a bundler may rename a top-level function when specs
// are bundled together (esbuild made this one `double4`), so pin the names.
Object.defineProperty(double, 'name', { value: 'double' });
Object.defineProperty(fails, 'name', { value: 'fails' });

describe('FakeExecutor (virtual time)', () => {
  it('completes a job at its scripted time while other tasks run', () => {
    const fake = new FakeExecutor((job) => ({ after: 1500, value: `${job.name}(${job.args})` }));
    const events: string[] = [];
    const r = runVirtual(
      (function* () {
        const loop = getRunningLoop();
        createTask(
          (function* () {
            for (;;) {
              yield* sleep(1000);
              events.push(`${loop.time()} tick`);
            }
          })(),
        );
        const v = yield* toThread(double, 21);
        events.push(`${loop.time()} ${v}`);
        return v;
      })(),
      { setup: (loop) => loop.setDefaultExecutor(fake) },
    );
    expect(events).toEqual(['1000 tick', '1500 double(21)']);
    expect(r.outcome as unknown).toEqual({ ok: true, value: 'double(21)' });
    expect(fake.jobs.map((j) => [j.name, j.state, j.submittedAt, j.endedAt])).toEqual([
      ['double', 'result', 0, 1500],
    ]);
  });

  it('runs a self-contained function itself when the script gives only a time', () => {
    const fake = new FakeExecutor(() => ({ after: 200 }));
    const r = runVirtual(
      (function* () {
        return yield* toThread(double, 4);
      })(),
      { setup: (loop) => loop.setDefaultExecutor(fake) },
    );
    expect(r.outcome).toEqual({ ok: true, value: 8 });
    expect(r.time).toBe(200);
  });

  it('re-throws a scripted error, and an error of the function it runs', () => {
    const fake = new FakeExecutor((job) =>
      job.name === 'double' ? { after: 100, error: new TypeError('scripted') } : { after: 50 },
    );
    const seen: string[] = [];
    runVirtual(
      (function* () {
        for (const fn of [double, fails]) {
          try {
            yield* toThread(fn as (n: number) => number, 1);
          } catch (e) {
            seen.push(`${getRunningLoop().time()} ${(e as Error).name}: ${(e as Error).message}`);
          }
        }
      })(),
      { setup: (loop) => loop.setDefaultExecutor(fake) },
    );
    expect(seen).toEqual(['100 TypeError: scripted', '150 RangeError: no']);
    expect(fake.jobs.map((j) => j.state)).toEqual(['error', 'error']);
  });

  it('records a job cancelled by a timeout, at the time of the cancel', () => {
    const fake = new FakeExecutor(() => ({ after: 5000, value: 'late' }));
    const r = runVirtual(
      (function* () {
        return yield* waitFor(toThread(double, 1), 300);
      })(),
      { setup: (loop) => loop.setDefaultExecutor(fake) },
    );
    expect(r.outcome?.ok).toBe(false);
    expect((r.outcome as { error: unknown }).error).toBeInstanceOf(TimeoutError);
    expect(fake.jobs[0]?.state).toBe('cancelled');
    expect(fake.jobs[0]?.endedAt).toBe(300);
  });

  it('leaves a job pending until the test resolves it', () => {
    const fake = new FakeExecutor(() => undefined);
    const scheduler = virtualScheduler();
    const runner = new Runner({ scheduler });
    runner.loop.setDefaultExecutor(fake);
    let outcome: unknown;
    runner.start(
      (function* () {
        return yield* toThread(double, 1);
      })(),
      (o) => {
        outcome = o;
      },
    );
    scheduler.schedule(() => fake.jobs[0]?.resolve('by hand'), 700);
    scheduler.flush();
    expect(outcome).toEqual({ ok: true, value: 'by hand' });
    expect(fake.jobs[0]?.endedAt).toBe(700);
  });

  it('is shut down by run(): a job nobody awaits fails with ExecutorShutdownError', () => {
    const fake = new FakeExecutor(() => undefined);
    const r = runVirtual(
      (function* () {
        getRunningLoop()
          .runInExecutor(null, double, 1)
          .addDoneCallback((f) => f.exception());
        yield* sleep(100);
      })(),
      { setup: (loop) => loop.setDefaultExecutor(fake) },
    );
    expect(r.outcome).toEqual({ ok: true, value: undefined });
    expect(fake.isShutdown()).toBe(true);
    expect(fake.jobs[0]?.state).toBe('shutdown');
    expect(() =>
      fake.submit(r.loop, { kind: 'source', source: '() => 1', name: 'x' }, []),
    ).toThrowError(ExecutorShutdownError);
  });

  it('cancels the job of a task that run() cancels at exit', () => {
    const fake = new FakeExecutor(() => ({ after: 10_000, value: 1 }));
    let cancelled: unknown;
    const r = runVirtual(
      (function* () {
        createTask(
          (function* () {
            try {
              yield* toThread(double, 1);
            } catch (e) {
              cancelled = e;
              throw e;
            }
          })(),
        );
        yield* sleep(10);
      })(),
      { setup: (loop) => loop.setDefaultExecutor(fake) },
    );
    expect(r.time).toBe(10);
    expect(cancelled).toBeInstanceOf(CancelledError);
    expect(fake.jobs[0]?.state).toBe('cancelled');
  });

  it('pins an interleaving as a marble diagram', () => {
    const scheduler = virtualScheduler();
    scheduler.run(({ expectObservable }) => {
      const fake = new FakeExecutor((job) => ({ after: Number(job.args[0]), value: job.args[0] }));
      const runner = new Runner({ scheduler });
      runner.loop.setDefaultExecutor(fake);
      const main = runner.start(
        (function* () {
          const a = createTask(toThread(double, 3));
          const b = createTask(toThread(double, 5));
          return (yield* a) + (yield* b);
        })(),
        () => {},
      );
      expectObservable(main).toBe('-----(r|)', { r: 8 });
    });
  });
});
