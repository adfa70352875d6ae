import {
  asyncScheduler,
  type SchedulerAction,
  type SchedulerLike,
  Subscription,
  type TimestampProvider,
} from 'rxjs';

/** A host macrotask: runs `fn` after the host had a turn (I/O, timers, rendering), unclamped. */
type Post = (fn: () => void) => void;

interface HostGlobals {
  setImmediate?: (fn: () => void) => unknown;
  MessageChannel?: typeof MessageChannel;
  scheduler?: { postTask?: (fn: () => void) => Promise<unknown> };
  document?: { visibilityState?: string };
}

/**
 * The host's cheapest macrotask, found once: `setImmediate` (Node), else in browsers a task
 * posted behind the timers that are due (see {@link pagePost}), else `setTimeout(fn, 0)`.
 * Why not a Promise or `queueMicrotask`: a microtask runs before I/O, so a busy loop handing
 * itself turns through one would starve the host.
 */
function hostPost(): Post {
  const g = globalThis as HostGlobals;
  if (typeof g.setImmediate === 'function') {
    const immediate = g.setImmediate;
    return (fn) => {
      immediate(fn);
    };
  }
  const direct = directPost(g);
  return direct === null ? (fn) => void setTimeout(fn, 0) : pagePost(g, direct);
}

/**
 * A plain posted task, with no clamp: `scheduler.postTask` where it exists, else a
 * `MessageChannel` message; null in a host with neither. Each post runs the oldest callback of
 * one FIFO, so callbacks run in the order they were posted whichever way their turn came.
 */
function directPost(g: HostGlobals): ((fn: () => void) => void) | null {
  const queue: (() => void)[] = [];
  let head = 0;
  const runOldest = (): void => {
    const fn = queue[head] as () => void;
    queue[head++] = undefined as never;
    if (head === queue.length) {
      queue.length = 0;
      head = 0;
    }
    fn();
  };
  const postTask = g.scheduler?.postTask;
  if (typeof postTask === 'function') {
    const host = g.scheduler;
    return (fn) => {
      queue.push(fn);
      void postTask.call(host, runOldest);
    };
  }
  if (typeof g.MessageChannel !== 'function') return null;
  const channel = new g.MessageChannel();
  channel.port1.onmessage = runOldest;
  return (fn) => {
    queue.push(fn);
    channel.port2.postMessage(null);
  };
}

/**
 * A browser's turn for a busy loop (issue 21): a zero `setTimeout` whose callback posts the work
 * directly. Why the timer: Chromium runs `MessageChannel` and `postTask` posts ahead of timers
 * that are already due, for several turns in a row (a 10 ms interval waited 20 ms at p95 behind
 * a loop yielding every 5 ms; `scheduler.yield()` starved it for the whole 3 s run), while a
 * zero timer queues behind every due timer, and input and rendering outrank both. Why the
 * direct post after it: the work must not run inside a timer callback, where its next zero
 * timer would be nested, and HTML clamps nested timers to 4 ms from the fifth level on. A
 * hidden page gets the direct post only: browsers throttle a hidden page's timers to one a
 * second, and nothing there waits for a frame.
 */
function pagePost(g: HostGlobals, direct: (fn: () => void) => void): Post {
  const doc = g.document;
  return (fn) => {
    if (doc?.visibilityState === 'hidden') direct(fn);
    else setTimeout(() => direct(fn), 0);
  };
}

let post: Post | null = null;

/** One scheduled piece of work; RxJS's `SchedulerAction` contract (re-schedulable from `work`). */
class MacrotaskAction<T> extends Subscription implements SchedulerAction<T> {
  private _state: T | undefined = undefined;
  /** Bumped by every (re)schedule and by unsubscribe: a stale host callback sees a new number. */
  private _generation = 0;
  private _timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly _work: (this: SchedulerAction<T>, state?: T) => void) {
    super(() => {
      this._generation++;
      this._clearTimer();
    });
  }

  schedule(state?: T, delay = 0): Subscription {
    if (this.closed) return this;
    this._state = state;
    this._clearTimer();
    const generation = ++this._generation;
    const run = (): void => {
      if (generation === this._generation && !this.closed) this._execute(generation);
    };
    if (delay > 0) {
      this._timer = setTimeout(run, delay);
    } else {
      post ??= hostPost();
      post(run);
    }
    return this;
  }

  private _execute(generation: number): void {
    this._timer = null;
    try {
      this._work(this._state);
    } catch (error) {
      this.unsubscribe();
      throw error; // as RxJS's own schedulers do: an error in `work` is the host's to report
    }
    // Not re-scheduled by `work`: the action is over.
    if (generation === this._generation) this.unsubscribe();
  }

  private _clearTimer(): void {
    if (this._timer !== null) {
      clearTimeout(this._timer);
      this._timer = null;
    }
  }
}

/**
 * An RxJS scheduler whose zero-delay work runs in the host's next macrotask: `setImmediate` in
 * Node; in browsers, a zero `setTimeout` whose callback posts the work through
 * `scheduler.postTask` (or a `MessageChannel` message), so that timers already due, input and
 * rendering go first and the work itself is never clamped as a nested timer. Its clock is
 * `asyncScheduler`'s (so `TestScheduler.run` virtualises it too); delays go through a timer.
 *
 * Why it exists: `asyncScheduler` runs zero-delay work through an interval timer, which Node
 * clamps to 1 ms (browsers to 4 ms once nested), and `asapScheduler` through the microtask
 * queue, which runs before I/O. A real-time event loop hands the host a turn through this
 * scheduler once it has used its budget with work still ready (`EventLoopOptions.yieldScheduler`):
 * I/O and timers get their turn, and the loop loses microseconds rather than milliseconds.
 *
 * @example
 * ```ts
 * import { macrotaskScheduler } from 'rx-asyncio';
 * macrotaskScheduler.schedule(() => console.log('after the host had a turn'));
 * ```
 */
export const macrotaskScheduler: SchedulerLike & TimestampProvider = {
  now(): number {
    return asyncScheduler.now();
  },
  schedule<T>(
    work: (this: SchedulerAction<T>, state?: T) => void,
    delay = 0,
    state?: T,
  ): Subscription {
    return new MacrotaskAction<T>(work).schedule(state, delay);
  },
};
