import { of, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { FakeExecutor } from '../../marbles/index.js';
import { awaitable, mapToThread, run } from '../../src/index.js';

function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

function double(n: number): number {
  return n * 2;
}

function failOn3(n: number): number {
  if (n === 3) throw new RangeError('three');
  return n;
}

/** A fake pool: each job runs its own function after `value` ms of virtual time. */
function fakePool(): FakeExecutor {
  return new FakeExecutor((job) => ({ after: job.args[0] as number }));
}

describe('mapToThread: the RxJS operator checklist (with a scripted executor)', () => {
  it('never and empty', () => {
    const executor = fakePool();
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<number>('-').pipe(mapToThread(double, { executor }))).toBe('-');
      expectObservable(cold<number>('|').pipe(mapToThread(double, { executor }))).toBe('|');
    });
    expect(executor.jobs).toEqual([]);
  });

  it('one value: the job runs with (value, index), its result is emitted', () => {
    const executor = fakePool();
    testScheduler().run(({ cold, expectObservable }) => {
      const out = cold('a|', { a: 4 }).pipe(mapToThread(double, { executor }));
      expectObservable(out).toBe('----(x|)', { x: 8 });
    });
    expect(executor.jobs.map((j) => [j.args, j.state])).toEqual([[[4, 0], 'result']]);
  });

  it('many values: results in source order by default', () => {
    const executor = fakePool();
    testScheduler().run(({ cold, expectObservable }) => {
      const out = cold('(abc|)', { a: 5, b: 1, c: 3 }).pipe(mapToThread(double, { executor }));
      expectObservable(out).toBe('-----(xyz|)', { x: 10, y: 2, z: 6 });
    });
  });

  it('ordered: false emits results as they complete', () => {
    const executor = fakePool();
    testScheduler().run(({ cold, expectObservable }) => {
      const out = cold('(abc|)', { a: 5, b: 1, c: 3 }).pipe(
        mapToThread(double, { executor, ordered: false }),
      );
      expectObservable(out).toBe('-y-z-(x|)', { x: 10, y: 2, z: 6 });
    });
  });

  it('concurrency limits the jobs in flight; later values wait in order', () => {
    const executor = fakePool();
    testScheduler().run(({ cold, expectObservable }) => {
      const out = cold('(abc|)', { a: 2, b: 2, c: 2 }).pipe(
        mapToThread(double, { executor, concurrency: 1 }),
      );
      expectObservable(out).toBe('--x-y-(z|)', { x: 4, y: 4, z: 4 });
    });
    expect(executor.jobs.map((j) => j.submittedAt)).toEqual([0, 2, 4]);
  });

  it('source error: errors the output and cancels the jobs in flight', () => {
    const executor = fakePool();
    testScheduler().run(({ cold, expectObservable }) => {
      const out = cold('a-#', { a: 10 }).pipe(mapToThread(double, { executor }));
      expectObservable(out).toBe('--#');
    });
    expect(executor.jobs.map((j) => [j.state, j.endedAt])).toEqual([['cancelled', 2]]);
  });

  it('never-ending source: emits without completing', () => {
    const executor = fakePool();
    testScheduler().run(({ cold, expectObservable }) => {
      const out = cold('a---b---', { a: 1, b: 1 }).pipe(mapToThread(double, { executor }));
      expectObservable(out).toBe('-x---x--', { x: 2 });
    });
  });

  it('early unsubscribe: cancels the running job; a queued value never starts', () => {
    const executor = fakePool();
    testScheduler().run(({ cold, expectObservable }) => {
      const out = cold('(ab)', { a: 5, b: 5 }).pipe(
        mapToThread(double, { executor, concurrency: 1 }),
      );
      expectObservable(out, '^--!').toBe('---');
    });
    expect(executor.jobs.map((j) => [j.state, j.endedAt])).toEqual([['cancelled', 3]]);
  });

  it('a job that throws: errors the output with the job’s error', () => {
    const executor = fakePool();
    testScheduler().run(({ cold, expectObservable }) => {
      const out = cold('a-b-c|', { a: 1, b: 3, c: 1 }).pipe(mapToThread(failOn3, { executor }));
      expectObservable(out).toBe('-a---#', { a: 1 }, new RangeError('three'));
    });
  });

  it('refuses at the call a function that cannot travel to a worker', () => {
    const factor = 3;
    expect(() => mapToThread((n: number) => n * factor)).toThrowError(TypeError, /factor/);
    expect(() => mapToThread(double, { concurrency: 0 })).toThrowError(RangeError, /concurrency/);
  });
});

describe('mapToThread on real workers', () => {
  it('maps values on the default worker pool of the running loop (shut down by run)', async () => {
    const out = await run(
      (function* () {
        return yield* awaitable(
          of(1, 2, 3).pipe(mapToThread(double, { concurrency: 2 }), toArray()),
        );
      })(),
    );
    expect(out).toEqual([2, 4, 6]);
  });
});
