/**
 * `TaskGroup`: asyncio's structured concurrency, as a scoped form:
 * `yield* taskGroup(function* (tg) { tg.createTask(...); })`.
 *
 * How the group tells its own cancellation of the parent apart (asyncio 3.13's rule): when a child
 * fails, the group cancels the parent task once (to interrupt the body) and remembers it; on exit
 * it takes that request back with `uncancel()`. A `CancelledError` is raised from the group only
 * if a cancellation that is not the group's own remains and no child failed.
 */
import { _linkAwaitedAll, _unlinkAwaitedAll } from '../diagnostics/taskTree.js';
import { CancelledError, ExceptionGroup, KeyboardInterrupt, RuntimeError } from '../errors.js';
import {
  type Awaitable,
  type Coroutine,
  coroutineAwaitable,
  describe,
} from '../kernel/Awaitable.js';
import { _cancelAs } from '../kernel/cancelOrigin.js';
import { toCoroutine } from '../kernel/coroutineChecks.js';
import { DoneCallbackQueue } from '../kernel/DoneCallbackQueue.js';
import type { EventLoop } from '../kernel/EventLoop.js';
import type { Future } from '../kernel/Future.js';
import { _getRunningLoopOrNull, currentTask } from '../kernel/runningLoop.js';
import type { Task, TaskOptions } from '../kernel/Task.js';
import { checkCoroutineResult } from '../timing/timeout.js';

/** The body of a task group: a generator function given the group. */
export type TaskGroupBody<R> = (group: TaskGroup) => Coroutine<R>;

const NO_ERROR: unique symbol = Symbol('no error');

/**
 * A group of tasks that live no longer than a block of code (asyncio's `TaskGroup`). Enter it
 * once with {@link TaskGroup.scope} (or use {@link taskGroup}); the body creates children with
 * {@link TaskGroup.createTask}.
 *
 * - The scope ends only when every child is done.
 * - The first child error cancels the other children and the body; all the children's errors
 *   (and the body's own, if it raised one) are raised together as an {@link ExceptionGroup},
 *   in the order they happened. Nested groups stay nested.
 * - A child cancelled on its own does not abort the group.
 * - Cancelling the parent task cancels the children and raises `CancelledError`, unless children
 *   failed: their errors win. After the scope, the parent's `cancelling()` is what it was.
 * - A {@link KeyboardInterrupt} (asyncio's base error) from the body or a child leaves the scope
 *   as itself, not grouped; the other errors are reported to the loop's exception handler.
 *
 * @example
 * ```ts
 * import { run, sleep, TaskGroup } from 'rx-asyncio';
 * function* worker(ms: number) {
 *   yield* sleep(ms);
 * }
 * run(function* () {
 *   const group = new TaskGroup();
 *   yield* group.scope(function* (tg) {
 *     tg.createTask(worker(10));
 *     tg.createTask(worker(20));
 *   });
 *   console.log('both done');
 * }());
 * ```
 */
export class TaskGroup {
  private _entered = false;
  private _exiting = false;
  private _aborting = false;
  private _loop: EventLoop | null = null;
  private _parent: Task<unknown> | null = null;
  private _parentCancelRequested = false;
  /**
   * The children, in creation order; finished ones are dropped in batches (see `_taskDone`).
   * Why an array and a count rather than asyncio's set: a set's add and delete per child were a
   * third of a 100,000-child group's cost (CPU profile of bench row W9 TaskGroup).
   */
  private readonly _tasks: Task<unknown>[] = [];
  /**
   * Children still running, plus finished ones whose done callback has not run yet: what the
   * group waits for (asyncio's `len(_tasks)`, except that a child whose callback is dropped, see
   * `_keepDone`, leaves the count as it finishes).
   */
  private _pending = 0;
  private _errors: unknown[] = [];
  /** The first `KeyboardInterrupt` (asyncio's base error) from the body or a child, if any. */
  private _baseError: unknown = NO_ERROR;
  private _onCompleted: Future<void> | null = null;
  /** The children's done callbacks (one queue, not a handle per finished child; see `_keepDone`). */
  private _watch: DoneCallbackQueue<Task<unknown>> | null = null;

  /**
   * Creates a child task running `coro`, as `createTask` does (which also takes `sleep()`,
   * `queue.get()` and the other awaitables that are coroutines in asyncio), and adds it to the group.
   * @throws {TypeError} if `coro` is not a coroutine object (a Future or Task included).
   * @throws {RuntimeError} before the scope is entered, once it is finished, or while it is
   * aborting (after a child failed or the parent was cancelled).
   */
  createTask<T>(
    coroOrAwaitable: Coroutine<T> | Awaitable<T>,
    options?: Omit<TaskOptions, 'loop'>,
  ): Task<T> {
    const coro = toCoroutine('TaskGroup.createTask', coroOrAwaitable);
    const problem = !this._entered
      ? 'has not been entered: create tasks from inside its scope'
      : this._exiting && this._pending === 0
        ? 'is finished: it cannot take new tasks'
        : this._aborting
          ? 'is shutting down (a child failed or the parent was cancelled): it cannot take new tasks'
          : null;
    if (problem !== null) {
      coro.return(undefined as T); // never started: close it
      throw new RuntimeError(`${this} ${problem}`);
    }
    const task = (this._loop as EventLoop).createTask(coro, options);
    this._tasks.push(task as Task<unknown>);
    this._pending++;
    // A task that finished eagerly (eagerStart) counts at once, as in asyncio: a group whose
    // children all finished eagerly exits without a loop round trip.
    if (task.done()) this._taskDone(task as Task<unknown>);
    else (this._watch as DoneCallbackQueue<Task<unknown>>).watch(task as Task<unknown>);
    return task;
  }

  /**
   * Runs `body` (given this group) and then waits for every child; returns what `body` returns.
   * @throws {ExceptionGroup} with the children's (and the body's) errors.
   * @throws {CancelledError} if the parent was cancelled and no child failed.
   * @throws {RuntimeError} when entered a second time, or outside a task.
   */
  *scope<R>(body: TaskGroupBody<R>): Coroutine<R> {
    this._enter(body);
    let result: R | undefined;
    let error: unknown = NO_ERROR;
    try {
      result = yield* checkCoroutineResult('TaskGroup', body(this));
    } catch (e) {
      error = e;
    }
    yield* this._exit(error);
    return result as R;
  }

  toString(): string {
    const parts: string[] = [];
    if (this._pending > 0) parts.push(`tasks:${this._pending}`);
    if (this._errors.length > 0) parts.push(`errors:${this._errors.length}`);
    if (this._aborting) parts.push('aborting');
    else if (this._exiting && this._pending === 0) parts.push('finished');
    else if (this._entered) parts.push('entered');
    return `<TaskGroup${parts.length === 0 ? '' : ` [${parts.join(', ')}]`}>`;
  }

  private _enter(body: unknown): void {
    if (typeof body !== 'function') {
      throw new TypeError(
        `TaskGroup scope: body must be a generator function taking the group, e.g. function* (tg) { ... }; got ${describe(body)}`,
      );
    }
    if (this._entered) {
      throw new RuntimeError(`${this} has already been entered: create a new TaskGroup`);
    }
    const running = _getRunningLoopOrNull();
    const parent = running === null ? null : currentTask(running);
    if (parent === null) {
      throw new RuntimeError(
        `${this} cannot determine the parent task: enter it inside a task (with yield* in a coroutine)`,
      );
    }
    this._loop = parent.getLoop();
    this._parent = parent;
    this._entered = true;
    this._watch = new DoneCallbackQueue(
      this._loop,
      (task) => this._taskDone(task),
      (task) => this._keepDone(task),
    );
    // The owner task awaits its children (for the task tree: the kernel only sees `_onCompleted`).
    _linkAwaitedAll(this._tasks, parent);
  }

  private *_exit(error: unknown): Coroutine<void> {
    this._exiting = true;
    if (error instanceof KeyboardInterrupt && this._baseError === NO_ERROR) this._baseError = error;
    let propagate: CancelledError | null = error instanceof CancelledError ? error : null;
    if (error !== NO_ERROR && !this._aborting) this._abort();
    // A loop, because the wait can be cancelled more than once (the parent cancelled repeatedly).
    while (this._pending > 0) {
      this._onCompleted ??= (this._loop as EventLoop).createFuture<void>();
      try {
        yield* this._onCompleted;
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        if (!this._aborting) {
          propagate = e; // the parent is being cancelled while children still run
          this._abort();
        }
      }
      this._onCompleted = null;
    }
    const parent = this._parent as Task<unknown>;
    if (this._baseError !== NO_ERROR) this._raiseBaseError(parent);
    if (this._parentCancelRequested) {
      // Take back our own request; if none remains, the CancelledError was ours: drop it.
      if (parent.uncancel() === 0) propagate = null;
    }
    const errors = this._errors;
    _unlinkAwaitedAll(this._tasks, parent);
    this._tasks.length = 0; // all done: the group no longer holds them
    this._parent = null;
    this._errors = [];
    if (propagate !== null && errors.length === 0) throw propagate;
    if (error !== NO_ERROR && !(error instanceof CancelledError)) errors.push(error);
    if (errors.length === 0) return;
    if (parent.cancelling() > 0) {
      // Cancelled from outside too: re-request it, so the count stays and the cancel is not lost.
      parent.uncancel();
      parent.cancel();
    }
    throw new ExceptionGroup('unhandled errors in a TaskGroup', errors);
  }

  /**
   * A `KeyboardInterrupt` leaves the group as itself, not in an ExceptionGroup, as asyncio's
   * base errors do. The other errors cannot travel with it, so each is reported to the loop's
   * exception handler rather than lost (CPython gh-135736).
   */
  private _raiseBaseError(parent: Task<unknown>): never {
    const base = this._baseError;
    const loop = this._loop as EventLoop;
    for (const e of this._errors) {
      if (e === base) continue;
      loop.callExceptionHandler({
        message:
          'TaskGroup task exception was not propagated because the TaskGroup body is being closed with a KeyboardInterrupt',
        exception: e,
      });
    }
    _unlinkAwaitedAll(this._tasks, parent);
    this._tasks.length = 0;
    if (this._parentCancelRequested) parent.uncancel();
    this._parent = null;
    this._errors = [];
    throw base;
  }

  /**
   * Cancels every child still running. `source` names the reason in each child's
   * `CancelledError.origin` when the group reacts from a done callback (no task is running there,
   * so the origin's task alone would say only "a callback or timer"); from the owner's step the
   * origin already names the owner task.
   */
  private _abort(source?: string): void {
    this._aborting = true;
    for (const t of this._tasks) {
      if (t.done()) continue;
      if (source === undefined) t.cancel();
      else _cancelAs(source, t);
    }
  }

  /**
   * As a watched child finishes (the `DoneCallbackQueue`'s `keep`): whether its done callback
   * needs its place in the loop. It does where it can act: the last child's (it releases the exit
   * wait) and a failed child's (it aborts the group and records the error). A child that
   * returned or was cancelled while others still run is counted off here, at once, and takes no
   * loop place. Why nothing can tell: the group only acts when the count reaches zero, and that
   * is always in a kept callback, where asyncio's `_on_task_done` empties `_tasks`; a child made
   * after the last one finished starts after that callback (its first step is queued behind it,
   * and an eager child is counted in `createTask`), so it cannot finish first. The one place the
   * early count shows is `toString()`'s `tasks:N`. Cost it saves: a loop entry and a callback
   * per child, ~1/4 of a 100,000-child group (bench W9).
   */
  private _keepDone(task: Task<unknown>): boolean {
    if (this._pending === 1) return true;
    if (!task.cancelled() && task._exception !== undefined) return true;
    this._countDone();
    return false;
  }

  /** One child less to wait for; returns how many are left. */
  private _countDone(): number {
    const pending = --this._pending;
    // Drop finished children once they are more than half of the list, so a long-lived group
    // (a server's accept loop) holds only what still runs, at O(1) amortized per child. Not while
    // aborting: `_abort` walks the list, and `_keepDone` runs inside whatever finished a child, so
    // a compaction under that walk would shift children past it (the group ends soon anyway).
    const tasks = this._tasks;
    if (!this._aborting && tasks.length > 64 && tasks.length > 2 * pending) compact(tasks);
    return pending;
  }

  private _taskDone(task: Task<unknown>): void {
    const pending = this._countDone();
    if (this._onCompleted !== null && pending === 0 && !this._onCompleted.done()) {
      this._onCompleted.setResult(undefined);
    }
    if (task.cancelled()) return;
    task.exception(); // retrieved: the group raises it
    if (task._exception === undefined) return;
    const error = task._exception;
    this._errors.push(error);
    if (error instanceof KeyboardInterrupt && this._baseError === NO_ERROR) this._baseError = error;
    const parent = this._parent;
    if (parent === null || parent.done()) {
      (this._loop as EventLoop).callExceptionHandler({
        message: `Task ${task} has errored out but its parent task ${parent} is already completed`,
        exception: error,
        task,
      });
      return;
    }
    if (!this._aborting && !this._parentCancelRequested) {
      // Interrupt the body: cancel the parent once, taken back with uncancel() on exit.
      const source = `TaskGroup (child ${JSON.stringify(task.getName())} failed)`;
      this._abort(source);
      this._parentCancelRequested = true;
      _cancelAs(source, parent);
    }
  }
}

/** Removes the finished tasks from `tasks` in place (the task tree holds this very array). */
function compact(tasks: Task<unknown>[]): void {
  let j = 0;
  for (let i = 0; i < tasks.length; i++) {
    const t = tasks[i] as Task<unknown>;
    if (!t.done()) tasks[j++] = t;
  }
  tasks.length = j;
}

/**
 * Runs `body` with a new {@link TaskGroup} and waits for all the tasks it creates; returns what
 * `body` returns (asyncio's `async with TaskGroup() as tg:`). See {@link TaskGroup} for what
 * errors and cancellation do.
 *
 * @throws {ExceptionGroup} with the children's (and the body's) errors; split it by class with
 * `group.split(SomeError)`, like `except*`.
 * @throws {CancelledError} if the parent was cancelled and no child failed.
 * @example
 * ```ts
 * import { ExceptionGroup, run, sleep, taskGroup } from 'rx-asyncio';
 * function* fetchOne(id: number) {
 *   yield* sleep(10 * id);
 *   if (id === 3) throw new RangeError(`no item ${id}`);
 *   return `item ${id}`;
 * }
 * run(function* () {
 *   try {
 *     const t1 = yield* taskGroup(function* (tg) {
 *       const t = tg.createTask(fetchOne(1));
 *       tg.createTask(fetchOne(3));
 *       return t;
 *     });
 *     console.log(t1.result());
 *   } catch (e) {
 *     if (!(e instanceof ExceptionGroup)) throw e;
 *     const [missing, rest] = e.split(RangeError);
 *     console.log(missing?.errors); // [RangeError: no item 3]
 *     if (rest !== null) throw rest;
 *   }
 * }());
 * ```
 */
export function taskGroup<R>(body: TaskGroupBody<R>): Awaitable<R> {
  if (typeof body !== 'function') {
    throw new TypeError(
      `taskGroup(body): body must be a generator function taking the group, e.g. function* (tg) { ... }; got ${describe(body)}`,
    );
  }
  return coroutineAwaitable(() => new TaskGroup().scope(body));
}
