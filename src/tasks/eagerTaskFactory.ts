import type { Awaitable, Coroutine } from '../kernel/Awaitable.js';
import type { EventLoop, TaskFactory } from '../kernel/EventLoop.js';
import { _getRunningLoopOrNull } from '../kernel/runningLoop.js';
import { Task, type TaskOptions } from '../kernel/Task.js';

/** A task class `createEagerTaskFactory` can use: `Task` or a subclass with its constructor. */
export type TaskConstructor = new <T>(
  coro: Coroutine<T> | Awaitable<T>,
  options?: TaskOptions,
) => Task<T>;

/**
 * Makes a task factory that starts tasks eagerly, constructing them with `ctor` (asyncio's
 * `create_eager_task_factory`). Set it with `loop.setTaskFactory(...)`. An explicit
 * `createTask(coro, { eagerStart: false })` still starts lazily.
 *
 * @example
 * ```ts
 * import { createEagerTaskFactory, getRunningLoop, run, Task } from 'rx-asyncio';
 * class CountedTask<T> extends Task<T> {
 *   static made = 0;
 *   constructor(...args: ConstructorParameters<typeof Task<T>>) {
 *     super(...args);
 *     CountedTask.made++;
 *   }
 * }
 * run(function* () {
 *   getRunningLoop().setTaskFactory(createEagerTaskFactory(CountedTask));
 * }());
 * ```
 */
export function createEagerTaskFactory(ctor: TaskConstructor): TaskFactory {
  if (typeof ctor !== 'function') {
    throw new TypeError(
      `createEagerTaskFactory(ctor): expected a Task class, got ${typeof ctor === 'object' ? String(ctor) : typeof ctor}`,
    );
  }
  return <T>(
    loop: EventLoop,
    coro: Coroutine<T> | Awaitable<T>,
    options: Omit<TaskOptions, 'loop'>,
  ) => {
    // Why the shared options: spawning is this factory's hot path (W1 with eager tasks), and a
    // task on the running loop with no other option needs nothing but `eagerStart`.
    if (
      options.name === undefined &&
      options.context === undefined &&
      options.eagerStart === undefined &&
      loop === _getRunningLoopOrNull()
    ) {
      return new ctor(coro, EAGER);
    }
    return new ctor(coro, {
      name: options.name,
      context: options.context,
      eagerStart: options.eagerStart ?? true,
      loop,
    });
  };
}

const EAGER: TaskOptions = Object.freeze({ eagerStart: true });

/**
 * The task factory of eager tasks (asyncio 3.12's `eager_task_factory`): with
 * `loop.setTaskFactory(eagerTaskFactory)` (or `run(main, { eagerTasks: true })`), a new task's
 * coroutine runs at once, inside `createTask`, until it first really suspends; a coroutine that
 * finishes without suspending gives a task that is already done and never touched the loop's
 * queue. `currentTask()` inside that first step is the new task. `gather` and `TaskGroup`
 * complete without a loop round trip when every child finished eagerly.
 *
 * What changes for the program: code after `createTask` runs after the child's first step, not
 * before; a task that finishes eagerly cannot be cancelled any more. When the loop is not
 * running (the main task of `run`), tasks start lazily as usual.
 *
 * @example
 * ```ts
 * import { createTask, eagerTaskFactory, getRunningLoop, run } from 'rx-asyncio';
 * function* cached(): Generator<never, string, unknown> {
 *   return 'hit'; // no suspension: done inside createTask
 * }
 * run(function* () {
 *   getRunningLoop().setTaskFactory(eagerTaskFactory);
 *   const t = createTask(cached());
 *   console.log(t.done(), yield* t); // true hit
 * }());
 * ```
 */
export const eagerTaskFactory: TaskFactory = createEagerTaskFactory(Task);
