import type { SchedulerLike } from 'rxjs';
import type { EventLoop } from '../kernel/EventLoop.js';
import type { Future } from '../kernel/Future.js';
import { isVirtualTimeScheduler } from '../schedulers/virtualTime.js';

/**
 * What {@link setPromiseBoundaryHook} reports: a Promise met a loop that runs in virtual time.
 * - `awaited`: a Promise was turned into a future (`awaitable(promise)`, `ensureFuture(promise)`)
 *   while the loop's scheduler is virtual. This happens during the flush: the coroutine now waits
 *   for the host's microtask queue, which a synchronous flush never reaches.
 * - `settled`: that Promise settled, after the flush that awaited it had returned; the coroutine
 *   resumes only if the scheduler is flushed again.
 */
export interface PromiseBoundaryEvent {
  readonly phase: 'awaited' | 'settled';
  readonly loop: EventLoop;
  /** The future that stands for the Promise on the loop. */
  readonly future: Future<unknown>;
  /** The loop's (virtual) time at the event. */
  readonly time: number;
}

/** Receives {@link PromiseBoundaryEvent}s. */
export type PromiseBoundaryHook = (event: PromiseBoundaryEvent) => void;

let hook: PromiseBoundaryHook | null = null;

/**
 * Installs the function told when a Promise is awaited, or settles, on a loop driven by a
 * virtual-time scheduler (a `TestScheduler`, or `asyncScheduler` inside `TestScheduler.run`).
 * Promises are not virtualised: they settle on the host's microtask queue, after the synchronous
 * flush has returned, so a virtual-time test that awaits one stops there. Returns the previous
 * hook, so a testing kit can install its own around a run and restore it.
 *
 * Without a hook (`null`, the default), an `awaited` event is reported as a warning to the loop's
 * exception handler (`runVirtual` collects it in `reports`); `settled` events are dropped.
 *
 * @example
 * ```ts
 * import { setPromiseBoundaryHook } from 'rx-asyncio';
 * const previous = setPromiseBoundaryHook((e) => {
 *   console.warn(`a Promise was ${e.phase} at virtual time ${e.time}`);
 * });
 * setPromiseBoundaryHook(previous);
 * ```
 */
export function setPromiseBoundaryHook(h: PromiseBoundaryHook | null): PromiseBoundaryHook | null {
  if (h !== null && typeof h !== 'function') {
    throw new TypeError(
      `setPromiseBoundaryHook(hook): expected a function or null, got ${typeof h}`,
    );
  }
  const previous = hook;
  hook = h;
  return previous;
}

// Why a clock test: inside TestScheduler.run, asyncScheduler's clock is the test's frame count,
// and RxJS offers no public way to ask whether that delegation is active.
const A_DAY = 86_400_000;

/** True if `scheduler` runs in virtual time (not the wall clock). */
export function isVirtualTime(scheduler: SchedulerLike): boolean {
  return isVirtualTimeScheduler(scheduler) || Math.abs(scheduler.now() - Date.now()) > A_DAY;
}

/** @internal Tells the hook (or the loop, by default) that a Promise crossed a virtual loop. */
export function _promiseBoundary(
  loop: EventLoop,
  future: Future<unknown>,
  phase: PromiseBoundaryEvent['phase'],
): void {
  if (!isVirtualTime(loop.scheduler)) return;
  const event: PromiseBoundaryEvent = { phase, loop, future, time: loop.time() };
  if (hook !== null) {
    try {
      hook(event);
    } catch (exception) {
      loop.callExceptionHandler({ message: 'Exception in the Promise boundary hook', exception });
    }
  } else if (phase === 'awaited' && !loop.isClosed()) {
    loop.callExceptionHandler({
      message:
        `warning: a Promise was awaited at virtual time ${event.time}; Promises are not ` +
        'virtualised and settle after the flush, so this coroutine resumes only if the scheduler ' +
        'is flushed again. Use an rx-asyncio awaitable or an Observable in virtual-time tests.',
      future,
    });
  }
}
