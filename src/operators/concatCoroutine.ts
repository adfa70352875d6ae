import type { OperatorFunction } from 'rxjs';
import {
  type CoroutineOperatorOptions,
  type CoroutineProject,
  coroutineOperator,
} from './coroutineOperator.js';

/**
 * Runs a coroutine per source value, one at a time, in order: RxJS's `concatMap` for coroutines.
 * The next coroutine starts once the previous one has returned; values that arrive meanwhile wait
 * in a buffer. What a coroutine `ctx.emit`s and returns is emitted downstream.
 *
 * Errors, cancellation on unsubscribe and completion are as in {@link mergeCoroutine}.
 *
 * @throws {TypeError} if `project` is not a function, or (through the output) returns no coroutine.
 * @see mergeCoroutine, switchCoroutine, exhaustCoroutine
 * @example
 * ```ts
 * import { concatCoroutine, sleep } from 'rx-asyncio';
 * import { of } from 'rxjs';
 * of('a', 'b')
 *   .pipe(concatCoroutine(function* (x, ctx) {
 *     ctx.emit(`${x}: start`);
 *     yield* sleep(100);
 *     return `${x}: done`;
 *   }))
 *   .subscribe((v) => console.log(v)); // a: start, a: done, b: start, b: done
 * ```
 */
export function concatCoroutine<T, R>(
  project: CoroutineProject<T, R>,
  options: CoroutineOperatorOptions = {},
): OperatorFunction<T, R> {
  return coroutineOperator('concatCoroutine', project, 'buffer', 1, options);
}
