import { asapScheduler, asyncScheduler, type SchedulerLike } from 'rxjs';
import { dateTimestampProvider } from 'rxjs/internal/scheduler/dateTimestampProvider';
import { describe } from './Awaitable.js';

/** Argument checks of the loop's public methods: a clear error at the call site. */

export function defaultWake(
  scheduler: SchedulerLike,
  wake: SchedulerLike | null | undefined,
): SchedulerLike {
  if (wake !== undefined && wake !== null && typeof wake?.schedule !== 'function') {
    throw new TypeError(
      `EventLoop option wakeScheduler: expected a SchedulerLike or null, got ${describe(wake)}`,
    );
  }
  if (wake !== undefined) return wake ?? scheduler;
  // Inside TestScheduler.run() asyncScheduler is virtual (its clock has a delegate): keep one
  // scheduler there, so virtual-time ordering stays exactly the TestScheduler's.
  const real = scheduler === asyncScheduler && dateTimestampProvider.delegate === undefined;
  return real ? asapScheduler : scheduler;
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
