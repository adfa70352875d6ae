import { ensureFuture } from '../interop/ensureFuture.js';
import { describe, isAwaitable } from '../kernel/Awaitable.js';
import { _installOffload, type EventLoop } from '../kernel/EventLoop.js';
import type { Executor, TransferItem, WorkSpec } from '../kernel/Executor.js';
import type { Future } from '../kernel/Future.js';
import { unwrapTransfers } from './transfer.js';
import { WorkerPool } from './WorkerPool.js';
import { toWorkSpec } from './workSpec.js';

const defaults = new WeakMap<EventLoop, Executor>();

// Why a hook: the kernel stands alone (docs/design.md, "Layers"), so `loop.runInExecutor` reaches
// this layer through what it installs here, when this module loads.
_installOffload({ runInExecutor, setDefaultExecutor });

/**
 * @internal `loop.runInExecutor`'s body: validates the function (a module reference, or a
 * self-contained function checked for closures), unwraps `transfer()` markers and submits.
 */
export function runInExecutor<R>(
  loop: EventLoop,
  executor: Executor | null | undefined,
  fn: unknown,
  args: unknown[],
): Future<R> {
  const what = `runInExecutor(${executor == null ? 'default' : 'executor'}, fn)`;
  loop._checkOpen('runInExecutor');
  if (executor != null && typeof (executor as Partial<Executor>).submit !== 'function') {
    throw new TypeError(
      `${what}: expected an Executor (a WorkerPool...) or null, got ${describe(executor)}`,
    );
  }
  return submitJob<R>(loop, executor, prepareJob(fn, args, what));
}

/** @internal A job checked and ready to submit. */
export interface PreparedJob {
  spec: WorkSpec;
  args: unknown[];
  transfer: TransferItem[];
}

/** @internal Checks that `fn` can run on a worker and unwraps `transfer()` markers. */
export function prepareJob(fn: unknown, args: unknown[], what: string): PreparedJob {
  const spec = toWorkSpec(fn, what);
  const unwrapped = unwrapTransfers(args);
  return { spec, args: unwrapped.args, transfer: unwrapped.transfer };
}

/** @internal Submits a prepared job to `executor` (null: the loop's default executor). */
export function submitJob<R>(
  loop: EventLoop,
  executor: Executor | null | undefined,
  job: PreparedJob,
): Future<R> {
  const target = executor ?? defaultExecutor(loop);
  return target.submit<R>(loop, job.spec, job.args, { transfer: job.transfer });
}

/**
 * @internal The executor `runInExecutor(null, ...)` uses: the one set with `setDefaultExecutor`,
 * or a {@link WorkerPool} created on first use. Either way its shutdown is tied to the loop:
 * run() awaits it after cancelling the remaining tasks, and close() starts it.
 */
export function defaultExecutor(loop: EventLoop): Executor {
  let executor = defaults.get(loop);
  if (executor === undefined) {
    executor = new WorkerPool();
    setDefaultExecutor(loop, executor);
  }
  return executor;
}

/** @internal `loop.setDefaultExecutor`'s body. */
export function setDefaultExecutor(loop: EventLoop, executor: Executor): void {
  if (executor === null || typeof (executor as Partial<Executor>).submit !== 'function') {
    throw new TypeError(
      `setDefaultExecutor(executor): expected an Executor, got ${describe(executor)}`,
    );
  }
  loop._checkOpen('setDefaultExecutor');
  const had = defaults.has(loop);
  defaults.set(loop, executor);
  if (had) return;
  // Whatever is the default when the loop ends gets shut down, once.
  let stopped = false;
  const stop = (): ReturnType<Executor['shutdown']> => {
    if (stopped) return undefined;
    stopped = true;
    return defaults.get(loop)?.shutdown();
  };
  loop._shutdownHooks.push(function* () {
    const r = stop();
    if (r == null) return;
    yield* isAwaitable(r) ? r : ensureFuture(r as PromiseLike<void>, { loop });
  });
  loop._closeHooks.push(() => {
    const r = stop();
    if (r != null && !isAwaitable(r)) (r as PromiseLike<void>).then(undefined, () => {});
  });
}
