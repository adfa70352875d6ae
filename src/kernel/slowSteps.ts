/**
 * The slow-step detector of debug mode: times every callback the loop runs (a task step is one)
 * with the host's real clock and reports those that blocked the loop longer than
 * `loop.slowCallbackDuration` ms.
 *
 * Why the one real clock read in the kernel: the loop never reads a real clock (so a
 * `TestScheduler` can virtualise it). Blocking is about real time, though, even under a virtual
 * scheduler: a step that busy-waits 200 ms freezes the host whatever the loop's clock says. So
 * debug mode installs this monitor, and only then does the loop's path read `performance.now()`;
 * it measures and never schedules, so virtual time stays exact. It lives in the kernel because
 * debug mode is the loop's (`setDebug`), and the kernel imports nothing above it.
 *
 * @module
 */

import { creationSite } from './creationSite.js';
import type { EventLoop } from './EventLoop.js';
import { Handle, type ReadyEntry } from './Handle.js';
import { Task } from './Task.js';

/** @internal What the loop calls for each callback while debug mode is on. */
export interface StepMonitor {
  run(entry: ReadyEntry): void;
}

// biome-ignore-start lint/style/noRestrictedGlobals: debug mode's real clock, see the module doc.
const now: () => number =
  typeof performance === 'object' && typeof performance.now === 'function'
    ? () => performance.now()
    : () => Date.now();
// biome-ignore-end lint/style/noRestrictedGlobals: debug mode's real clock, see the module doc.

/** @internal Creates the monitor debug mode installs on `loop`. */
export function _slowStepMonitor(loop: EventLoop): StepMonitor {
  return {
    run(entry: ReadyEntry): void {
      const start = now();
      entry._run();
      const took = now() - start;
      if (took >= loop.slowCallbackDuration) reportSlowStep(loop, entry, took);
    },
  };
}

/** The task a ready entry steps or wakes (its first argument), if any. */
function taskOf(entry: ReadyEntry): Task<unknown> | undefined {
  return entry._a instanceof Task ? (entry._a as Task<unknown>) : undefined;
}

function reportSlowStep(loop: EventLoop, entry: ReadyEntry, took: number): void {
  const task = taskOf(entry);
  const what = task === undefined ? String(entry) : `a step of ${task}`;
  const createdAt = task?._createdAt === undefined ? undefined : creationSite(task._createdAt);
  loop.callExceptionHandler({
    message:
      `Executing ${what} blocked the event loop for ${took.toFixed(1)} ms ` +
      `(slowCallbackDuration is ${loop.slowCallbackDuration} ms)` +
      (createdAt === undefined ? '' : `; the task was created at ${createdAt}`) +
      ': move blocking work to toThread() or split it with `yield* sleep(0)`',
    // A task's step is the task itself, not a Handle: the context names it as `task`.
    ...(entry instanceof Handle ? { handle: entry } : {}),
    ...(task === undefined ? {} : { task }),
    duration: took,
    createdAt,
  });
}
