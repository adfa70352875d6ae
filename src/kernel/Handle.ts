import { displayName } from '../internal/displayName.js';
import { _enterContext, _leaveTaskContext, _restoreContext, type Context } from './Context.js';
import type { EventLoop } from './EventLoop.js';

/** A callback as the loop stores it: up to two arguments inline, more in an array. */
export type Callback = (...args: never[]) => unknown;

/**
 * @internal An entry of the loop's ready queue: what one iteration runs. A {@link Handle} (a
 * callback), a {@link TimerHandle} that came due, a task (its own step entry: no handle per step)
 * and a sleep's future (its own timer entry) implement it. `_run` is a no-op once `_cancelled`.
 * A task's step leaves its context current (Context.ts): an entry whose `_run` can reach code
 * outside the kernel calls `_leaveTaskContext()` first.
 * `_fn`, `_a` and `_b` (the callback and its first two arguments) are for dumps and the testing
 * kit (src/kernel/internals.ts).
 */
export interface ReadyEntry {
  readonly _cancelled: boolean;
  readonly _fn: Callback | null;
  readonly _a: unknown;
  readonly _b: unknown;
  _run(): void;
}

/**
 * @internal A ready entry that waits in the loop's timer queue until `when` (loop time, ms): a
 * {@link TimerHandle} or a sleep's future. `_scheduled` is true while it is in the timer queue.
 */
export interface TimerEntry extends ReadyEntry {
  readonly when: number;
  _scheduled: boolean;
}

/**
 * A callback scheduled with `loop.callSoon`: call `cancel()` to drop it before it runs.
 *
 * @example
 * ```ts
 * import { EventLoop } from 'rx-asyncio';
 * const loop = new EventLoop();
 * const h = loop.callSoon(() => console.log('never printed'));
 * h.cancel();
 * ```
 */
export class Handle {
  /** @internal See displayName.ts. */
  static readonly _displayName: string = 'Handle';
  /** @internal */ _cancelled = false;
  /** @internal */ readonly _loop: EventLoop;
  /** @internal */ _fn: Callback | null;
  /** @internal */ readonly _a: unknown;
  /** @internal */ readonly _b: unknown;
  /** @internal */ readonly _args: readonly unknown[] | null;
  /** @internal */ readonly _nargs: number;
  /**
   * @internal The context the callback runs in: set for callbacks scheduled through the public
   * `callSoon`/`callLater`/`callAt` (a copy of the caller's, or the one given); null for the
   * kernel's own callbacks, which touch no context variable (a task's step enters its own).
   */
  _context: Context | null = null;

  /** @internal Use `loop.callSoon`. */
  constructor(
    loop: EventLoop,
    fn: Callback,
    nargs: number,
    a: unknown,
    b: unknown,
    args: readonly unknown[] | null,
  ) {
    this._loop = loop;
    this._fn = fn;
    this._nargs = nargs;
    this._a = a;
    this._b = b;
    this._args = args;
  }

  /** Prevents the callback from running; a no-op once it ran. */
  cancel(): void {
    if (!this._cancelled) {
      this._cancelled = true;
      this._fn = null;
    }
  }

  /** True once `cancel()` was called. */
  cancelled(): boolean {
    return this._cancelled;
  }

  /** @internal Runs the callback; an exception goes to the loop's exception handler. */
  _run(): void {
    const fn = this._fn as ((...args: unknown[]) => unknown) | null;
    if (fn === null) return;
    _leaveTaskContext();
    const ctx = this._context;
    if (ctx === null) this._call(fn);
    else if (ctx._outer !== undefined) ctx._outer(runInContext, this, fn, ctx);
    else runInContext(this, fn, ctx);
  }

  /** @internal Calls the callback; an exception goes to the loop's exception handler. */
  _call(fn: (...args: unknown[]) => unknown): void {
    try {
      switch (this._nargs) {
        case 0:
          fn();
          break;
        case 1:
          fn(this._a);
          break;
        case 2:
          fn(this._a, this._b);
          break;
        default:
          fn(...(this._args as unknown[]));
      }
    } catch (exception) {
      this._loop.callExceptionHandler({
        message: `Exception in callback ${fn.name || '(anonymous)'}`,
        exception,
        handle: this,
      });
    }
  }

  /**
   * The context the callback runs in (asyncio's `Handle.get_context()`), or null for the loop's
   * internal callbacks.
   */
  getContext(): Context | null {
    return this._context;
  }

  toString(): string {
    const name = this._fn?.name || '(anonymous)';
    return `<${displayName(this)} ${this._cancelled ? 'cancelled' : name}>`;
  }
}

/** Runs a handle's callback with its context current (the host context around it, if bridged). */
function runInContext(h: Handle, fn: (...args: unknown[]) => unknown, ctx: Context): void {
  const prev = _enterContext(ctx);
  try {
    h._call(fn);
  } finally {
    _restoreContext(prev);
  }
}

/**
 * A callback scheduled for a time with `loop.callLater` / `loop.callAt`. `when()` is the loop time
 * (milliseconds) it is due at.
 */
export class TimerHandle extends Handle {
  /** @internal See displayName.ts. */
  static override readonly _displayName: string = 'TimerHandle';
  readonly when: number;
  /** @internal True while it sits in the loop's timer queue. */
  _scheduled = true;

  /** @internal Use `loop.callLater` or `loop.callAt`. */
  constructor(
    loop: EventLoop,
    when: number,
    fn: Callback,
    nargs: number,
    a: unknown,
    b: unknown,
    args: readonly unknown[] | null,
  ) {
    super(loop, fn, nargs, a, b, args);
    this.when = when;
  }

  override cancel(): void {
    if (!this._cancelled) {
      super.cancel();
      if (this._scheduled) this._loop._timerCancelled(this);
    }
  }

  /** Get the loop time (ms) this timer is due at. */
  getWhen(): number {
    return this.when;
  }
}
