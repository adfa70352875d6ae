import type { Coroutine } from '../kernel/Awaitable.js';
import type { WithTransfers } from '../kernel/Executor.js';
import { getRunningLoop } from '../kernel/runningLoop.js';
import { type PreparedJob, prepareJob, submitJob } from './runInExecutor.js';

/**
 * Runs `fn(...args)` on a worker thread of the running loop's default executor: asyncio's
 * `to_thread`. Like it, this returns a coroutine: `yield* toThread(fn, x)` awaits the result and
 * `createTask(toThread(fn, x))` runs it alongside other tasks. The loop keeps running meanwhile.
 *
 * What can travel: `fn` is either a {@link workerFunction} (a module URL plus an export name: the
 * main form; the module may import anything) or a self-contained function whose source is
 * shipped and evaluated in the worker (a checked convenience: a function that uses variables from
 * outside its body, a method shorthand, a bound or native function is refused with a `TypeError`
 * at the call; shipping source needs CSP `unsafe-eval` in browsers). Arguments and the result are
 * structured-cloned; wrap an argument with {@link transfer} to move `ArrayBuffer`s instead. An
 * async function's result is awaited in the worker.
 *
 * Errors thrown in the worker are re-thrown here with their class name, message and stack. A
 * crashed worker fails the job with `WorkerCrashedError` and is replaced.
 *
 * Cancellation (differs from Python, whose threads run on): cancelling the awaiting task drops
 * the job if it still waits for a worker, and terminates the worker if it is running. The default
 * executor is a {@link WorkerPool} created on first use and shut down when `run()` ends.
 *
 * @throws {TypeError} when `fn` cannot run on a worker (at the call, not in the worker).
 * @throws {RuntimeError} when first run outside a running loop.
 * @example
 * ```ts
 * import { run, toThread } from 'rx-asyncio';
 * function slowSquare(n: number): number {
 *   const end = Date.now() + 100;
 *   while (Date.now() < end) {} // blocks the worker, not the loop
 *   return n * n;
 * }
 * run(function* () {
 *   console.log(yield* toThread(slowSquare, 12)); // 144
 * }());
 * ```
 * @see workerFunction
 * @see WorkerPool
 */
export function toThread<A extends unknown[], R>(
  fn: (...args: A) => R | PromiseLike<R>,
  ...args: WithTransfers<A>
): Coroutine<R> {
  return submitted<R>(prepareJob(fn, args, 'toThread(fn)'));
}

function* submitted<R>(job: PreparedJob): Coroutine<R> {
  return yield* submitJob<R>(getRunningLoop(), null, job);
}
