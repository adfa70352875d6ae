import type { Awaitable, Coroutine } from './Awaitable.js';
import { Task, type TaskOptions } from './Task.js';

/**
 * Wraps a coroutine in a {@link Task} scheduled on the running loop (asyncio's `create_task`).
 * Keep a reference if you need the result; rx-asyncio keeps the task alive until it is done either way.
 *
 * Besides coroutine objects it takes the awaitables that are coroutines in asyncio —
 * `sleep(ms)`, `queue.get()`, `lock.acquire()`, `event.wait()`, `waitFor(...)`, `wait(...)`,
 * `timeout(...)`, `toThread(...)` — with the same semantics: the operation starts when the task
 * first runs (in a later loop iteration), and cancelling the task cancels the wait. A `Future`
 * or `Task` (`gather(...)` and `shield(...)` return futures) is refused: it is already running;
 * await it, or use `ensureFuture()`.
 *
 * @throws {TypeError} for a generator function (call it), a Future or Task, or a non-coroutine.
 * @throws {RuntimeError} outside a running loop (pass `{ loop }` or use `loop.createTask`).
 * @example
 * ```ts
 * import { createTask, Queue, run, sleep } from 'rx-asyncio';
 * run(function* () {
 *   const t = createTask(function* () { yield* sleep(10); return 'done'; }());
 *   console.log(yield* t);
 *   const q = new Queue<string>();
 *   const next = createTask(q.get()); // asyncio: create_task(queue.get())
 *   q.putNowait('item');
 *   console.log(yield* next); // "item"
 * }());
 * ```
 */
export function createTask<T>(coro: Coroutine<T> | Awaitable<T>, options?: TaskOptions): Task<T> {
  return new Task(coro, options);
}
