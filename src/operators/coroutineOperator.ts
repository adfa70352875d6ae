/**
 * The machinery shared by the coroutine operators (`mergeCoroutine`, `concatCoroutine`,
 * `switchCoroutine`, `exhaustCoroutine`): one task per source value, on the loop chosen by
 * `loopForScheduler`, with a flattening policy deciding what happens to a value that arrives
 * while the limit of running coroutines is reached.
 *
 * Invariant: `running` holds every started task that is not done yet, including tasks that were
 * cancelled and are still running their cleanup; a new task starts only while
 * `running.size < limit`. That is what makes a switch wait for the cleanup of the coroutine it
 * cancelled, and the output complete only after every coroutine's `finally` has run.
 *
 * @module
 */
import {
  asyncScheduler,
  Observable,
  type OperatorFunction,
  type SchedulerLike,
  type Subscriber,
} from 'rxjs';
import { loopForScheduler, releaseLoopIfIdle } from '../interop/loopForScheduler.js';
import { _reportOrphanError } from '../interop/reportOrphanError.js';
import { type Coroutine, describe, isCoroutine } from '../kernel/Awaitable.js';
import { type Context, copyContext } from '../kernel/Context.js';
import type { EventLoop } from '../kernel/EventLoop.js';
import { _getRunningLoopOrNull } from '../kernel/runningLoop.js';
import type { Task } from '../kernel/Task.js';

/** What a coroutine run by a coroutine operator gets besides the source value. */
export interface CoroutineContext<R> {
  /**
   * Sends `value` downstream at once, so a coroutine can produce many values, not only its
   * return value. Ignored once this coroutine was switched away from, or the output was
   * unsubscribed or errored.
   */
  emit(value: R): void;
  /** The index of the source value (0-based), as RxJS projections get it. */
  readonly index: number;
}

/**
 * A coroutine function run per source value. Its return value is emitted when it returns, unless
 * it is `undefined` (a coroutine that only `emit`s returns nothing); to emit `undefined`, call
 * `ctx.emit(undefined)`.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a generator function without `return` returns `void`, which `undefined` does not accept.
export type CoroutineProject<T, R> = (value: T, ctx: CoroutineContext<R>) => Coroutine<R | void>;

/** Options of the coroutine operators. */
export interface CoroutineOperatorOptions {
  /**
   * The scheduler whose loop runs the coroutines. Default: the running loop when the output is
   * subscribed from inside one, else `asyncScheduler` (virtualised by `TestScheduler.run`).
   */
  scheduler?: SchedulerLike;
}

/** @internal What to do with a value that arrives while `limit` coroutines are running. */
export type Policy = 'buffer' | 'drop' | 'switch';

interface Inner {
  readonly task: Task<unknown>;
  readonly loop: EventLoop;
  /** False once switched away from or unsubscribed: its emissions and result are dropped. */
  live: boolean;
}

/** @internal Builds a coroutine operator; `what` names it in errors and task names. */
export function coroutineOperator<T, R>(
  what: string,
  project: CoroutineProject<T, R>,
  policy: Policy,
  limit: number,
  options: CoroutineOperatorOptions,
): OperatorFunction<T, R> {
  if (typeof project !== 'function') {
    throw new TypeError(
      `${what}(project): expected a generator function (value, ctx) => coroutine, got ${describe(project)}`,
    );
  }
  if (!(limit >= 1) || (limit !== Number.POSITIVE_INFINITY && !Number.isInteger(limit))) {
    throw new RangeError(
      `${what}(): concurrency must be a positive integer or Infinity, got ${describe(limit)}`,
    );
  }
  const scheduler = options.scheduler;
  return (source) =>
    new Observable<R>((subscriber) => {
      const run = new Flattener(what, project, policy, limit, scheduler, subscriber);
      const sub = source.subscribe({
        next: (v) => run.onValue(v),
        error: (e) => run.fail(e),
        complete: () => run.onSourceComplete(),
      });
      return () => {
        sub.unsubscribe();
        run.close();
      };
    });
}

class Flattener<T, R> {
  private readonly running = new Set<Inner>();
  private readonly buffer: Array<{ value: T; index: number }> = [];
  private index = 0;
  private sourceDone = false;
  private closed = false;
  /** The loop of the coroutine that subscribed, if one did and no scheduler was given. */
  private readonly bound: EventLoop | null;
  /** The context current at subscribe time: each coroutine runs in a copy of it. */
  private readonly context: Context = copyContext();

  constructor(
    private readonly what: string,
    private readonly project: CoroutineProject<T, R>,
    private readonly policy: Policy,
    private readonly limit: number,
    private readonly scheduler: SchedulerLike | undefined,
    private readonly subscriber: Subscriber<R>,
  ) {
    this.bound = scheduler === undefined ? _getRunningLoopOrNull() : null;
  }

  onValue(value: T): void {
    if (this.closed) return;
    const index = this.index++;
    if (this.running.size < this.limit) {
      this.start(value, index);
    } else if (this.policy === 'buffer') {
      this.buffer.push({ value, index });
    } else if (this.policy === 'switch') {
      for (const inner of this.running) this.cancel(inner, 'switched to a newer value');
      this.buffer.length = 0;
      this.buffer.push({ value, index });
    }
    // 'drop' (exhaust): the value is ignored while a coroutine runs.
  }

  onSourceComplete(): void {
    this.sourceDone = true;
    this.completeIfDone();
  }

  /** Errors the output; the teardown ({@link close}) cancels the running coroutines. */
  fail(error: unknown): void {
    if (!this.closed) this.subscriber.error(error);
  }

  /** Teardown: cancel everything; cleanup keeps running on the loop. */
  close(): void {
    this.closed = true;
    this.buffer.length = 0;
    for (const inner of this.running) this.cancel(inner, 'unsubscribed');
  }

  private cancel(inner: Inner, msg: string): void {
    if (!inner.live) return;
    inner.live = false;
    inner.task.cancel(msg);
  }

  private start(value: T, index: number): void {
    let inner: Inner | undefined;
    const ctx: CoroutineContext<R> = {
      index,
      emit: (v) => {
        if (inner?.live && !this.closed) this.subscriber.next(v);
      },
    };
    let loop: EventLoop;
    let task: Task<unknown>;
    try {
      const coro: unknown = this.project(value, ctx);
      if (!isCoroutine(coro)) {
        throw new TypeError(
          `${this.what}(project): project returned ${describe(coro)}, not a coroutine; make it a generator function: function* (value, ctx) { ... }`,
        );
      }
      loop = this.bound ?? loopForScheduler(this.scheduler ?? asyncScheduler);
      task = loop.createTask(coro as Coroutine<unknown>, {
        name: `${this.what}[${index}]`,
        context: this.context.copy(),
      });
    } catch (e) {
      this.fail(e);
      return;
    }
    inner = { task, loop, live: true };
    this.running.add(inner);
    const done = inner;
    task.addDoneCallback(() => this.onDone(done));
  }

  private onDone(inner: Inner): void {
    this.running.delete(inner);
    const { task, loop } = inner;
    if (this.closed) {
      _reportOrphanError(task, 'Exception in a coroutine of an unsubscribed pipeline');
      releaseLoopIfIdle(loop);
      return;
    }
    this.settle(inner);
    inner.live = false; // an `emit` kept past the coroutine's end is ignored
    this.drain();
    releaseLoopIfIdle(loop); // after drain: a coroutine it started keeps the loop in use
    this.completeIfDone();
  }

  private settle(inner: Inner): void {
    const { task } = inner;
    if (task.cancelled()) {
      // Cancelled by us: expected. Cancelled by anything else: the coroutine failed with it.
      if (inner.live) this.fail(outcomeError(task));
    } else if (task.exception() !== null) {
      // A switched-away coroutine whose cleanup fails errors the output too, as
      // `task.cancel(); await task` would raise it in asyncio.
      this.fail(task.exception());
    } else if (inner.live) {
      const value = task.result();
      if (value !== undefined) this.subscriber.next(value as R);
    }
  }

  private drain(): void {
    while (!this.closed && this.buffer.length > 0 && this.running.size < this.limit) {
      const next = this.buffer.shift() as { value: T; index: number };
      this.start(next.value, next.index);
    }
  }

  private completeIfDone(): void {
    if (this.sourceDone && this.running.size === 0 && this.buffer.length === 0 && !this.closed) {
      this.subscriber.complete();
    }
  }
}

function outcomeError(task: Task<unknown>): unknown {
  try {
    task.result();
    return undefined;
  } catch (e) {
    return e;
  }
}
