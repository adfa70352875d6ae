import { Observable, ReplaySubject, type SchedulerLike } from 'rxjs';
import {
  type Coroutine,
  EventLoop,
  type EventLoopOptions,
  type ExceptionContext,
  type Task,
} from '../src/index.js';
import { detectDeadlock } from './runVirtual.js';
import { Timeline } from './Timeline.js';

/**
 * Coroutines on a `TestScheduler` you already have: inside `scheduler.run(helpers => ...)` or
 * rxjs-marbles' `marbles(m => ...)` (pass `m.scheduler`). Start tasks at given times, cancel them
 * at given times, and assert what they print and return with `expectObservable` /
 * `m.expect(...)`, in the usual marble syntax. Times are in the scheduler's units: milliseconds
 * (one frame per ms in run mode).
 *
 * The harness owns one {@link EventLoop} on that scheduler and a {@link Timeline} recorder.
 * Errors the loop reports (a spin, an unretrieved exception) are collected; call
 * {@link CoroutineHarness.verify} after the flush to fail on them and on a deadlock.
 *
 * @example
 * ```ts
 * import { sleep } from 'rx-asyncio';
 * import { CoroutineHarness } from 'rx-asyncio/marbles';
 * import { TestScheduler } from 'rxjs/testing';
 * const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
 * const h = new CoroutineHarness(scheduler);
 * scheduler.run(({ expectObservable }) => {
 *   const result = h.startAt(10, 'worker', (tl) => function* () {
 *     yield* sleep(5);
 *     tl.print('working');
 *     yield* sleep(20);
 *     return 'done';
 *   }());
 *   h.cancelAt(30, 'worker');
 *   expectObservable(h.lane('worker')).toBe('15ms w 14ms #', { w: 'working' }, jasmine.anything());
 *   expectObservable(result).toBe('30ms #', undefined, jasmine.anything());
 * });
 * h.verify();
 * ```
 */
export class CoroutineHarness {
  readonly loop: EventLoop;
  readonly timeline = new Timeline();
  /** What the loop reported to its exception handler, in order. */
  readonly reports: ExceptionContext[] = [];
  private readonly tasks = new Map<string, Task<unknown>>();
  private readonly results = new Map<string, ReplaySubject<unknown>>();

  /** @param options loop options; `spinLimit` defaults to 100,000 iterations per instant. */
  constructor(
    readonly scheduler: SchedulerLike,
    options: EventLoopOptions = {},
  ) {
    this.loop = new EventLoop(scheduler, { spinLimit: 100_000, ...options });
    this.loop.setExceptionHandler((_loop, context) => {
      this.reports.push(context);
    });
    this.timeline.attach(this.loop);
  }

  /**
   * Starts a task named `name` at time `at` (ms from now), from the coroutine `factory` makes
   * (it gets the recorder, for `tl.print`). Returns a live Observable of its result: the value
   * then completion when it returns, an error when it raises or is cancelled.
   *
   * @throws {RangeError} for a negative or non-finite time; {Error} if `name` is taken.
   */
  startAt<T>(at: number, name: string, factory: (tl: Timeline) => Coroutine<T>): Observable<T> {
    checkTime('startAt', at);
    if (this.results.has(name)) {
      throw new Error(
        `startAt(): a task named ${JSON.stringify(name)} was already started; use another name`,
      );
    }
    const result = new ReplaySubject<unknown>();
    this.results.set(name, result);
    this.scheduler.schedule(() => {
      const task = this.loop.createTask(factory(this.timeline), { name });
      this.tasks.set(name, task);
      task.subscribe(result);
    }, this.delayTo(at));
    return result.asObservable() as Observable<T>;
  }

  /** Cancels the task `name` at time `at`, as `task.cancel(msg)` would (a no-op once it is done). */
  cancelAt(at: number, name: string, msg?: string): void {
    checkTime('cancelAt', at);
    this.scheduler.schedule(() => {
      const task = this.tasks.get(name);
      if (task === undefined) {
        throw new Error(
          `cancelAt(${at}): no task named ${JSON.stringify(name)} has started by then`,
        );
      }
      task.cancel(msg);
    }, this.delayTo(at));
  }

  /** A live Observable of what task `name` prints or emits (see {@link Timeline.lane}). */
  lane(name: string): Observable<unknown> {
    return this.timeline.lane(name);
  }

  /** The task started as `name`, once it has started. */
  task(name: string): Task<unknown> | undefined {
    return this.tasks.get(name);
  }

  /**
   * Call after the flush: throws the first error the loop reported (a `SpinError`, an exception
   * nobody retrieved, a failing callback) or a `DeadlockError` if tasks wait with nothing left to
   * wake them. Each message carries a task dump.
   */
  verify(): void {
    const first = this.reports[0];
    if (first !== undefined) {
      const e = first.exception;
      if (e instanceof Error) throw e;
      throw new Error(`${first.message}${e === undefined ? '' : `: ${String(e)}`}`);
    }
    const deadlock = detectDeadlock(this.loop);
    if (deadlock !== null) throw deadlock;
  }

  /** A cold Observable that starts a task when subscribed and cancels it when unsubscribed. */
  coroutine<T>(name: string, factory: (tl: Timeline) => Coroutine<T>): Observable<T> {
    return new Observable<T>((subscriber) => {
      const task = this.loop.createTask(factory(this.timeline), { name });
      this.tasks.set(name, task);
      const inner = (task as Task<T>).subscribe(subscriber);
      return () => {
        inner.unsubscribe();
        task.cancel('unsubscribed');
      };
    });
  }

  private delayTo(at: number): number {
    return Math.max(0, at - this.scheduler.now());
  }
}

function checkTime(what: string, at: number): void {
  if (typeof at !== 'number' || !Number.isFinite(at) || at < 0) {
    throw new RangeError(`${what}(at): expected a time in ms (0 or more), got ${String(at)}`);
  }
}
