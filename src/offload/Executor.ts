import type { Awaitable } from '../kernel/Awaitable.js';
import type { EventLoop } from '../kernel/EventLoop.js';
import type { Future } from '../kernel/Future.js';
import type { TransferItem } from './transfer.js';
import type { WorkSpec } from './workSpec.js';

/** Per-job options of {@link Executor.submit}. */
export interface JobOptions {
  /**
   * Objects to transfer (not copy) to the worker with the arguments: `ArrayBuffer`s,
   * `MessagePort`s... After the call they are detached on the sending side.
   */
  transfer?: readonly TransferItem[];
}

/** Options of {@link Executor.shutdown}. */
export interface ShutdownOptions {
  /**
   * What happens to jobs still queued or running: true (default) fails them at once with an
   * `ExecutorShutdownError` and terminates the workers; false lets them finish first.
   */
  cancelPending?: boolean;
}

/**
 * Where `loop.runInExecutor(executor, fn, ...args)` sends work: asyncio's `concurrent.futures`
 * executor, reduced to what a loop needs. {@link WorkerPool} is the real one (worker threads or
 * Web Workers); `FakeExecutor` from `rx-asyncio/marbles` completes jobs at scripted virtual times.
 *
 * Contract: `submit` returns at once a pending {@link Future} on `loop`, and settles it through
 * the loop (never from outside it). Cancelling that future stops the job: a queued job is dropped,
 * a running one is stopped (a pool terminates and replaces the worker). After `shutdown()`,
 * `submit` throws `ExecutorShutdownError`.
 *
 * @example
 * ```ts
 * import { run, WorkerPool, getRunningLoop, workerFunction } from 'rx-asyncio';
 * const fib = workerFunction<[number], number>(new URL('./fib.js', import.meta.url), 'fib');
 * const pool = new WorkerPool({ maxWorkers: 2 });
 * run(function* () {
 *   console.log(yield* getRunningLoop().runInExecutor(pool, fib, 30));
 * }()).finally(() => pool.shutdown());
 * ```
 * @see WorkerPool
 */
export interface Executor {
  /**
   * Starts `work(...args)` (or queues it) and returns a future of its result on `loop`.
   * @throws {ExecutorShutdownError} after `shutdown()`.
   */
  submit<R>(loop: EventLoop, work: WorkSpec, args: unknown[], options?: JobOptions): Future<R>;
  /** Stops the executor; see {@link ShutdownOptions}. What it returns completes once it stopped. */
  shutdown(options?: ShutdownOptions): Awaitable<void> | PromiseLike<void> | undefined;
}
