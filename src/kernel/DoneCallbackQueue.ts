import { _leaveTaskContext } from './Context.js';
import type { EventLoop } from './EventLoop.js';
import type { Future, Waiter } from './Future.js';
import type { Handle } from './Handle.js';

/**
 * One done callback shared by many futures (a combinator's children: `gather`, `TaskGroup`,
 * `wait`, `asCompleted`), run exactly where asyncio runs a done callback added to each of them:
 * through the loop, in the iteration after the future is done, in completion order and at the
 * same place among the other callbacks of that iteration.
 *
 * Why not `addDoneCallback(fn)` on each future: that schedules a `Handle` (a new object and a
 * closure call) per finished child, which cost a `gather` of N finished tasks as much again as
 * spawning and running them. Here the queue is the future's waiter (no closure) and its own
 * ready-queue entry: a finished child pushes itself onto the queue's FIFO and the queue once
 * more onto the loop's ready queue (two stores); each time the loop reaches one of those entries,
 * the oldest finished child is handed to `onDone`. So the N callbacks occupy exactly the N places
 * N handles would, and allocate nothing.
 *
 * `keep`, if given, runs synchronously as each watched future finishes and says whether its
 * callback needs its place in the loop at all. A combinator whose callback only counts (`wait`:
 * only the future that releases the caller matters) drops the others, and its one kept callback
 * still runs exactly where that future's done callback would.
 *
 * @internal For the library's combinators.
 */
export class DoneCallbackQueue<F extends Future<unknown> = Future<unknown>> implements Waiter {
  /** @internal Ready-entry view: never cancelled (`unwatch` removes a future before it is done). */
  readonly _cancelled = false;
  private readonly _loop: EventLoop;
  private readonly _onDone: (future: F) => void;
  private readonly _keep: ((future: F) => boolean) | null;
  /** Finished futures whose callback has not run yet, oldest at `_head`. */
  private _done: (F | undefined)[] = [];
  private _head = 0;

  constructor(
    loop: EventLoop,
    onDone: (future: F) => void,
    keep: ((future: F) => boolean) | null = null,
  ) {
    this._loop = loop;
    this._onDone = onDone;
    this._keep = keep;
  }

  /**
   * Calls `onDone(future)` through the loop once `future` is done (at once if it is), unless
   * `keep(future)` says false.
   */
  watch(future: F): void {
    future._addCallback(this);
  }

  /** Stops watching `future` (a no-op once it is done: its callback is already scheduled). */
  unwatch(future: F): void {
    future._removeWaiter(this);
  }

  /** @internal Waiter: the future is done; its callback takes the next place in the loop. */
  _wakeup(future: Future<unknown>): void {
    if (this._keep !== null && !this._keep(future as F)) return;
    this._done.push(future as F);
    this._loop._pushDone(this as unknown as Handle);
  }

  /** @internal Ready-entry view: the callback (for dumps and the testing kit's labels). */
  get _fn(): (future: F) => void {
    return this._onDone;
  }
  /** @internal Ready-entry view: the future whose callback runs next. */
  get _a(): F | undefined {
    return this._done[this._head];
  }
  /** @internal Ready-entry view. */
  get _b(): undefined {
    return undefined;
  }

  /** @internal Called by the loop: runs the oldest pending callback. */
  _run(): void {
    _leaveTaskContext();
    const done = this._done;
    const future = done[this._head] as F;
    done[this._head++] = undefined;
    if (this._head === done.length) {
      // Drained: start over (a new array, so a very large batch does not stay allocated).
      this._done = [];
      this._head = 0;
    }
    try {
      this._onDone(future);
    } catch (exception) {
      this._loop.callExceptionHandler({
        message: `Exception in callback ${this._onDone.name || '(anonymous)'}`,
        exception,
        future,
      });
    }
  }
}
