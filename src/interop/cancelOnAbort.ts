import type { Coroutine } from '../kernel/Awaitable.js';
import { describe } from '../kernel/Awaitable.js';
import { checkCoroutine } from '../kernel/coroutineChecks.js';
import type { EventLoop } from '../kernel/EventLoop.js';
import { getRunningLoop } from '../kernel/runningLoop.js';
import type { Task } from '../kernel/Task.js';

/** Options of {@link cancelOnAbort}. */
export interface CancelOnAbortOptions {
  /** The task's name. */
  name?: string;
  /** The loop to run on; default the running loop. */
  loop?: EventLoop;
}

/**
 * Runs a coroutine in a new task that is cancelled when `signal` aborts: the other direction of
 * {@link taskSignal}, for code that hands you an `AbortSignal` (a UI, a server request, an
 * `AbortSignal.timeout()`). The abort cancels the task with `CancelledError`, whose message names
 * the signal's reason; its `finally` blocks run. A signal already aborted cancels the task before
 * its first step: its body never runs. The listener is removed once the task is done.
 *
 * Awaiting the task (`yield*`, or `await` from async code) gives its result, or raises
 * `CancelledError` if the signal aborted it.
 *
 * @throws {TypeError} if `signal` is not an AbortSignal or `coro` not a coroutine object.
 * @throws {RuntimeError} outside a running loop without `options.loop`.
 * @example
 * ```ts
 * import { cancelOnAbort, run, sleep } from 'rx-asyncio';
 * run(function* () {
 *   const task = cancelOnAbort(AbortSignal.timeout(100), function* () {
 *     yield* sleep(1000);
 *     return 'slow';
 *   }());
 *   try {
 *     console.log(yield* task);
 *   } catch (e) {
 *     console.log('aborted after 100 ms', e);
 *   }
 * }());
 * ```
 */
export function cancelOnAbort<T>(
  signal: AbortSignal,
  coro: Coroutine<T>,
  options: CancelOnAbortOptions = {},
): Task<T> {
  if (
    signal === null ||
    typeof signal !== 'object' ||
    typeof signal.aborted !== 'boolean' ||
    typeof signal.addEventListener !== 'function'
  ) {
    throw new TypeError(
      `cancelOnAbort(signal, coro): expected an AbortSignal, got ${describe(signal)}`,
    );
  }
  checkCoroutine('cancelOnAbort', coro);
  const loop = options.loop ?? getRunningLoop();
  const task = loop.createTask(coro, options.name === undefined ? {} : { name: options.name });
  const onAbort = (): void => {
    task.cancel(`aborted: ${reasonText(signal.reason)}`);
  };
  if (signal.aborted) {
    onAbort();
  } else {
    signal.addEventListener('abort', onAbort, { once: true });
    task.addDoneCallback(() => signal.removeEventListener('abort', onAbort));
  }
  return task;
}

function reasonText(reason: unknown): string {
  if (
    reason instanceof Error ||
    (typeof DOMException === 'function' && reason instanceof DOMException)
  ) {
    return `${(reason as Error).name}: ${(reason as Error).message}`;
  }
  return describe(reason);
}
