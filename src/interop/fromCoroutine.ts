import { asyncScheduler, Observable, type SchedulerLike } from 'rxjs';
import { isCancelledError } from '../errors.js';
import { type Coroutine, describe } from '../kernel/Awaitable.js';
import { EventLoop } from '../kernel/EventLoop.js';

/** Options of {@link fromCoroutine}. */
export interface FromCoroutineOptions {
  /** The scheduler whose loop runs the coroutine; default `asyncScheduler`. */
  scheduler?: SchedulerLike;
  /** The task's name. */
  name?: string;
}

/**
 * One loop per scheduler while it has work, so coroutines started from RxJS code on the same
 * scheduler share a loop (and can share futures and locks). A loop is dropped once it is idle,
 * so nothing leaks from one TestScheduler test to the next, even through `asyncScheduler`
 * (which `TestScheduler.run` virtualises in place).
 */
const loops = new WeakMap<SchedulerLike, EventLoop>();

function loopFor(scheduler: SchedulerLike): EventLoop {
  let loop = loops.get(scheduler);
  if (loop === undefined || loop.isClosed()) {
    loop = new EventLoop(scheduler);
    loops.set(scheduler, loop);
  }
  return loop;
}

function releaseIfIdle(scheduler: SchedulerLike, loop: EventLoop): void {
  if (loop._pendingTasks.size === 0 && loop._ready.size === 0 && loop._timers.size === 0) {
    if (loops.get(scheduler) === loop) loops.delete(scheduler);
  }
}

/**
 * A cold Observable of a coroutine's result: each subscription starts a new task (from a fresh
 * coroutine made by `factory`) on a loop bound to the scheduler; the task's return value is
 * emitted, then the Observable completes (or errors). Unsubscribing cancels the task; its
 * `finally` blocks still run, and an error they raise goes to the loop's exception handler.
 *
 * @example
 * ```ts
 * import { fromCoroutine, sleep } from 'rxio';
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
  const scheduler = options.scheduler ?? asyncScheduler;
  return new Observable<T>((subscriber) => {
    const loop = loopFor(scheduler);
    const task = loop.createTask(
      factory(),
      options.name === undefined ? {} : { name: options.name },
    );
    task.addDoneCallback(() => releaseIfIdle(scheduler, loop));
    const inner = task.subscribe(subscriber);
    return () => {
      inner.unsubscribe();
      if (task.done()) return;
      task.cancel('unsubscribed');
      task.addDoneCallback(() => {
        if (task.cancelled()) return;
        const exception = task.exception();
        if (exception !== null && !isCancelledError(exception)) {
          loop.callExceptionHandler({
            message: 'Exception in an unsubscribed coroutine',
            exception,
            task,
          });
        }
      });
    };
  });
}
