import { isCancelledError } from '../errors.js';
import type { Task } from '../kernel/Task.js';

/**
 * @internal A task whose consumer unsubscribed has nobody left to receive its error: report it to
 * its loop's exception handler (a cancellation is not an error here). Call once the task is done.
 */
export function _reportOrphanError(task: Task<unknown>, message: string): void {
  if (task.cancelled()) return;
  const exception = task.exception();
  if (exception !== null && !isCancelledError(exception)) {
    task.getLoop().callExceptionHandler({ message, exception, task });
  }
}
