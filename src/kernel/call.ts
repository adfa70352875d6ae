import {
  type Awaitable,
  CALL,
  type Coroutine,
  FIRST,
  parkCall,
  RESUME,
  REUSED_RESULT,
  type Suspend,
} from './Awaitable.js';
import { checkCoroutine } from './coroutineChecks.js';

const CALL_RESULT: IteratorYieldResult<Suspend> = Object.freeze({ done: false, value: CALL });

/**
 * @internal A `call()` frame: the child coroutine, and its result once the driver has it. The
 * frame is its own iterator, like a Future: the parent's `yield*` runs it inline.
 */
export class CallFrame<T> implements Awaitable<T>, Iterator<Suspend, T, unknown> {
  /** @internal */ _result: T | undefined = undefined;
  /** @internal */ _started = false;

  constructor(readonly coro: Coroutine<T>) {}

  [Symbol.iterator](): CallFrame<T> {
    return this;
  }

  next(arg?: unknown): IteratorResult<Suspend, T> {
    if (arg === FIRST) return REUSED_RESULT;
    if (arg === RESUME && this._started) return { done: true, value: this._result as T };
    this._started = true;
    parkCall(this);
    return CALL_RESULT;
  }

  throw(e: unknown): IteratorResult<Suspend, T> {
    throw e;
  }

  return(value: T): IteratorResult<Suspend, T> {
    return { done: true, value };
  }
}

/**
 * Awaits a coroutine as a separate frame of the same task: `yield* call(child())` gives what
 * `yield* child()` gives (same task, no extra loop iteration, same cancellation), but the task
 * drives the child itself instead of nesting it in the parent's native stack. Use it for deep
 * recursion: a chain of plain `yield*` is limited by the JavaScript stack (about 4,500 levels in
 * Node — Python's default recursion limit is 1,000), a chain of `call()`s only by memory.
 *
 * @throws {TypeError} if `coro` is not a coroutine object.
 * @example
 * ```ts
 * import { type Coroutine, call, run } from 'rx-asyncio';
 * function* depth(n: number): Coroutine<number> {
 *   return n === 0 ? 0 : 1 + (yield* call(depth(n - 1)));
 * }
 * run(depth(100_000)).then((d) => console.log(d)); // 100000
 * ```
 */
export function call<T>(coro: Coroutine<T>): Awaitable<T> {
  checkCoroutine('call', coro);
  return new CallFrame(coro);
}
