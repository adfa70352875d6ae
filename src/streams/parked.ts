import type { Coroutine } from '../kernel/Awaitable.js';
import type { Future } from '../kernel/Future.js';
import { getRunningLoop } from '../kernel/runningLoop.js';

/**
 * @internal Parks the running task on a fresh future kept in `waiters` until someone settles it
 * with {@link wakeAll} (asyncio's drain and wait_closed waiters). The future leaves the list when
 * the wait ends, however it ends (a cancelled waiter must not be woken later).
 */
export function* parkIn(waiters: Array<Future<void>>): Coroutine<void> {
  const fut = getRunningLoop().createFuture<void>();
  waiters.push(fut);
  try {
    yield* fut;
  } finally {
    const i = waiters.indexOf(fut);
    if (i !== -1) waiters.splice(i, 1);
  }
}

/**
 * @internal Settles every waiting future: with `error` if given, else with a result. Callable
 * from outside the loop (a socket event): a future whose loop is closed is skipped, because its
 * task is gone.
 */
export function wakeAll(waiters: Array<Future<void>>, error?: unknown): void {
  for (const fut of waiters.splice(0)) settle(fut, error);
}

/** @internal Settles one future if it still waits and its loop is open (see {@link wakeAll}). */
export function settle(fut: Future<void>, error?: unknown): void {
  if (fut.done() || fut.getLoop().isClosed()) return;
  if (error === undefined) fut.setResult(undefined);
  else fut.setException(error);
}
