/**
 * rxio: Python's asyncio in TypeScript, on RxJS schedulers.
 *
 * @example
 * ```ts
 * import { createTask, run, sleep } from 'rxio';
 * function* coro1() {
 *   for (let i = 0; i < 5; i++) {
 *     yield* sleep(1000);
 *     console.log('coro1()');
 *   }
 * }
 * run(function* main() {
 *   const task1 = createTask(coro1());
 *   yield* task1;
 * }());
 * ```
 * @module
 */
export {
  CancelledError,
  InvalidStateError,
  isCancelledError,
  RuntimeError,
  SpinError,
  TimeoutError,
} from './errors.js';
export {
  awaitable,
  ensureFuture,
  type FutureLike,
  type FutureValue,
} from './interop/ensureFuture.js';
export { type FromCoroutineOptions, fromCoroutine } from './interop/fromCoroutine.js';
export { futureToPromise } from './interop/futureToPromise.js';
export {
  type Awaitable,
  type AwaitedOf,
  type Coroutine,
  isAwaitable,
  isCoroutine,
  type Suspend,
} from './kernel/Awaitable.js';
export {
  EventLoop,
  type EventLoopOptions,
  type ExceptionContext,
  type ExceptionHandler,
} from './kernel/EventLoop.js';
export { type DoneCallback, Future } from './kernel/Future.js';
export { Handle, TimerHandle } from './kernel/Handle.js';
export { allTasks, currentTask, getRunningLoop } from './kernel/runningLoop.js';
export { createTask, Task, type TaskOptions } from './kernel/Task.js';
export { Runner, type RunOptions, type RunOutcome } from './runners/Runner.js';
export { type RunMainOptions, run } from './runners/run.js';
export { sleep } from './timing/sleep.js';
