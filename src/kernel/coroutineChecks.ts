import { RuntimeError } from '../errors.js';
import {
  type Awaitable,
  type Coroutine,
  describe,
  FUTURE_MARK,
  isAwaitable,
  isCoroutine,
  isCoroutineAwaitable,
  isCoroutineFunction,
} from './Awaitable.js';
import type { Task } from './Task.js';

/** Argument checks for coroutines, and the advice the driver gives for a misused `yield`. */

/** @internal %GeneratorPrototype%: what every native generator object inherits from. */
export const GeneratorPrototype = Object.getPrototypeOf(function* () {}).prototype as Generator;

/** @internal A native generator whose next/throw were not replaced on the object (debug wrappers do). */
export function isPlainGenerator(x: unknown): boolean {
  return (
    isNativeGenerator(x) &&
    !Object.hasOwn(x as object, 'next') &&
    !Object.hasOwn(x as object, 'throw')
  );
}

function isNativeGenerator(x: unknown): boolean {
  if (typeof x !== 'object' || x === null) return false;
  const proto = Object.getPrototypeOf(x) as object | null;
  return proto !== null && Object.getPrototypeOf(proto) === GeneratorPrototype;
}

/**
 * @internal asyncio's error for a task given a coroutine that something already started: another
 * task, or a `yield*` (detected at the task's first step; see FIRST in Awaitable.ts).
 */
export function reusedCoroutine(coro: unknown): RuntimeError {
  return new RuntimeError(
    `cannot reuse already awaited coroutine: ${describe(coro)} was started before (by another ` +
      'task, or a `yield*`), and one coroutine object runs once; call the generator function ' +
      'again for a fresh coroutine object',
  );
}

export function badYield(task: Task<unknown>, y: unknown): RuntimeError {
  if (y === undefined) {
    return new RuntimeError(
      `bare \`yield\` in ${task}: to await something write \`yield* thing\`; ` +
        'to let other tasks run write `yield* sleep(0)`',
    );
  }
  if (isAwaitable(y)) {
    return new RuntimeError(
      `\`yield\` was used instead of \`yield*\` in ${task} with ${describe(y)}: write \`yield* x\` to await it`,
    );
  }
  return new RuntimeError(
    `${task} got a bad yield: ${describe(y)}; coroutines only \`yield*\` awaitables`,
  );
}

/** @internal Validates a coroutine argument, with advice for the usual mistakes. */
export function checkCoroutine(what: string, coro: unknown): asserts coro is Coroutine<unknown> {
  if (isNativeGenerator(coro) || isCoroutine(coro)) return;
  throw notACoroutine(what, coro, TypeError);
}

/**
 * @internal What `createTask` and `run` drive: a coroutine object as it is, or an awaitable that
 * asyncio calls a coroutine (`sleep(ms)`, `queue.get()`...) wrapped in one, so it starts when
 * the task first runs and cancelling the task cancels the wait. Anything else (a Future or Task
 * included: it is already running) is refused with `Refused` (asyncio: `TypeError` from
 * `create_task`, `ValueError` from `run`).
 */
export function toCoroutine<T>(
  what: string,
  x: Coroutine<T> | Awaitable<T>,
  Refused: new (message: string) => Error = TypeError,
): Coroutine<T> {
  // The marked awaitables first: `sleep(0)`'s stateless iterator also has next/throw/return.
  if (isCoroutineAwaitable(x)) return awaitInTask(x as Awaitable<T>);
  if (isNativeGenerator(x) || isCoroutine(x)) return x as Coroutine<T>;
  throw notACoroutine(what, x, Refused);
}

function* awaitInTask<T>(aw: Awaitable<T>): Coroutine<T> {
  return yield* aw;
}

function notACoroutine(what: string, x: unknown, E: new (message: string) => Error): Error {
  // asyncio's wording first ("a coroutine was expected"), so ported assertRaisesRegex checks pass.
  const head = `${what}(): a coroutine was expected, got ${describe(x)}`;
  if (isCoroutineFunction(x)) {
    const name = (x as { name?: string }).name || 'coro';
    return new E(`${head}: the generator function ${name} itself; call it, ${what}(${name}())`);
  }
  if (isAwaitable(x) && (x as { [FUTURE_MARK]?: unknown })[FUTURE_MARK] === true) {
    return new E(
      `${head}: a Future or Task is already running; await it with yield* (or pass it to gather/wait/shield)`,
    );
  }
  if (isAwaitable(x)) {
    return new E(`${head}: await it with yield*, or wrap it with ensureFuture()`);
  }
  return new E(`${head} (call a generator function to make one)`);
}
