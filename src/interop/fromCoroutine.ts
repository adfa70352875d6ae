import { Observable, type SchedulerLike } from 'rxjs';
import { type Coroutine, describe } from '../kernel/Awaitable.js';
import type { Task } from '../kernel/Task.js';
import { loopForScheduler, releaseLoopIfIdle } from './loopForScheduler.js';
import { _reportOrphanError } from './reportOrphanError.js';

/** Options of {@link fromCoroutine}. */
export interface FromCoroutineOptions {
  /**
   * The scheduler whose loop runs the coroutine. Default: the running loop when subscribed from
   * inside one, else `asyncScheduler` (see {@link loopForScheduler}).
   */
  scheduler?: SchedulerLike;
  /** The task's name. */
  name?: string;
}

/**
 * A cold Observable of a coroutine's result: each subscription starts a new task (from a fresh
 * coroutine made by `factory`) on a loop bound to the scheduler; the task's return value is
 * emitted, then the Observable completes (or errors). Without a scheduler option, a subscription
 * made from inside a running loop (a coroutine awaiting the Observable) starts the task on that
 * loop. Unsubscribing cancels the task; its `finally` blocks still run, and an error they raise
 * goes to the loop's exception handler.
 *
 * @example
 * ```ts
 * import { fromCoroutine, sleep } from 'rx-asyncio';
 * import { switchMap, of } from 'rxjs';
 * of('a', 'b')
 *   .pipe(switchMap((q) => fromCoroutine(function* () { yield* sleep(100); return q.toUpperCase(); })))
 *   .subscribe((v) => console.log(v)); // "B": the first search was cancelled
 * ```
 */
export function fromCoroutine<T>(
  factory: () => Coroutine<T>,
  options: FromCoroutineOptions = {},
): Observable<T> {
  if (typeof factory !== 'function') {
    throw new TypeError(
      `fromCoroutine(factory): expected a function returning a coroutine (e.g. a generator function), got ${describe(factory)}`,
    );
  }
  const scheduler = options.scheduler;
  return new Observable<T>((subscriber) => {
    const loop = loopForScheduler(scheduler);
    const task = loop.createTask(
      factory(),
      options.name === undefined ? {} : { name: options.name },
    );
    const inner = task.subscribe(subscriber);
    // Registered after the subscriber's callback, so the loop can be idle when this one runs.
    task.addDoneCallback(() => releaseLoopIfIdle(loop));
    return () => {
      inner.unsubscribe();
      if (task.done()) return;
      task.cancel('unsubscribed');
      task.addDoneCallback(() =>
        _reportOrphanError(task as Task<unknown>, 'Exception in an unsubscribed coroutine'),
      );
    };
  });
}
