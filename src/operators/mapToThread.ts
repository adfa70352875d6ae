import { map, Observable, type OperatorFunction } from 'rxjs';
import type { Awaitable } from '../kernel/Awaitable.js';
import type { Executor } from '../kernel/Executor.js';
import { getRunningLoop } from '../kernel/runningLoop.js';
import { prepareJob } from '../offload/runInExecutor.js';
import { toThread } from '../offload/toThread.js';
import { type CoroutineOperatorOptions, coroutineOperator } from './coroutineOperator.js';

/** Options of {@link mapToThread}. */
export interface MapToThreadOptions extends CoroutineOperatorOptions {
  /** How many jobs may run at once; later values wait, in order. Default `Infinity`. */
  concurrency?: number;
  /** Emit results in source order (default true) or as they complete (false). */
  ordered?: boolean;
  /**
   * Where jobs run; default the loop's default executor (a `WorkerPool`), as `toThread`. Inside
   * `run()` that pool is shut down when `run()` ends; from plain RxJS code it belongs to the
   * scheduler's shared loop and is never shut down (idle workers do not keep Node alive): pass
   * your own `WorkerPool` to control its lifetime.
   */
  executor?: Executor;
}

interface Tagged<R> {
  readonly index: number;
  readonly value: R;
}

/**
 * Maps each source value on a worker thread: `fn(value, index)` runs with `toThread`'s rules (a
 * `workerFunction` module reference, or a self-contained function shipped as source; values and
 * results are structured-cloned), up to `concurrency` jobs at once. Results come in source order,
 * or as they complete with `ordered: false`.
 *
 * A job that throws errors the output (with the worker's error class, message and stack), and a
 * source error does too. Then, and on unsubscribe, pending jobs are cancelled: a queued job is
 * dropped and a running one stops (its worker is terminated and replaced). Unlike a coroutine,
 * a job cannot swallow its cancellation.
 *
 * @throws {TypeError} at the call when `fn` cannot run on a worker (it uses outer variables, is
 *   bound or native...).
 * @throws {RangeError} if `concurrency` is not a positive integer or `Infinity`.
 * @see toThread, workerFunction, mergeCoroutine
 * @example
 * ```ts
 * import { mapToThread } from 'rx-asyncio';
 * import { of } from 'rxjs';
 * function countPrimes(below: number): number {
 *   let count = 0; // CPU-heavy: runs off the main thread
 *   for (let n = 2; n < below; n++) {
 *     let prime = true;
 *     for (let d = 2; d * d <= n && prime; d++) prime = n % d !== 0;
 *     if (prime) count++;
 *   }
 *   return count;
 * }
 * of(1_000_000, 10, 100)
 *   .pipe(mapToThread(countPrimes, { concurrency: 2 }))
 *   .subscribe((v) => console.log(v)); // 78498, 4, 25 (source order)
 * ```
 */
export function mapToThread<T, R>(
  fn: (value: T, index: number) => R | PromiseLike<R>,
  options: MapToThreadOptions = {},
): OperatorFunction<T, R> {
  prepareJob(fn, [], 'mapToThread(fn)'); // fail at the call for a function that cannot travel
  const { executor } = options;
  const jobs = coroutineOperator<T, Tagged<R>>(
    'mapToThread',
    function* (value, ctx) {
      const job: Awaitable<R> =
        executor === undefined
          ? toThread(fn, value, ctx.index)
          : getRunningLoop().runInExecutor(executor, fn, value, ctx.index);
      return { index: ctx.index, value: yield* job };
    },
    'buffer',
    options.concurrency ?? Number.POSITIVE_INFINITY,
    options,
  );
  const ordered = options.ordered ?? true;
  return (source) =>
    ordered
      ? source.pipe(jobs, inSourceOrder<R>())
      : source.pipe(
          jobs,
          map((t) => t.value),
        );
}

/** Holds results back until every earlier index has been emitted. */
function inSourceOrder<R>(): OperatorFunction<Tagged<R>, R> {
  return (source) =>
    new Observable<R>((subscriber) => {
      const early = new Map<number, R>();
      let next = 0;
      return source.subscribe({
        next: ({ index, value }) => {
          early.set(index, value);
          while (early.has(next)) {
            const v = early.get(next) as R;
            early.delete(next++);
            subscriber.next(v);
          }
        },
        error: (e) => subscriber.error(e),
        complete: () => subscriber.complete(),
      });
    });
}
