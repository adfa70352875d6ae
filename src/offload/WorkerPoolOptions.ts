/**
 * The options of a {@link WorkerPool}, and how they are checked.
 * @module
 */

/** Options of {@link WorkerPool}. */
export interface WorkerPoolOptions {
  /** How many workers may run at once: the concurrency limit. Default: the cores, 2 to 8. */
  maxWorkers?: number;
  /**
   * How many jobs may wait to start, queued in the pool or handed to a busy worker (back-pressure);
   * one more makes `submit` throw `ExecutorQueueFullError`. Default: no limit.
   */
  maxQueue?: number;
  /**
   * How many jobs each worker may hold at once; it still runs them one after another. Holding
   * several hides the round trip between jobs and lets a batch travel in one message, which is
   * what makes many tiny jobs fast. Default: 256 where the pool shares memory with its workers
   * (Node; browsers on cross-origin isolated pages), else 1.
   *
   * With shared memory, a job handed to a worker is still exactly like a queued one: the worker
   * claims it (an atomic swap) just before running it, so cancelling it before that means it never
   * runs, and a worker that goes idle takes back unclaimed jobs from a busy one, so no job waits
   * behind a long one while a worker is free. A job runs at most once: in the rare case that a
   * running job is cancelled (its worker terminated) while results of quick jobs run before it
   * wait to travel together, those jobs fail with `WorkerCrashedError` (their result was lost).
   *
   * Without shared memory and with `prefetch` > 1, a job cancelled after it was handed to a busy
   * worker still runs there (its result is dropped), and when a running job is cancelled the
   * jobs behind it are queued again, so in a rare race one of them may already have started and
   * runs twice.
   *
   * At most 65,536 (`MAX_PREFETCH`): a larger value is a `RangeError` at construction.
   * Memory grows with the jobs actually in flight, not with this option.
   */
  prefetch?: number;
  /**
   * The script the pool's workers start from: the URL of the package's worker entry,
   * `rx-asyncio/worker` (the file `dist/worker.js`), served from the page's own origin. Default:
   * the one set with `setWorkerUrl`, else a `blob:` URL of the same script (browsers) or its
   * source, evaluated (Node).
   *
   * For pages with a Content-Security-Policy: `worker-src 'self'` without `blob:` refuses the
   * default, and the worker then fails to start with an error that says so. With `workerUrl`,
   * functions given as module exports, `workerFunction(url, name)`, run with no `eval` at all.
   * A self-contained function passed by value (`toThread((a) => a * 2, 21)`) travels as source
   * text, which the worker must evaluate: under a policy without `'unsafe-eval'` for the worker
   * script (a policy is applied to a worker from its own response's headers), such a job fails
   * with an `EvalError` saying to use `workerFunction(url, name)` instead. In Node, `workerUrl`
   * is a file path or `file:` URL.
   */
  workerUrl?: string | URL;
}

/**
 * @internal The default `prefetch` when the hand-off is exact (see
 * {@link WorkerPoolOptions.prefetch}).
 */
export const EXACT_PREFETCH = 256;

/**
 * The largest `prefetch` a {@link WorkerPool} accepts. Why a bound: each worker's claim board
 * reserves 4 bytes of shared memory per prefetched job; `prefetch: 1e9` asked for 4 GB per worker
 * and aborted Node. 65,536 jobs held by one worker is far past where batching stops paying.
 */
export const MAX_PREFETCH = 65_536;

/** @internal Checks the `prefetch` option: an integer from 1 to {@link MAX_PREFETCH}. */
export function checkPrefetch(v: number | undefined): number | undefined {
  const n = checkLimit('prefetch', v);
  if (n === undefined && v === Number.POSITIVE_INFINITY) {
    throw new RangeError(
      `WorkerPool option prefetch must be an integer from 1 to ${MAX_PREFETCH}, got Infinity`,
    );
  }
  if (n !== undefined && n > MAX_PREFETCH) {
    throw new RangeError(
      `WorkerPool option prefetch must be an integer from 1 to ${MAX_PREFETCH}, got ${n}: ` +
        'each job a worker holds has a cell of shared memory; a few hundred is plenty for batching',
    );
  }
  return n;
}

/** @internal Checks a limit option: an integer >= `min`; undefined or Infinity for none. */
export function checkLimit(name: string, v: number | undefined, min = 1): number | undefined {
  if (v === undefined || v === Number.POSITIVE_INFINITY) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new RangeError(
      `WorkerPool option ${name} must be an integer >= ${min}, got ${String(v)}`,
    );
  }
  return v;
}
