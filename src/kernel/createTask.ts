import type { Awaitable, Coroutine } from './Awaitable.js';
import type { EventLoop } from './EventLoop.js';
import { _getRunningLoopOrNull } from './runningLoop.js';
import { Task, type TaskOptions } from './Task.js';

/** What a task factory gets when `createTask` was given no options (shared: never written). */
const NO_OPTIONS: Omit<TaskOptions, 'loop'> = Object.freeze({});

/**
 * Wraps a coroutine in a {@link Task} scheduled on the running loop (asyncio's `create_task`).
 * Keep a reference if you need the result; rx-asyncio keeps the task alive until it is done either way.
 * Options: `name`, `loop`, `context` (the Context to run in; default a copy of the current one),
 * `eagerStart` (run the first step now; see {@link TaskOptions.eagerStart}). When the loop has a
 * task factory (`loop.setTaskFactory`), it makes the task.
 *
 * Besides coroutine objects it takes the awaitables that are coroutines in asyncio —
 * `sleep(ms)`, `queue.get()`, `lock.acquire()`, `event.wait()`, `waitFor(...)`, `wait(...)`,
 * `timeout(...)`, `toThread(...)` — with the same semantics: the operation starts when the task
 * first runs (in a later loop iteration), and cancelling the task cancels the wait. A `Future`
 * or `Task` (`gather(...)` and `shield(...)` return futures) is refused: it is already running;
 * await it, or use `ensureFuture()`.
 *
 * A coroutine object runs once: a task given one that something already started (another task,
 * a `yield*`) fails at its first step with asyncio's `RuntimeError('cannot reuse already awaited
 * coroutine')`, and the coroutine goes on where it was. One that already finished is not
 * recognised (its task returns `undefined`): call the generator function again for each task.
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
  const loop = options?.loop ?? _getRunningLoopOrNull();
  // The loop's task factory makes the task when one is set (asyncio: create_task calls
  // loop.create_task); without one, straight to the constructor (the W1 path), which also
  // refuses a `loop` option that is not a loop.
  const factory = loop?._taskFactory;
  if (typeof factory === 'function') return factory(loop as EventLoop, coro, options ?? NO_OPTIONS);
  return new Task(coro, options);
}
