import type { Coroutine } from './Awaitable.js';
import { Task, type TaskOptions } from './Task.js';

/**
 * Wraps a coroutine in a {@link Task} scheduled on the running loop (asyncio's `create_task`).
 * Keep a reference if you need the result; rx-asyncio keeps the task alive until it is done either way.
 *
 * @throws {TypeError} for a generator function (call it) or a non-coroutine.
 * @throws {RuntimeError} outside a running loop (pass `{ loop }` or use `loop.createTask`).
 * @example
 * ```ts
 * import { createTask, run, sleep } from 'rx-asyncio';
 * run(function* () {
 *   const t = createTask(function* () { yield* sleep(10); return 'done'; }());
 *   console.log(yield* t);
 * }());
 * ```
 */
export function createTask<T>(coro: Coroutine<T>, options?: TaskOptions): Task<T> {
  return new Task(coro, options);
}
