import { asapScheduler, asyncScheduler, queueScheduler, type SchedulerLike } from 'rxjs';
import { dateTimestampProvider } from 'rxjs/internal/scheduler/dateTimestampProvider';
import { macrotaskScheduler } from '../schedulers/macrotaskScheduler.js';
import { describe } from './Awaitable.js';
import { _givenContext, Context } from './Context.js';

/** Argument checks of the loop's public methods: a clear error at the call site. */

/**
 * A helper scheduler option of the loop (`wakeScheduler`, `yieldScheduler`): the one given,
 * `null` for the loop's own, or by default `realTime` when the loop runs on the real
 * `asyncScheduler`. Inside `TestScheduler.run()` asyncScheduler is virtual (its clock has a
 * delegate): the loop keeps one scheduler there, so virtual-time ordering stays exactly the
 * TestScheduler's.
 */
function helperScheduler(
  option: string,
  scheduler: SchedulerLike,
  given: SchedulerLike | null | undefined,
  realTime: SchedulerLike,
): SchedulerLike {
  if (given !== undefined && given !== null && typeof given?.schedule !== 'function') {
    throw new TypeError(
      `EventLoop option ${option}: expected a SchedulerLike or null, got ${describe(given)}`,
    );
  }
  if (given !== undefined) return given ?? scheduler;
  return isRealAsync(scheduler) ? realTime : scheduler;
}

/** Wakes an idle loop: `asapScheduler` on the real `asyncScheduler` (see EventLoopOptions). */
export function defaultWake(
  scheduler: SchedulerLike,
  given: SchedulerLike | null | undefined,
): SchedulerLike {
  return helperScheduler('wakeScheduler', scheduler, given, asapScheduler);
}

/**
 * Hands the host a turn when the budget is spent: rx-asyncio's macrotask scheduler on the real
 * `asyncScheduler`, whose zero delay costs 1 ms in Node, 4 ms in browsers.
 */
export function defaultYield(
  scheduler: SchedulerLike,
  given: SchedulerLike | null | undefined,
): SchedulerLike {
  if (given === undefined && isRealMicrotask(scheduler)) return macrotaskScheduler;
  return helperScheduler('yieldScheduler', scheduler, given, macrotaskScheduler);
}

/**
 * The real `asapScheduler` or `queueScheduler`: their zero delay is a microtask (or runs at
 * once), so a loop yielding through them would never let the host run a macrotask (a timer, I/O,
 * a Promise settled from one): a task looping on `sleep(0)` starved the host forever. The host's
 * turn goes through the macrotask scheduler there too.
 */
function isRealMicrotask(scheduler: SchedulerLike): boolean {
  return (
    (scheduler === asapScheduler || scheduler === queueScheduler) &&
    dateTimestampProvider.delegate === undefined
  );
}

/**
 * The default `EventLoopOptions.budget`: 8 ms in Node (a host with `setImmediate`), 5 ms
 * elsewhere (browsers, web workers, Deno). Why 5 in a browser: with one host turn per 5 ms a
 * page's timers, input and rendering wait at most about one 16.7 ms frame (React's scheduler
 * yields every 5 ms too); Node has no frame to keep, so it keeps the longer slice and its
 * throughput.
 */
export function defaultBudget(): number {
  return typeof (globalThis as { setImmediate?: unknown }).setImmediate === 'function' ? 8 : 5;
}

/** The real-time `asyncScheduler`, not the one `TestScheduler.run` virtualises in place. */
function isRealAsync(scheduler: SchedulerLike): boolean {
  return scheduler === asyncScheduler && dateTimestampProvider.delegate === undefined;
}

export function checkCallback(what: string, cb: unknown): void {
  if (typeof cb !== 'function') {
    throw new TypeError(`${what}(callback): expected a function, got ${describe(cb)}`);
  }
}

export function checkDelay(what: string, ms: unknown): void {
  if (typeof ms !== 'number' || Number.isNaN(ms)) {
    const err = typeof ms === 'number' ? RangeError : TypeError;
    throw new err(`${what}(): the time must be a number of milliseconds, got ${describe(ms)}`);
  }
}

export function checkPositive(name: string, v: number): number {
  if (typeof v !== 'number' || !(v > 0)) {
    throw new RangeError(`EventLoop option ${name} must be a positive number, got ${describe(v)}`);
  }
  return v;
}

/** The trailing options of `callSoon`/`callLater`/`callAt`: asyncio's `context=` keyword. */
export interface CallOptions {
  /** The context the callback runs in (not copied); default a copy of the current one. */
  context: Context;
}

/**
 * Splits a trailing `{ context }` off a callback's arguments. Why this exact shape only: the
 * arguments are the callback's own, so only a plain object whose one key is `context`, holding a
 * `Context`, is taken as options; anything else stays an argument.
 */
export function takeCallContext(args: unknown[]): Context | null {
  const n = args.length;
  if (n === 0) return null;
  const last = args[n - 1];
  if (
    last === null ||
    typeof last !== 'object' ||
    Object.getPrototypeOf(last) !== Object.prototype ||
    !((last as CallOptions).context instanceof Context)
  ) {
    return null;
  }
  const keys = Object.keys(last);
  if (keys.length !== 1 || keys[0] !== 'context') return null;
  args.length = n - 1;
  return _givenContext((last as CallOptions).context);
}
