/**
 * The executor contract: what `loop.runInExecutor` hands to an executor (a {@link WorkSpec}, the
 * arguments, {@link Transfer}-wrapped values) and what it expects back. The kernel owns it, as
 * asyncio's loop owns `run_in_executor`; the executors themselves (`WorkerPool`, `FakeExecutor`)
 * live in the layers above.
 *
 * @module
 */
import type { Awaitable } from './Awaitable.js';
import type { EventLoop } from './EventLoop.js';
import type { Future } from './Future.js';

/**
 * What travels to a worker to name the function to run: a module export (from
 * `workerFunction`), or the source of a self-contained function. `loop.runInExecutor` builds it
 * from the function it is given and hands it to {@link Executor.submit}; an executor that runs
 * jobs elsewhere (another thread, another machine) loads the function from it.
 *
 * @example
 * ```ts
 * import type { WorkSpec } from 'rx-asyncio';
 * function describeWork(spec: WorkSpec): string {
 *   return spec.kind === 'module' ? `${spec.url}#${spec.exportName}` : spec.name;
 * }
 * describeWork({ kind: 'source', source: '(a, b) => a + b', name: 'add' });
 * ```
 */
export type WorkSpec =
  | { readonly kind: 'module'; readonly url: string; readonly exportName: string }
  | { readonly kind: 'source'; readonly source: string; readonly name: string };

/** @internal The key that marks a {@link Transfer}; a registered symbol, so workers know it too. */
export const TRANSFER: unique symbol = Symbol.for('rx-asyncio.transfer') as never;

/**
 * An object a worker's `postMessage` can move instead of copy: an `ArrayBuffer`, a `MessagePort`,
 * an `ImageBitmap`... Declared structurally, so rx-asyncio's types need neither the DOM lib nor
 * `worker_threads`; an object the host cannot transfer fails the job with a `DataCloneError`.
 */
export type TransferItem = object;

/** A value to send to (or from) a worker with a transfer list; made by `transfer()`. */
export interface Transfer<T> {
  readonly value: T;
  readonly [TRANSFER]: readonly TransferItem[];
}

/** An argument list where each argument may be wrapped with `transfer()`. */
export type WithTransfers<A extends unknown[]> = { [K in keyof A]: A[K] | Transfer<A[K]> };

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
