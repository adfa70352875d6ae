import { TestScheduler } from 'rxjs/testing';
import { marbles } from 'rxjs-marbles';
import { CoroutineHarness, DeadlockError, type Timeline } from '../../marbles/index.js';
import { CancelledError, type Coroutine, SpinError, sleep } from '../../src/index.js';

function* worker(tl: Timeline): Coroutine<string> {
  yield* sleep(5);
  tl.print('working');
  yield* sleep(20);
  return 'done';
}

function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('CoroutineHarness on TestScheduler.run', () => {
  it('starts a task at a given frame and asserts its lane and result as marbles', () => {
    const scheduler = testScheduler();
    const h = new CoroutineHarness(scheduler);
    scheduler.run(({ expectObservable }) => {
      const result = h.startAt(10, 'worker', worker);
      expectObservable(h.lane('worker')).toBe('15ms w 19ms |', { w: 'working' });
      expectObservable(result).toBe('35ms (d|)', { d: 'done' });
    });
    h.verify();
  });

  it('cancels a task at a given frame: the lane and result error with CancelledError', () => {
    const scheduler = testScheduler();
    const h = new CoroutineHarness(scheduler);
    scheduler.run(({ expectObservable }) => {
      const result = h.startAt(10, 'worker', worker);
      h.cancelAt(30, 'worker', 'enough');
      expectObservable(h.lane('worker')).toBe(
        '15ms w 14ms #',
        { w: 'working' },
        new CancelledError('enough'),
      );
      expectObservable(result).toBe('30ms #', undefined, new CancelledError('enough'));
    });
    expect(h.task('worker')?.cancelled()).toBeTrue();
    h.verify();
  });

  it('cancels a task before it started: its body never runs', () => {
    const scheduler = testScheduler();
    const h = new CoroutineHarness(scheduler);
    scheduler.run(({ expectObservable }) => {
      h.startAt(10, 'worker', worker);
      h.cancelAt(10, 'worker');
      expectObservable(h.lane('worker')).toBe('10ms #', undefined, new CancelledError());
    });
    expect(h.timeline.select(['print'])).toEqual([]);
  });

  it('runs a coroutine as a cold Observable: subscribe starts, unsubscribe cancels', () => {
    const scheduler = testScheduler();
    const h = new CoroutineHarness(scheduler);
    let cleaned = -1;
    scheduler.run(({ expectObservable }) => {
      const obs = h.coroutine('job', function* () {
        try {
          yield* sleep(100);
          return 'late';
        } finally {
          cleaned = scheduler.now();
        }
      });
      expectObservable(obs, '^ 19ms !').toBe('');
    });
    expect(cleaned).toBe(20);
  });

  it('verify() reports a deadlock with a task dump', () => {
    const scheduler = testScheduler();
    const h = new CoroutineHarness(scheduler);
    scheduler.run(() => {
      h.startAt(0, 'stuck', function* () {
        yield* h.loop.createFuture<void>();
      });
    });
    expect(() => h.verify()).toThrowMatching(
      (e) => e instanceof DeadlockError && e.message.includes('name="stuck"'),
    );
  });

  it('verify() reports a same-instant spin instead of hanging', () => {
    const scheduler = testScheduler();
    const h = new CoroutineHarness(scheduler, { spinLimit: 1000 });
    scheduler.run(() => {
      h.startAt(3, 'spinner', function* () {
        for (;;) yield* sleep(0);
      });
    });
    expect(() => h.verify()).toThrowError(SpinError, /name="spinner"/);
  });

  it('rejects bad times and duplicate names', () => {
    const h = new CoroutineHarness(testScheduler());
    expect(() => h.startAt(-1, 'x', worker)).toThrowError(RangeError, /time in ms/);
    h.startAt(1, 'x', worker);
    expect(() => h.startAt(2, 'x', worker)).toThrowError(/already started/);
  });
});

describe('CoroutineHarness in rxjs-marbles', () => {
  it(
    'asserts lanes with m.expect',
    marbles((m) => {
      const h = new CoroutineHarness(m.scheduler);
      h.startAt(10, 'worker', worker);
      m.expect(h.lane('worker')).toBeObservable('15ms w 19ms |', { w: 'working' });
      m.flush();
      h.verify();
      expect(h.timeline.toMarbles().lanes).toEqual({ worker: '15ms a 19ms |' });
    }),
  );
});
