import { asyncScheduler, type SchedulerLike } from 'rxjs';
// Internal, but exported by RxJS 7's package map; see keyOf() for why.
import { intervalProvider } from 'rxjs/internal/scheduler/intervalProvider';
import { describe } from '../kernel/Awaitable.js';
import { EventLoop } from '../kernel/EventLoop.js';
import { _getRunningLoopOrNull } from '../kernel/runningLoop.js';

/**
 * One loop per scheduler while it has work, so coroutines started from RxJS code on the same
 * scheduler share a loop (and can share futures and locks). A loop is dropped once it is idle,
 * so nothing leaks from one TestScheduler test to the next, even through `asyncScheduler`
 * (which `TestScheduler.run` virtualises in place).
 */
const loops = new WeakMap<object, EventLoop>();
const keys = new WeakMap<EventLoop, object>();

/**
 * Inside `TestScheduler.run`, `asyncScheduler` schedules through per-run delegates: keying its loop
 * by the delegate gives each run its own loop, so even a coroutine left pending by one test (its
 * output never unsubscribed) cannot wake up inside the next one.
 */
function keyOf(scheduler: SchedulerLike): object {
  return scheduler === asyncScheduler ? (intervalProvider.delegate ?? scheduler) : scheduler;
}

/**
 * The loop that coroutines started from RxJS code run on: the loop bound to `scheduler` when one
 * is given; otherwise the running loop when called from inside one (a pipeline subscribed by a
 * coroutine keeps its tasks on that coroutine's loop, so they can share futures), else the loop
 * bound to `asyncScheduler`. Loops bound to a scheduler are shared while they have work and
 * dropped once idle (`releaseLoopIfIdle`, called when its tasks finish).
 *
 * @throws {TypeError} if `scheduler` is not an RxJS scheduler.
 * @example
 * ```ts
 * import { loopForScheduler } from 'rx-asyncio';
 * import { asyncScheduler } from 'rxjs';
 * const loop = loopForScheduler(asyncScheduler);
 * loop.callLater(10, () => console.log('on the shared asyncScheduler loop'));
 * ```
 */
export function loopForScheduler(scheduler?: SchedulerLike): EventLoop {
  if (scheduler === undefined) {
    const running = _getRunningLoopOrNull();
    if (running !== null && !running.isClosed()) return running;
    scheduler = asyncScheduler;
  } else if (
    scheduler === null ||
    typeof scheduler !== 'object' ||
    typeof scheduler.schedule !== 'function'
  ) {
    throw new TypeError(
      `scheduler: expected an RxJS SchedulerLike (asyncScheduler, a TestScheduler...), got ${describe(scheduler)}`,
    );
  }
  const key = keyOf(scheduler);
  let loop = loops.get(key);
  if (loop === undefined || loop.isClosed()) {
    loop = new EventLoop(scheduler);
    loops.set(key, loop);
    keys.set(loop, key);
  }
  return loop;
}

/**
 * @internal Forgets the scheduler's shared loop once it has nothing left to do. Call it from a
 * done callback of every task started on a loop from {@link loopForScheduler}.
 */
export function releaseLoopIfIdle(loop: EventLoop): void {
  if (loop._pendingTasks.size === 0 && loop._ready.size === 0 && loop._timers.size === 0) {
    const key = keys.get(loop);
    if (key !== undefined && loops.get(key) === loop) loops.delete(key);
  }
}
