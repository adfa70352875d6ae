import { CancelledError, RuntimeError } from '../errors.js';
import { describe } from '../kernel/Awaitable.js';
import { _getRunningLoopOrNull, currentTask } from '../kernel/runningLoop.js';
import { Task } from '../kernel/Task.js';

const signals = new WeakMap<Task<unknown>, AbortSignal>();

/**
 * An `AbortSignal` tied to a task (default: the current one), for `fetch` and every other API
 * that takes a signal. It aborts, with a `CancelledError` as its `reason`:
 * - at once when the task is asked to cancel (`task.cancel()`, directly or because a task
 *   awaiting it, a timeout or a task group cancels it), so an in-flight request stops while the
 *   task runs its cleanup;
 * - when the task finishes in any other way, so nothing started with it outlives it.
 *
 * An AbortSignal cannot be reset: after `uncancel()` (a timeout that fired, a caught
 * cancellation) the signal stays aborted; start new abortable work in a new task. The same task
 * always gets the same signal.
 *
 * @throws {RuntimeError} without a task argument outside of a running task.
 * @throws {TypeError} if `task` is not a Task.
 * @see cancelOnAbort for the other direction.
 * @example
 * ```ts
 * import { awaitable, run, taskSignal } from 'rx-asyncio';
 * run(function* () {
 *   // Cancelling this task aborts the request.
 *   const res = yield* awaitable(fetch('https://example.com', { signal: taskSignal() }));
 *   console.log(res.status);
 * }());
 * ```
 */
export function taskSignal(task?: Task<unknown>): AbortSignal {
  const running = _getRunningLoopOrNull();
  const t = task ?? (running === null ? null : currentTask(running));
  if (t === null) {
    throw new RuntimeError(
      'taskSignal(): no current task; call it from inside a coroutine, or pass the task',
    );
  }
  if (!(t instanceof Task)) {
    throw new TypeError(`taskSignal(task): expected a Task, got ${describe(t)}`);
  }
  let signal = signals.get(t);
  if (signal === undefined) {
    signal = makeSignal(t);
    signals.set(t, signal);
  }
  return signal;
}

function makeSignal(task: Task<unknown>): AbortSignal {
  const controller = new AbortController();
  const abort = (msg: string): void => {
    if (!controller.signal.aborted) controller.abort(new CancelledError(msg));
  };
  if (task.done()) {
    abort(`${task.getName()} is done`);
    return controller.signal;
  }
  // Why an own-property wrapper: the kernel offers no cancel hook, and delegated cancellation
  // (an outer task cancelling the task it awaits) calls `cancel()` on this very object.
  const cancel = task.cancel;
  task.cancel = function (this: Task<unknown>, msg?: string): boolean {
    const requested = cancel.call(this, msg);
    if (requested) abort(msg ?? `${task.getName()} was cancelled`);
    return requested;
  };
  task.addDoneCallback(() => abort(`${task.getName()} is done`));
  return controller.signal;
}
