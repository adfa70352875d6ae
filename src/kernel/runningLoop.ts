import { _captureStacks, RuntimeError } from '../errors.js';
import { describe } from './Awaitable.js';
import type { EventLoop } from './EventLoop.js';
import type { Task } from './Task.js';

/**
 * The loop whose callbacks are executing right now. JavaScript is single-threaded, so one slot is
 * enough; loops save and restore it around their work, so a loop driven from inside another
 * loop's callback (a test helper flushing a TestScheduler, say) nests correctly.
 */
let running: EventLoop | null = null;

/** @internal Sets the running loop and returns the previous one (for restore). */
export function _setRunningLoop(loop: EventLoop | null): EventLoop | null {
  const prev = running;
  running = loop;
  _captureStacks(loop?.getDebug() ?? false);
  return prev;
}

/** The running loop, or null outside of any loop callback. */
export function _getRunningLoopOrNull(): EventLoop | null {
  return running;
}

/**
 * Returns the event loop running the current task or callback (asyncio's `get_running_loop`).
 *
 * @throws {RuntimeError} when called outside a coroutine or loop callback.
 * @example
 * ```ts
 * import { getRunningLoop, run } from 'rx-asyncio';
 * run(function* () {
 *   console.log(getRunningLoop().time());
 * }());
 * ```
 */
export function getRunningLoop(): EventLoop {
  if (running === null) {
    throw new RuntimeError(
      'no running event loop: call this from inside a coroutine or loop callback, ' +
        'or start one with run(main()) / new EventLoop(scheduler)',
    );
  }
  return running;
}

/**
 * Returns the task whose coroutine is executing now, or null in a loop callback that is not a
 * task step (asyncio's `current_task`).
 *
 * @throws {RuntimeError} `no running event loop` without a `loop` argument outside a running
 * loop, as asyncio 3.13 (which calls `get_running_loop()`).
 *
 * @example
 * ```ts
 * import { currentTask, run } from 'rx-asyncio';
 * run(function* () {
 *   console.log(currentTask()?.getName());
 * }());
 * ```
 */
export function currentTask(loop?: EventLoop): Task<unknown> | null {
  if (loop !== undefined) _checkLoop('currentTask(loop)', loop);
  return (loop ?? getRunningLoop())._currentTask;
}

/**
 * Returns the set of tasks of the loop that are not done yet (asyncio's `all_tasks`).
 *
 * @throws {RuntimeError} without a loop argument, outside of a running loop.
 * @example
 * ```ts
 * import { allTasks, run } from 'rx-asyncio';
 * run(function* () {
 *   console.log(allTasks().size); // 1: main itself
 * }());
 * ```
 */
export function allTasks(loop?: EventLoop): Set<Task<unknown>> {
  if (loop !== undefined) _checkLoop('allTasks(loop)', loop);
  return new Set((loop ?? getRunningLoop())._pendingTasks);
}

/**
 * @internal Refuses a `loop` argument that is not an EventLoop, at the call (duck-typed: this
 * module cannot import the class). Returns it.
 */
export function _checkLoop(what: string, loop: unknown): EventLoop {
  if (typeof (loop as EventLoop | null)?._callSoon !== 'function') {
    throw new TypeError(`${what}: expected an EventLoop, got ${describe(loop)}`);
  }
  return loop as EventLoop;
}
