/**
 * Cancellation provenance: who asked for a cancellation, recorded by `Future.cancel` and
 * `Task.cancel` and carried by the `CancelledError` they lead to.
 *
 * Cost outside debug mode: one field write per cancel call (the task that was running); the
 * origin object is made with the error. Debug mode adds the call site, a stack trace (~5 µs).
 *
 * @module
 */
import type { EventLoop } from './EventLoop.js';
import type { Future } from './Future.js';
import type { Task } from './Task.js';

/**
 * Who cancelled: attached to a `CancelledError` as `error.origin`.
 *
 * @example
 * ```ts
 * import { CancelledError, createTask, run, sleep } from 'rx-asyncio';
 * function* nap() {
 *   yield* sleep(1000);
 * }
 * run(function* main() {
 *   const child = createTask(nap(), { name: 'child' });
 *   yield* sleep(10);
 *   child.cancel('enough');
 *   try {
 *     yield* child;
 *   } catch (e) {
 *     if (e instanceof CancelledError) console.log(e.origin?.task?.getName()); // "main"
 *   }
 * }());
 * ```
 */
export interface CancelOrigin {
  /**
   * The task that was running when `cancel()` was called, or null when it was called outside any
   * task: from a plain callback or timer (that is how `waitFor`, `timeout` and `TaskGroup` cancel,
   * unless they name themselves in `source`), or from code outside the loop.
   */
  readonly task: Task<unknown> | null;
  /** The message passed to `cancel(msg)`. */
  readonly message: string | undefined;
  /**
   * What cancelled, when rx-asyncio's own machinery did and named itself: a deadline
   * (`"timeout (deadline at loop time 1005)"`, also `waitFor`'s), or a `TaskGroup` whose child
   * failed (`'TaskGroup (child "fetch" failed)'`).
   */
  readonly source: string | undefined;
  /** Debug mode only: the stack trace of the `cancel()` call. */
  readonly site: string | undefined;
}

let currentSource: string | undefined;

/** A full origin, built at the cancel() call when there is more to record than the task. */
class Origin implements CancelOrigin {
  constructor(
    readonly task: Task<unknown> | null,
    readonly message: string | undefined,
    readonly source: string | undefined,
    readonly site: string | undefined,
  ) {}
}

/**
 * @internal What a future stores at its cancel() call. Usually just the running task (or null),
 * so a cancel allocates nothing here; the {@link CancelOrigin} is built with the error, in
 * {@link _originOf}. A labelled or debug-mode cancel stores a full origin at once.
 */
export type OriginRecord = Origin | Task<unknown> | null;

/** @internal Records the origin of a `cancel()` call being made now on `loop`'s future. */
export function _cancelOrigin(loop: EventLoop, message: string | undefined): OriginRecord {
  const task = loop._currentTask;
  if (currentSource === undefined && !loop.getDebug()) return task;
  const site = loop.getDebug() ? new Error('cancel() called here').stack : undefined;
  return new Origin(task, message, currentSource, site);
}

/** @internal The {@link CancelOrigin} of a record, for the CancelledError being made. */
export function _originOf(
  record: OriginRecord | undefined,
  message: string | undefined,
): CancelOrigin | undefined {
  if (record === undefined || record instanceof Origin) return record;
  return new Origin(record, message, undefined, undefined);
}

/**
 * @internal Cancels `future` on behalf of rx-asyncio machinery named `source` (a timeout, a task
 * group, an operator's switch), so the `CancelledError` says who did it. For library code.
 */
export function _cancelAs(source: string, future: Future<unknown>, msg?: string): boolean {
  const prev = currentSource;
  currentSource = source;
  try {
    return future.cancel(msg);
  } finally {
    currentSource = prev;
  }
}

/** A one-line description of an origin: `"by task \"main\" (msg: \"enough\")"`. */
export function describeCancelOrigin(origin: CancelOrigin | undefined): string {
  if (origin === undefined) return 'by unknown origin';
  let s = origin.source !== undefined ? `by ${origin.source}` : '';
  const who =
    origin.task === null ? 'outside any task' : `in task ${JSON.stringify(origin.task.getName())}`;
  s =
    s === ''
      ? origin.task === null
        ? 'outside any task (a callback or timer)'
        : `by task ${JSON.stringify(origin.task.getName())}`
      : `${s}, ${who}`;
  if (origin.message !== undefined) s += ` (msg: ${JSON.stringify(origin.message)})`;
  return s;
}
