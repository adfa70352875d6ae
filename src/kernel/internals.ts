/**
 * The kernel's declared internal surface: what the testing kit (`rx-asyncio/marbles`) may know of
 * the loop, its ready queue and its tasks beyond the public API. Everything the kit reads goes
 * through here, so the kernel can change its fields (and their representation: flags packed in
 * bits, entries that are the task itself) without breaking the kit. Not part of the public API.
 *
 * @module
 */
import { CancelledError } from '../errors.js';
import type { EventLoop, StepObserver, TieBreak } from './EventLoop.js';
import { Future } from './Future.js';
import { type ReadyEntry, TimerHandle } from './Handle.js';
import { Task } from './Task.js';

export type { StepObserver, TieBreak } from './EventLoop.js';

/**
 * An entry of the loop's ready queue (declared in Handle.ts): a `Handle` (a callback), a
 * `TimerHandle` that came due, a task (its own step entry) or a sleep's future (its own timer
 * entry). For the kit, opaque: read it with {@link readyEntryInfo}.
 */
export type { ReadyEntry } from './Handle.js';

/** @internal What an entry of the ready queue does, for labels and tie-break policies. */
export interface ReadyEntryInfo {
  /** Dropped before it ran (`handle.cancel()`, a cancelled sleep). */
  readonly cancelled: boolean;
  /** A timer that came due (a `TimerHandle` or a sleep), not a `callSoon` or a step. */
  readonly timer: boolean;
  /** The task it steps or wakes directly (a step entry, a sleep's owner via its first argument). */
  readonly task: Task<unknown> | null;
  /** The task waiting on the future it completes (a timer that completes a future), if any. */
  readonly wakes: Task<unknown> | null;
  /** The task passed as its second argument (a kernel callback about a task), if any. */
  readonly about: Task<unknown> | null;
  /** The callback's function name, or '' when it has none. */
  readonly callback: string;
}

/** @internal Describes a ready-queue entry (see {@link ReadyEntryInfo}). */
export function readyEntryInfo(entry: ReadyEntry): ReadyEntryInfo {
  const a = entry._a;
  const b = entry._b;
  return {
    cancelled: entry._cancelled,
    timer: entry instanceof TimerHandle || 'when' in entry,
    task: a instanceof Task ? (a as Task<unknown>) : null,
    wakes: a instanceof Future ? waiterOf(a as Future<unknown>) : null,
    about: b instanceof Task ? (b as Task<unknown>) : null,
    callback: entry._fn?.name ?? '',
  };
}

/** The first task waiting on `future`, if any. */
function waiterOf(future: Future<unknown>): Task<unknown> | null {
  const t = future._callbackList().find((c) => c instanceof Task);
  return (t as Task<unknown> | undefined) ?? null;
}

/**
 * @internal Installs (or with null removes) the tie-break policy that may permute each iteration's
 * batch of ready entries (the interleaving explorer).
 */
export function setTieBreak(loop: EventLoop, policy: TieBreak | null): void {
  loop._tieBreak = policy;
}

/** @internal The step observer installed on `loop` (the timeline recorder), or null. */
export function getStepObserver(loop: EventLoop): StepObserver | null {
  return loop._observer;
}

/** @internal Installs (or with null removes) the observer told before and after each task step. */
export function setStepObserver(loop: EventLoop, observer: StepObserver | null): void {
  loop._observer = observer;
}

/** @internal How many tasks of `loop` are not done yet (without copying them, as allTasks does). */
export function pendingTaskCount(loop: EventLoop): number {
  return loop._pendingTasks.size;
}

/** @internal Sets the label a future shows in dumps and task lists (e.g. "fake job fib()"). */
export function setFutureLabel(future: Future<unknown>, label: string): void {
  future._description = label;
}

/** @internal A task's state as the recorder reads it between steps. */
export interface TaskSnapshot {
  /** Named `Task-<n>` by the kernel (no name was given). */
  readonly defaultName: boolean;
  /** A cancellation is pending delivery at its next step. */
  readonly cancelPending: boolean;
  /** The future it waits on, or null (a first step, a `sleep(0)`, or done). */
  readonly waitingOn: Future<unknown> | null;
  /** Its outcome, read without marking an exception as retrieved. */
  readonly outcome:
    | { readonly kind: 'pending' }
    | { readonly kind: 'return'; readonly value: unknown }
    | { readonly kind: 'raise'; readonly error: unknown }
    | { readonly kind: 'cancelled'; readonly error: CancelledError };
}

/** @internal Reads `task`'s {@link TaskSnapshot}. */
export function taskSnapshot(task: Task<unknown>): TaskSnapshot {
  return {
    defaultName: typeof task._name === 'number',
    cancelPending: task._mustCancel,
    waitingOn: task._futWaiter,
    outcome: outcomeOf(task),
  };
}

function outcomeOf(task: Task<unknown>): TaskSnapshot['outcome'] {
  if (!task.done()) return { kind: 'pending' };
  if (task.cancelled()) {
    return {
      kind: 'cancelled',
      error: task._cancelledExc ?? new CancelledError(task._cancelMessage),
    };
  }
  if (task._exception === undefined) return { kind: 'return', value: task._result };
  return { kind: 'raise', error: task._exception };
}
