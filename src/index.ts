/**
 * rx-asyncio: Python's asyncio in TypeScript, on RxJS schedulers.
 *
 * @example
 * ```ts
 * import { createTask, run, sleep } from 'rx-asyncio';
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
 * @module rx-asyncio
 */

export { coroutine } from './diagnostics/coroutine.js';
export {
  captureTaskTree,
  formatTaskTree,
  printTaskTree,
  type TaskTreeNode,
} from './diagnostics/taskTree.js';
export {
  BrokenBarrierError,
  BrokenPipeError,
  BufferOverflowError,
  CancelledError,
  ConnectionAbortedError,
  ConnectionError,
  ConnectionRefusedError,
  ConnectionResetError,
  DeadlockError,
  EOFError,
  type ErrorMatcher,
  ExceptionGroup,
  ExecutorQueueFullError,
  ExecutorShutdownError,
  IncompleteReadError,
  InvalidStateError,
  isCancelledError,
  KeyboardInterrupt,
  LimitOverrunError,
  LookupError,
  ProcessLookupError,
  QueueEmpty,
  QueueFull,
  QueueShutDown,
  RuntimeError,
  SpinError,
  TimeoutError,
  ValueError,
  WorkerCrashedError,
} from './errors.js';
export {
  type AsyncLocalStorageClass,
  type AsyncResourceClass,
  type BridgeAsyncLocalStorageOptions,
  bridgeAsyncLocalStorage,
} from './interop/bridgeAsyncLocalStorage.js';
export { type CancelOnAbortOptions, cancelOnAbort } from './interop/cancelOnAbort.js';
export type { EnsureFutureOptions } from './interop/ensureFuture.js';
export {
  awaitable,
  ensureFuture,
  type FutureLike,
  type FutureValue,
} from './interop/ensureFuture.js';
export { type FromCoroutineOptions, fromCoroutine } from './interop/fromCoroutine.js';
export { futureToPromise } from './interop/futureToPromise.js';
export {
  type IterateOptions,
  iterate,
  ObservableIterator,
  type OverflowPolicy,
} from './interop/iterate.js';
export { loopForScheduler } from './interop/loopForScheduler.js';
export {
  isVirtualTime,
  type PromiseBoundaryEvent,
  type PromiseBoundaryHook,
  setPromiseBoundaryHook,
} from './interop/setPromiseBoundaryHook.js';
export { taskSignal } from './interop/taskSignal.js';
export {
  type Awaitable,
  type AwaitedOf,
  type Coroutine,
  isAwaitable,
  isCoroutine,
  type Suspend,
} from './kernel/Awaitable.js';
export {
  Context,
  ContextVar,
  copyContext,
  type HostSnapshot,
  Token,
} from './kernel/Context.js';
export { call } from './kernel/call.js';
export { type CancelOrigin, describeCancelOrigin } from './kernel/cancelOrigin.js';
export { createTask } from './kernel/createTask.js';
export {
  type CallOptions,
  EventLoop,
  type EventLoopOptions,
  type ExceptionContext,
  type ExceptionHandler,
  type TaskFactory,
} from './kernel/EventLoop.js';
export type {
  Executor,
  JobOptions,
  ShutdownOptions,
  Transfer,
  TransferItem,
  WithTransfers,
  WorkSpec,
} from './kernel/Executor.js';
export { type DoneCallback, Future } from './kernel/Future.js';
export { Handle, TimerHandle } from './kernel/Handle.js';
export { allTasks, currentTask, getRunningLoop } from './kernel/runningLoop.js';
export { Task, type TaskOptions } from './kernel/Task.js';
export { input } from './offload/input.js';
export { readLine } from './offload/readLine.js';
export { setWorkerUrl } from './offload/setWorkerUrl.js';
export { toThread } from './offload/toThread.js';
export { transfer } from './offload/transfer.js';
export { WorkerPool, type WorkerPoolOptions } from './offload/WorkerPool.js';
export {
  type ExportArgs,
  type ExportResult,
  type FunctionExports,
  type ModuleRef,
  type WorkerFunction,
  workerFunction,
} from './offload/workerFunction.js';
export { concatCoroutine } from './operators/concatCoroutine.js';
export type {
  CoroutineContext,
  CoroutineOperatorOptions,
  CoroutineProject,
} from './operators/coroutineOperator.js';
export { exhaustCoroutine } from './operators/exhaustCoroutine.js';
export { type MapToThreadOptions, mapToThread } from './operators/mapToThread.js';
export { type MergeCoroutineOptions, mergeCoroutine } from './operators/mergeCoroutine.js';
export { switchCoroutine } from './operators/switchCoroutine.js';
export { compareItems } from './queues/compareItems.js';
export { LifoQueue } from './queues/LifoQueue.js';
export { PriorityQueue, type PriorityQueueOptions } from './queues/PriorityQueue.js';
export { Queue, type QueueOptions, type QueueShutdownOptions } from './queues/Queue.js';
export {
  Runner,
  type RunnerRunOptions,
  type RunOptions,
  type RunOutcome,
} from './runners/Runner.js';
export { type RunMainOptions, run } from './runners/run.js';
export { macrotaskScheduler } from './schedulers/macrotaskScheduler.js';
export { addSignalHandler, removeSignalHandler } from './signals/signalHandlers.js';
export type { ReadableSource, WritableSink } from './streams/adapters.js';
export type { NodeReadableLike, NodeWritableLike } from './streams/nodeStreamTransports.js';
export { StreamProtocol } from './streams/StreamProtocol.js';
export { DEFAULT_LIMIT, StreamReader, type StreamReaderOptions } from './streams/StreamReader.js';
export type { StreamTransport } from './streams/StreamTransport.js';
export { type StartTlsOptions, StreamWriter } from './streams/StreamWriter.js';
export { Barrier } from './sync/Barrier.js';
export { BoundedSemaphore } from './sync/BoundedSemaphore.js';
export { Condition } from './sync/Condition.js';
export { Event } from './sync/Event.js';
export { Lock } from './sync/Lock.js';
export { Semaphore } from './sync/Semaphore.js';
export { type Lockable, withLock } from './sync/withLock.js';
export { AsCompleted, type AsCompletedOptions, asCompleted } from './tasks/asCompleted.js';
export {
  createEagerTaskFactory,
  eagerTaskFactory,
  type TaskConstructor,
} from './tasks/eagerTaskFactory.js';
export {
  GatheringFuture,
  type GatherOptions,
  type GatherResults,
  type GatherSettled,
  gather,
} from './tasks/gather.js';
export { shield } from './tasks/shield.js';
export { TaskGroup, type TaskGroupBody, taskGroup } from './tasks/TaskGroup.js';
export {
  ALL_COMPLETED,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  type ReturnWhen,
  type WaitOptions,
  wait,
} from './tasks/wait.js';
export { waitFor } from './tasks/waitFor.js';
export { sleep } from './timing/sleep.js';
export { Timeout, type TimeoutBody, timeout, timeoutAt } from './timing/timeout.js';
