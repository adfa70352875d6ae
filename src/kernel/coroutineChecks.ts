import { RuntimeError } from '../errors.js';
import {
  type Coroutine,
  describe,
  isAwaitable,
  isCoroutine,
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

// The prototype of the last native generator seen: tasks usually come in runs of one generator
// function, whose objects share it (saves a prototype walk per task).
let lastGeneratorProto: object | null = null;

function isNativeGenerator(x: unknown): boolean {
  if (typeof x !== 'object' || x === null) return false;
  const proto = Object.getPrototypeOf(x) as object | null;
  if (proto === lastGeneratorProto) return true;
  if (proto === null || Object.getPrototypeOf(proto) !== GeneratorPrototype) return false;
  lastGeneratorProto = proto;
  return true;
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
  if (isCoroutineFunction(coro)) {
    const name = (coro as { name?: string }).name || 'coro';
    throw new TypeError(
      `${what}() expects a coroutine object, got the generator function ${name}: call it, ${what}(${name}())`,
    );
  }
  if (isAwaitable(coro)) {
    throw new TypeError(
      `${what}() expects a coroutine object, got ${describe(coro)}: await it with yield*, or use ensureFuture()`,
    );
  }
  throw new TypeError(
    `${what}() expects a coroutine object (call a generator function), got ${describe(coro)}`,
  );
}
