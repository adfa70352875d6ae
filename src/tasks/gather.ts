import { CancelledError, ValueError } from '../errors.js';
import { ensureFuture, type FutureLike, type FutureValue } from '../interop/ensureFuture.js';
import { describe } from '../kernel/Awaitable.js';
import { DoneCallbackQueue } from '../kernel/DoneCallbackQueue.js';
import type { EventLoop } from '../kernel/EventLoop.js';
import {
  DEFINES_FUTURE_FIELDS,
  FINISHED,
  Future,
  type FutureExtra,
  type FutureState,
  PENDING,
  type StoredCallback,
} from '../kernel/Future.js';
import { getRunningLoop } from '../kernel/runningLoop.js';
import { _cancelTree } from '../kernel/Task.js';

/** Options of {@link gather}, passed as its last argument. */
export interface GatherOptions {
  /** Return errors (and `CancelledError`s) in the results instead of raising the first one. */
  returnExceptions?: boolean;
}

/** The results of {@link gather}: one per argument, in argument order. */
export type GatherResults<A extends readonly unknown[]> = {
  -readonly [K in keyof A]: FutureValue<A[K]>;
};

/**
 * The results of `gather(..., { returnExceptions: true })`: a value or the error raised. (An
 * error is typed `Error`; a coroutine that throws something else gets that value back as is.)
 */
export type GatherSettled<A extends readonly unknown[]> = {
  -readonly [K in keyof A]: FutureValue<A[K]> | Error;
};

/**
 * The future {@link gather} returns. Cancelling it cancels every child that is not done; it then
 * raises `CancelledError` once they are, whatever `returnExceptions` says.
 */
export class GatheringFuture<T> extends Future<T> {
  /** @internal See displayName.ts. */
  static override readonly _displayName: string = 'GatheringFuture';
  // Future's fields, defined here and not by Future (see DEFINES_FUTURE_FIELDS).
  /** @internal */ override _state: FutureState = PENDING;
  /** @internal */ override _result: T | undefined = undefined;
  /** @internal */ override _exception: unknown = undefined;
  /** @internal */ override readonly _loop: EventLoop;
  /** @internal */ override _callbacks: StoredCallback | StoredCallback[] | null = null;
  /** @internal */ override _x: FutureExtra | null = null;
  /** @internal */ readonly _children: Future<unknown>[];
  /** @internal */ _cancelRequested = false;

  /** @internal Use {@link gather}. */
  constructor(loop: EventLoop, children: Future<unknown>[]) {
    super(loop, DEFINES_FUTURE_FIELDS);
    this._loop = loop;
    this._children = children;
  }

  /** Cancels the children that are not done; true if any of them was. */
  override cancel(msg?: unknown): boolean {
    if (this.done()) return false;
    // Through the kernel's walk, not `child.cancel(msg)` in a loop: nested gathers thousands
    // deep must not recurse (issue 14, item 3).
    return _cancelTree(this, msg);
  }

  /** @internal The children, while pending: what a cancel walk cancels. */
  override _cancelTargets(): readonly Future<unknown>[] | null {
    return this.done() ? null : this._children;
  }

  /** @internal */
  override _targetsCancelled(any: boolean): void {
    if (any) this._cancelRequested = true;
  }

  /** @internal Raise `error` (a CancelledError) from this future without it being cancelled. */
  _raiseCancelled(error: CancelledError): void {
    this._exception = error;
    this._state = FINISHED;
    this._scheduleCallbacks();
  }
}

/** Marks the outcome retrieved; true if `fut` failed (even with a thrown `null`). */
function failed(fut: Future<unknown>): boolean {
  fut.exception();
  return fut._exception !== undefined;
}

function outcomeOf(fut: Future<unknown>): unknown {
  if (fut.cancelled()) return fut._makeCancelledError();
  return failed(fut) ? fut._exception : fut.result();
}

/**
 * Runs awaitables concurrently and returns their results in argument order (asyncio's `gather`).
 * Coroutines are wrapped in tasks (at once, so they start even if the gather is never awaited);
 * Tasks and Futures are used as they are; other awaitables, Promises and Observables go through
 * `ensureFuture`. The result is typed as a tuple: `gather(a, b)` gives `[A, B]`.
 *
 * - The first child to fail makes the gather raise its error at once; the others are **not**
 *   cancelled and run on (their errors are then marked retrieved).
 * - `{ returnExceptions: true }` as the last argument: errors (and `CancelledError`s) become
 *   values in the results.
 * - Cancelling the task that awaits the gather (or the gather itself) cancels every child; the
 *   gather then raises `CancelledError`. A child cancelled by someone else makes the gather raise
 *   `CancelledError` (without `returnExceptions`) though the gather was not cancelled.
 * - `gather()` gives `[]`; the same awaitable twice gives its result twice; of two failures the
 *   first to happen wins.
 *
 * The list form `gather([a, b], { returnExceptions })` does the same (and is typed the same); use
 * it for very many awaitables, since spreading more than about 100,000 arguments overflows the
 * JavaScript engine's argument limit. The trailing options object is recognised as a plain object
 * whose only key is `returnExceptions`.
 *
 * @throws {TypeError} at the call for an argument that cannot be awaited.
 * @throws {ValueError} (a `RangeError`) for futures of two different loops, as asyncio.
 * @see {@link TaskGroup} to cancel the siblings when one fails.
 * @example
 * ```ts
 * import { gather, run, sleep } from 'rx-asyncio';
 * function* answer(ms: number, v: string) {
 *   yield* sleep(ms);
 *   return v;
 * }
 * run(function* () {
 *   const [a, n] = yield* gather(answer(20, 'a'), sleep(10, 42)); // [string, number]
 *   const settled = yield* gather(answer(5, 'b'), { returnExceptions: true });
 *   console.log(a, n, settled); // "a" 42 ["b"]
 * }());
 * ```
 */
export function gather<const A extends readonly FutureLike<unknown>[]>(
  aws: A,
  options: { returnExceptions: true },
): GatheringFuture<GatherSettled<A>>;
export function gather<const A extends readonly FutureLike<unknown>[]>(
  aws: A,
  options?: { returnExceptions?: false },
): GatheringFuture<GatherResults<A>>;
export function gather<const A extends readonly FutureLike<unknown>[]>(
  aws: A,
  options: GatherOptions,
): GatheringFuture<GatherSettled<A>>;
export function gather<const A extends readonly FutureLike<unknown>[]>(
  ...args: [...A, { returnExceptions: true }]
): GatheringFuture<GatherSettled<A>>;
export function gather<const A extends readonly FutureLike<unknown>[]>(
  ...args: [...A, { returnExceptions?: false }]
): GatheringFuture<GatherResults<A>>;
export function gather<const A extends readonly FutureLike<unknown>[]>(
  ...args: [...A, GatherOptions]
): GatheringFuture<GatherSettled<A>>;
export function gather<const A extends readonly FutureLike<unknown>[]>(
  ...aws: A
): GatheringFuture<GatherResults<A>>;
export function gather(...args: unknown[]): GatheringFuture<unknown[]> {
  let returnExceptions = false;
  if (args.length > 0 && isOptions(args[args.length - 1])) {
    returnExceptions = (args.pop() as GatherOptions).returnExceptions === true;
  }
  // An array is never awaitable itself (ensureFuture refuses it): gather([...]) is the list form.
  const list = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
  return gatherAll(list as FutureLike<unknown>[], returnExceptions);
}

/** A trailing plain object with only known option keys (never an awaitable or Observable). */
function isOptions(x: unknown): x is GatherOptions {
  if (x === null || typeof x !== 'object') return false;
  const proto = Object.getPrototypeOf(x);
  if (proto !== Object.prototype && proto !== null) return false;
  if (Object.getOwnPropertySymbols(x).length > 0) return false;
  return Object.keys(x).every((k) => k === 'returnExceptions');
}

function gatherAll(
  args: readonly FutureLike<unknown>[],
  returnExceptions: boolean,
): GatheringFuture<unknown[]> {
  const n = args.length;
  const children: Future<unknown>[] = new Array(n);
  let loop: EventLoop | undefined;
  let wrapped: Map<unknown, Future<unknown>> | undefined; // same coroutine twice: one task
  for (let i = 0; i < n; i++) {
    const arg = args[i] as FutureLike<unknown>;
    let fut = arg instanceof Future ? arg : wrapped?.get(arg);
    if (fut === undefined) {
      fut = ensureFuture(arg, loop === undefined ? {} : { loop });
      wrapped ??= new Map();
      wrapped.set(arg, fut);
    }
    if (loop === undefined) loop = fut.getLoop();
    else if (fut.getLoop() !== loop) {
      // asyncio: ensure_future(fut, loop=loop) refuses a future of another loop (ValueError).
      throw new ValueError(
        `gather(): ${describe(fut)} belongs to a different event loop than the other awaitables; ` +
          'The future belongs to a different loop than the one specified as the loop argument',
      );
    }
    children[i] = fut;
  }
  const outer = new GatheringFuture<unknown[]>(loop ?? getRunningLoop(), children);
  if (n === 0) {
    outer.setResult([]);
    return outer;
  }
  // Children whose outcome is in: done at the call, or counted by `keep` as each finishes.
  let finished = 0;
  let kept = 0; // callbacks kept so far
  let ran = 0; // kept callbacks run so far
  // One callback for all children (not one closure or Subscription each): gather stays linear.
  const onChildDone = (fut: Future<unknown>, last: boolean): void => {
    if (outer.done()) {
      if (!fut.cancelled()) fut.exception(); // too late to matter: mark it retrieved
      return;
    }
    if (!returnExceptions) {
      if (fut.cancelled()) {
        outer._raiseCancelled(fut._makeCancelledError());
        return;
      }
      if (failed(fut)) {
        const e = fut._exception;
        // A child gather raises CancelledError without being cancelled: pass it on the same way.
        if (e instanceof CancelledError) outer._raiseCancelled(e);
        else outer.setException(e);
        return;
      }
    }
    if (last) settle(outer, returnExceptions);
  };
  // As each child finishes: only a callback that can do something keeps its place in the loop
  // (the last child's, which settles; a failure's, which raises or is marked retrieved; a
  // cancellation's without returnExceptions). A child that returned before the last needs none.
  const keep = (fut: Future<unknown>): boolean => {
    if (++finished === n) {
      kept++;
      return true;
    }
    // A cancelled task's `_exception` is its kept CancelledError: test the state first.
    if (fut.cancelled() ? !returnExceptions : fut._exception !== undefined) {
      kept++;
      return true;
    }
    return false;
  };
  // Why a DoneCallbackQueue: the callbacks run where N done callbacks would, without a handle each.
  const watch = new DoneCallbackQueue(
    outer._loop,
    // The last kept callback once every child finished is the last child's: it settles.
    (fut) => onChildDone(fut, ++ran === kept && finished === n),
    keep,
  );
  const done: Future<unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const fut = children[i] as Future<unknown>;
    if (fut.done()) done.push(fut);
    else watch.watch(fut);
  }
  // Children already done count now (as asyncio 3.12+), so a gather of finished futures is
  // itself finished.
  for (const fut of done) onChildDone(fut, ++finished === n);
  return outer;
}

function settle(outer: GatheringFuture<unknown[]>, returnExceptions: boolean): void {
  const children = outer._children;
  if (outer._cancelRequested) {
    // The gather itself was cancelled: raise CancelledError, returnExceptions or not.
    const cancelled = children.find((c) => c.cancelled());
    outer._raiseCancelled(cancelled?._makeCancelledError() ?? new CancelledError());
    return;
  }
  const results = new Array<unknown>(children.length);
  for (let i = 0; i < children.length; i++) {
    results[i] = returnExceptions
      ? outcomeOf(children[i] as Future<unknown>)
      : (children[i] as Future<unknown>).result();
  }
  outer.setResult(results);
}
