/**
 * Runner's lifecycle as asyncio's (issue 16, item 6; CPython test_runners.RunnerTests): several
 * runs on one loop, an idempotent close(), "Runner is closed" afterwards, no run() from inside a
 * running loop, `using` as the `with` statement. Driven by a virtual-time scheduler: flush, then
 * await the Promise.
 */
import { virtualScheduler } from '../../marbles/index.js';
import {
  CancelledError,
  type Coroutine,
  createTask,
  Event,
  getRunningLoop,
  Runner,
  RuntimeError,
  sleep,
  ValueError,
} from '../../src/index.js';

function* f(): Coroutine<string> {
  yield* sleep(0);
  return 'done';
}

describe('Runner (asyncio.Runner lifecycle)', () => {
  it('runs several mains on one loop, then close() closes it (test_run)', async () => {
    const scheduler = virtualScheduler();
    const runner = new Runner({ scheduler });
    const first = runner.run(f());
    scheduler.flush();
    expect(await first).toBe('done');
    const loop = runner.getLoop();
    const second = runner.run(sleep(1000, 'again')); // an awaitable that is a coroutine in asyncio
    scheduler.flush();
    expect(await second).toBe('again');
    expect(runner.getLoop()).toBe(loop);
    expect(loop.isClosed()).toBeFalse();
    const closed = runner.close();
    expect(() => runner.getLoop()).toThrowError(RuntimeError, /Runner is closed/);
    scheduler.flush();
    await closed;
    expect(loop.isClosed()).toBeTrue();
  });

  it('refuses a non-coroutine with ValueError "a coroutine was expected" (test_run_non_coro)', () => {
    const runner = new Runner({ scheduler: virtualScheduler() });
    expect(() => runner.run(123 as never)).toThrowError(ValueError, /a coroutine was expected/);
    expect(() => runner.run(f as never)).toThrowError(ValueError, /call it/);
    void runner.close();
  });

  it('refuses a Future with ValueError "a coroutine was expected" (test_run_future)', () => {
    const scheduler = virtualScheduler();
    const runner = new Runner({ scheduler });
    const fut = runner.getLoop().createFuture<number>();
    expect(() => runner.run(fut)).toThrowError(ValueError, /a coroutine was expected/);
    expect(new ValueError('x')).toEqual(jasmine.any(RangeError));
    void runner.close();
    scheduler.flush();
  });

  it('close() on a runner that never ran closes its loop (test_explicit_close)', async () => {
    const scheduler = virtualScheduler();
    const runner = new Runner({ scheduler });
    const loop = runner.getLoop();
    const closed = runner.close();
    expect(() => runner.getLoop()).toThrowError(RuntimeError, /Runner is closed/);
    scheduler.flush();
    await closed;
    expect(loop.isClosed()).toBeTrue();
  });

  it('close() twice is a no-op the second time, with the same Promise (test_double_close)', async () => {
    const scheduler = virtualScheduler();
    const runner = new Runner({ scheduler });
    const loop = runner.getLoop();
    const closed = runner.close();
    scheduler.flush();
    await closed;
    expect(loop.isClosed()).toBeTrue();
    expect(runner.close()).toBe(closed);
    await runner.close();
    expect(loop.isClosed()).toBeTrue();
  });

  it('run() after close raises "Runner is closed" and runs nothing (test_second_with_block_raises)', async () => {
    const scheduler = virtualScheduler();
    const ret: number[] = [];
    function* g(arg: number): Coroutine<void> {
      ret.push(arg);
    }
    const runner = new Runner({ scheduler });
    const first = runner.run(g(1));
    scheduler.flush();
    await first;
    void runner.close();
    scheduler.flush();
    expect(() => runner.run(g(2))).toThrowError(RuntimeError, /Runner is closed/);
    scheduler.flush();
    expect(ret).toEqual([1]);
  });

  it('refuses run() from inside a running loop (test_recursive_run)', async () => {
    const scheduler = virtualScheduler();
    const runner = new Runner({ scheduler });
    function* outer(): Coroutine<string> {
      try {
        void runner.run(f());
        return 'ran';
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`;
      }
    }
    const p = runner.run(outer());
    scheduler.flush();
    expect(await p).toMatch(
      /^RuntimeError: Runner\.run\(\) cannot be called from a running event loop/,
    );
    void runner.close();
    scheduler.flush();
  });

  it('close() cancels and awaits what the runs left behind, as asyncio.run does', async () => {
    const scheduler = virtualScheduler();
    const runner = new Runner({ scheduler });
    const log: string[] = [];
    const p = runner.run(
      (function* () {
        createTask(
          (function* () {
            try {
              yield* new Event().wait(); // never set: only close() ends it
            } finally {
              yield* sleep(10); // async cleanup still runs
              log.push(`cleaned up at ${getRunningLoop().time()}`);
            }
          })(),
        );
        yield* sleep(0);
        return 'main done';
      })(),
    );
    scheduler.flush();
    expect(await p).toBe('main done');
    expect(log).toEqual([]); // left behind, still waiting
    expect(runner.getLoop().isClosed()).toBeFalse();
    const closed = runner.close();
    scheduler.flush();
    await closed;
    expect(log).toEqual(['cleaned up at 10']);
  });

  it('refuses a second run() while the first one’s main is still running; close() cancels it', async () => {
    const scheduler = virtualScheduler();
    const runner = new Runner({ scheduler });
    const first = runner.run(new Event().wait());
    expect(() => runner.run(f())).toThrowError(RuntimeError, /still running/);
    void runner.close(); // cancels the main still running
    scheduler.flush();
    await expectAsync(first).toBeRejectedWithError(CancelledError);
  });

  it('`using` closes the runner at the end of the block (asyncio: with Runner() as runner)', async () => {
    const scheduler = virtualScheduler();
    let kept: Runner | undefined;
    let p: Promise<string> | undefined;
    {
      using runner = new Runner({ scheduler });
      kept = runner;
      p = runner.run(f());
      scheduler.flush();
    }
    expect(await p).toBe('done');
    expect(() => kept?.getLoop()).toThrowError(RuntimeError, /Runner is closed/);
    scheduler.flush();
    expect(kept.loop.isClosed()).toBeTrue();
  });

  it('`await using` waits for the shutdown (Symbol.asyncDispose)', async () => {
    const scheduler = virtualScheduler();
    let kept: Runner | undefined;
    const block = async (): Promise<void> => {
      await using runner = new Runner({ scheduler });
      kept = runner;
      const p = runner.run(f());
      scheduler.flush();
      await p;
      // leaving the block starts close(); the test flushes the scheduler to let it finish
      queueMicrotask(() => scheduler.flush());
    };
    await block();
    expect(kept?.loop.isClosed()).toBeTrue();
  });
});
