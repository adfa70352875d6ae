/**
 * Bad input at the public entry points: wrong types, NaN / negative / Infinity delays,
 * non-integer sizes, foreign-loop futures, loop methods after close(). Each must fail at the call
 * with a TypeError / RangeError (a RuntimeError for a state problem) whose message names the
 * entry point, never later inside the loop and never with a bare JavaScript error.
 */

import { runVirtual, virtualScheduler } from '../../marbles/runVirtual.js';
import {
  allTasks,
  asCompleted,
  awaitable,
  Barrier,
  BoundedSemaphore,
  Condition,
  concatCoroutine,
  createTask,
  currentTask,
  EventLoop,
  ensureFuture,
  exhaustCoroutine,
  Future,
  fromCoroutine,
  futureToPromise,
  gather,
  getRunningLoop,
  iterate,
  LifoQueue,
  Lock,
  mergeCoroutine,
  PriorityQueue,
  Queue,
  Runner,
  RuntimeError,
  run,
  Semaphore,
  shield,
  sleep,
  switchCoroutine,
  Timeout,
  taskGroup,
  timeout,
  timeoutAt,
  toThread,
  ValueError,
  WorkerPool,
  wait,
  waitFor,
  withLock,
} from '../../src/index.js';

type ErrorClass = new (...args: never[]) => Error;
type Case = [call: string, fn: () => unknown, error: ErrorClass, message: RegExp];

// biome-ignore lint/suspicious/noExplicitAny: bad input on purpose.
const bad = (x: unknown): any => x;
function* empty(): Generator<never, void, unknown> {}

/** Runs each case inside a running loop (where most entry points are called). */
function expectAtCall(cases: Case[]): void {
  const r = runVirtual(
    (function* () {
      for (const [call, fn, error, message] of cases) {
        let thrown: unknown;
        try {
          fn();
        } catch (e) {
          thrown = e;
        }
        expect(thrown).withContext(call).toBeInstanceOf(error);
        expect(String((thrown as Error | undefined)?.message))
          .withContext(call)
          .toMatch(message);
      }
      yield* sleep(0);
    })(),
  );
  expect(r.outcome?.ok).toBe(true);
}

describe('reliability: bad input at the call site', () => {
  it('delays: NaN and non-numbers are refused, negative means 0, Infinity never fires', () => {
    expectAtCall([
      ['sleep(NaN)', () => sleep(NaN), RangeError, /sleep/],
      ['sleep("1")', () => sleep(bad('1')), TypeError, /sleep/],
      ['sleep()', () => bad(sleep)(), TypeError, /sleep/],
      ['callLater(NaN)', () => getRunningLoop().callLater(NaN, () => {}), RangeError, /callLater/],
      [
        'callLater("5")',
        () => getRunningLoop().callLater(bad('5'), () => {}),
        TypeError,
        /callLater/,
      ],
      [
        'callAt(undefined)',
        () => getRunningLoop().callAt(bad(undefined), () => {}),
        TypeError,
        /callAt/,
      ],
      ['waitFor(aw, NaN)', () => waitFor(sleep(1), NaN), RangeError, /waitFor/],
      ['waitFor(aw, "1")', () => waitFor(sleep(1), bad('1')), TypeError, /waitFor/],
      ['timeout(NaN)', () => timeout(NaN, function* () {}), RangeError, /timeout/],
      ['timeoutAt(NaN)', () => timeoutAt(NaN, function* () {}), RangeError, /timeoutAt/],
      ['new Timeout("1")', () => new Timeout(bad('1')), TypeError, /Timeout/],
      [
        'wait({timeout: NaN})',
        () => wait([createTask(empty())], { timeout: NaN }),
        RangeError,
        /wait/,
      ],
      [
        'asCompleted({timeout: NaN})',
        () => asCompleted([], { timeout: NaN }),
        RangeError,
        /asCompleted/,
      ],
    ]);
    const r = runVirtual(
      (function* () {
        const loop = getRunningLoop();
        const t0 = loop.time();
        yield* sleep(-5);
        const afterNegative = loop.time() - t0;
        const never = loop.callLater(Number.POSITIVE_INFINITY, () => {});
        yield* sleep(10);
        never.cancel();
        return afterNegative;
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: 0 });
  });

  it('callbacks, coroutines and bodies of the wrong kind', () => {
    expectAtCall([
      ['callSoon(1)', () => getRunningLoop().callSoon(bad(1)), TypeError, /callSoon/],
      ['createTask(1)', () => createTask(bad(1)), TypeError, /createTask/],
      ['createTask(genFn)', () => createTask(bad(empty)), TypeError, /call it/],
      [
        'addDoneCallback(1)',
        () => getRunningLoop().createFuture().addDoneCallback(bad(1)),
        TypeError,
        /addDoneCallback/,
      ],
      [
        'setException(undefined)',
        () => getRunningLoop().createFuture().setException(undefined),
        TypeError,
        /setException/,
      ],
      [
        'setExceptionHandler(1)',
        () => getRunningLoop().setExceptionHandler(bad(1)),
        TypeError,
        /setExceptionHandler/,
      ],
      ['timeout(5, 1)', () => timeout(5, bad(1)), TypeError, /timeout/],
      ['timeout(5, coroObj)', () => timeout(5, bad(empty())), TypeError, /generator function/],
      ['taskGroup(1)', () => taskGroup(bad(1)), TypeError, /taskGroup/],
      ['waitFor(1, 5)', () => waitFor(bad(1), 5), TypeError, /waitFor/],
      ['gather(1)', () => gather(bad(1)), TypeError, /ensureFuture|gather/],
      ['gather(null)', () => gather(bad(null)), TypeError, /ensureFuture|gather/],
      ['shield(1)', () => shield(bad(1)), TypeError, /ensureFuture|shield/],
      ['ensureFuture(1)', () => ensureFuture(bad(1)), TypeError, /ensureFuture/],
      ['ensureFuture({})', () => ensureFuture(bad({})), TypeError, /ensureFuture/],
      ['ensureFuture("abc")', () => ensureFuture(bad('abc')), TypeError, /ensureFuture/],
      ['awaitable(1)', () => awaitable(bad(1)), TypeError, /awaitable/],
      ['wait([])', () => wait([]), RangeError, /wait/],
      ['wait(1)', () => wait(bad(1)), TypeError, /wait/],
      ['wait([coro])', () => wait([bad(empty())]), TypeError, /coroutines are not accepted/],
      [
        'wait(returnWhen: "x")',
        () => wait([createTask(empty())], { returnWhen: bad('x') }),
        RangeError,
        /returnWhen/,
      ],
      ['asCompleted(1)', () => asCompleted(bad(1)), TypeError, /asCompleted/],
      ['futureToPromise(1)', () => futureToPromise(bad(1)), TypeError, /futureToPromise/],
      ['fromCoroutine(1)', () => fromCoroutine(bad(1)), TypeError, /fromCoroutine/],
      ['iterate(1)', () => iterate(bad(1)), TypeError, /iterate/],
      ['mergeCoroutine(1)', () => mergeCoroutine(bad(1)), TypeError, /mergeCoroutine/],
      ['switchCoroutine(1)', () => switchCoroutine(bad(1)), TypeError, /switchCoroutine/],
      ['concatCoroutine(1)', () => concatCoroutine(bad(1)), TypeError, /concatCoroutine/],
      ['exhaustCoroutine(1)', () => exhaustCoroutine(bad(1)), TypeError, /exhaustCoroutine/],
      ['toThread(1)', () => toThread(bad(1)), TypeError, /toThread/],
    ]);
  });

  it('sizes: non-integer, zero or negative counts are refused', () => {
    expectAtCall([
      ['iterate bufferSize 1.5', () => iterate([1], { bufferSize: 1.5 }), RangeError, /bufferSize/],
      ['iterate bufferSize 0', () => iterate([1], { bufferSize: 0 }), RangeError, /bufferSize/],
      [
        'mergeCoroutine concurrency 1.5',
        () => mergeCoroutine(function* () {}, { concurrency: 1.5 }),
        RangeError,
        /concurrency/,
      ],
      [
        'mergeCoroutine concurrency 0',
        () => mergeCoroutine(function* () {}, { concurrency: 0 }),
        RangeError,
        /concurrency/,
      ],
      [
        'WorkerPool maxWorkers 0',
        () => new WorkerPool({ maxWorkers: 0 }),
        RangeError,
        /maxWorkers/,
      ],
      [
        'WorkerPool maxWorkers 1.5',
        () => new WorkerPool({ maxWorkers: 1.5 }),
        RangeError,
        /maxWorkers/,
      ],
      ['WorkerPool maxQueue -1', () => new WorkerPool({ maxQueue: -1 }), RangeError, /maxQueue/],
      [
        'EventLoop spinLimit -1',
        () => new EventLoop(virtualScheduler(), { spinLimit: -1 }),
        RangeError,
        /spinLimit/,
      ],
      [
        'EventLoop budget NaN',
        () => new EventLoop(virtualScheduler(), { budget: NaN }),
        RangeError,
        /budget/,
      ],
    ]);
  });

  it('sync primitives and queues: counts, sizes and misuse', () => {
    expectAtCall([
      ['Semaphore(-1)', () => new Semaphore(-1), RangeError, /Semaphore/],
      ['Semaphore(1.5)', () => new Semaphore(1.5), RangeError, /Semaphore/],
      ['Semaphore("2")', () => new Semaphore(bad('2')), TypeError, /Semaphore/],
      ['Barrier(0)', () => new Barrier(0), RangeError, /Barrier/],
      ['Barrier(Infinity)', () => new Barrier(Number.POSITIVE_INFINITY), RangeError, /Barrier/],
      ['Queue(-1)', () => new Queue(-1), RangeError, /Queue/],
      ['Queue(1.5)', () => new Queue(1.5), RangeError, /Queue/],
      ['Queue("2")', () => new Queue(bad('2')), TypeError, /Queue/],
      ['LifoQueue(NaN)', () => new LifoQueue(NaN), RangeError, /LifoQueue/],
      ['PriorityQueue(1.5)', () => new PriorityQueue(1.5), RangeError, /PriorityQueue/],
      ['Lock.release() unlocked', () => new Lock().release(), RuntimeError, /not acquired/],
      [
        'BoundedSemaphore over-release',
        () => new BoundedSemaphore(1).release(),
        ValueError,
        /released too many times/,
      ],
      ['Condition(1)', () => new Condition(bad(1)), TypeError, /Condition/],
      [
        'Condition.notify() without the lock',
        () => new Condition().notify(),
        RuntimeError,
        /not held/,
      ],
      ['Queue.taskDone() too often', () => new Queue().taskDone(), ValueError, /taskDone/],
      [
        'Queue.shutdown({ immediate: 1 })',
        () => new Queue().shutdown({ immediate: bad(1) }),
        TypeError,
        /immediate/,
      ],
      ['withLock(1, body)', () => withLock(bad(1), function* () {}), TypeError, /withLock/],
    ]);
  });

  it('loops: not a loop, a foreign loop, no running loop', () => {
    const other = new EventLoop(virtualScheduler());
    expectAtCall([
      ['new EventLoop(1)', () => new EventLoop(bad(1)), TypeError, /EventLoop/],
      ['new Future({})', () => new Future(bad({})), TypeError, /Future/],
      [
        'createTask(coro, { loop: {} })',
        () => createTask(empty(), { loop: bad({}) }),
        TypeError,
        /createTask/,
      ],
      ['currentTask({})', () => currentTask(bad({})), TypeError, /currentTask/],
      ['allTasks({})', () => allTasks(bad({})), TypeError, /allTasks/],
      [
        'ensureFuture(fut, { loop: other })',
        () => ensureFuture(getRunningLoop().createFuture(), { loop: other }),
        RangeError,
        /different loop/,
      ],
      [
        'Runner.run() inside a loop',
        () => new Runner().run(empty()),
        RuntimeError,
        /Runner\.run\(\) cannot be called from a running event loop/,
      ],
      ['run() inside a loop', () => run(empty()), RuntimeError, /run\(\)/],
    ]);
    expect(() => getRunningLoop()).toThrowError(RuntimeError, /no running event loop/);
    expect(() => createTask(empty())).toThrowError(RuntimeError, /no running event loop/);
    expect(() => sleep(5)[Symbol.iterator]()).toThrowError(RuntimeError, /no running event loop/);
    other.close();
  });

  it('awaiting a future of another loop: a RuntimeError in the awaiting task', () => {
    const other = new EventLoop(virtualScheduler());
    const foreign = other.createFuture<number>();
    const r = runVirtual(
      (function* () {
        try {
          yield* foreign;
        } catch (e) {
          return e instanceof RuntimeError && /different event loop/.test(e.message);
        }
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: true });
    other.close();
  });

  it('a future reused after its loop closed cannot be awaited from a new loop', () => {
    let leftover: Future<number> | undefined;
    runVirtual(
      (function* () {
        leftover = getRunningLoop().createFuture<number>();
        leftover.setResult(1);
        yield* sleep(0);
      })(),
    );
    const pending = new EventLoop(virtualScheduler()).createFuture<number>();
    const r = runVirtual(
      (function* () {
        const done = yield* leftover as Future<number>; // done: returns at once, as asyncio
        try {
          yield* pending;
        } catch (e) {
          return [done, e instanceof RuntimeError];
        }
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: [1, true] });
  });

  it('loop methods after close(): a RuntimeError naming the method', () => {
    const loop = new EventLoop(virtualScheduler());
    loop.close();
    const cases: Array<[string, () => unknown]> = [
      ['callSoon', () => loop.callSoon(() => {})],
      ['callLater', () => loop.callLater(1, () => {})],
      ['callAt', () => loop.callAt(1, () => {})],
      ['createTask', () => loop.createTask(empty())],
      ['createTask', () => createTask(empty(), { loop })],
      ['runInExecutor', () => loop.runInExecutor(null, () => 1)],
    ];
    for (const [name, call] of cases) {
      expect(call)
        .withContext(name)
        .toThrowError(RuntimeError, new RegExp(`${name}.*closed`));
    }
    expect(() => loop.close()).not.toThrow(); // idempotent
  });

  it('closing a running loop from its own callback is refused', () => {
    const r = runVirtual(
      (function* () {
        expect(() => getRunningLoop().close()).toThrowError(RuntimeError, /running event loop/);
        yield* sleep(0);
        return 'still running';
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: 'still running' });
  });
});
