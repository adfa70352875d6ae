import {
  asyncScheduler,
  type SchedulerAction,
  type SchedulerLike,
  Subscription,
  type TimestampProvider,
} from 'rxjs';

/** A host macrotask: runs `fn` after the host had a turn (I/O, timers, rendering), unclamped. */
type Post = (fn: () => void) => void;

/**
 * The host's cheapest macrotask, found once: `setImmediate` (Node), else a `MessageChannel`
 * message (browsers: no 4 ms clamp, unlike nested `setTimeout`), else `setTimeout(fn, 0)`.
 * Why not a Promise or `queueMicrotask`: a microtask runs before I/O, so a busy loop handing
 * itself turns through one would starve the host.
 */
function hostPost(): Post {
  const g = globalThis as {
    setImmediate?: (fn: () => void) => unknown;
    MessageChannel?: typeof MessageChannel;
  };
  if (typeof g.setImmediate === 'function') {
    const immediate = g.setImmediate;
    return (fn) => {
      immediate(fn);
    };
  }
  if (typeof g.MessageChannel === 'function') {
    // One channel, a FIFO of callbacks: each message runs the oldest one.
    const channel = new g.MessageChannel();
    const queue: (() => void)[] = [];
    let head = 0;
    channel.port1.onmessage = () => {
      const fn = queue[head] as () => void;
      queue[head++] = undefined as never;
      if (head === queue.length) {
        queue.length = 0;
        head = 0;
      }
      fn();
    };
    return (fn) => {
      queue.push(fn);
      channel.port2.postMessage(null);
    };
  }
  return (fn) => {
    setTimeout(fn, 0);
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
 * Node, a `MessageChannel` message in browsers. Its clock is `asyncScheduler`'s (so
 * `TestScheduler.run` virtualises it too); delays go through a timer.
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
