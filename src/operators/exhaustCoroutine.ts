import type { OperatorFunction } from 'rxjs';
import {
  type CoroutineOperatorOptions,
  type CoroutineProject,
  coroutineOperator,
} from './coroutineOperator.js';

/**
 * Runs a coroutine per source value, ignoring values that arrive while one is running: RxJS's
 * `exhaustMap` for coroutines (a "submit" button that ignores clicks while a request runs). What
 * the coroutine `ctx.emit`s and returns is emitted downstream.
 *
 * Errors, cancellation on unsubscribe and completion are as in {@link mergeCoroutine}.
 *
 * @throws {TypeError} if `project` is not a function, or (through the output) returns no coroutine.
 * @see mergeCoroutine, concatCoroutine, switchCoroutine
 * @example
 * ```ts
 * import { exhaustCoroutine, sleep } from 'rx-asyncio';
 * import { interval, take } from 'rxjs';
 * interval(100)
 *   .pipe(take(5), exhaustCoroutine(function* (n) { yield* sleep(250); return n; }))
 *   .subscribe((v) => console.log(v)); // 0, 3
 * ```
 */
export function exhaustCoroutine<T, R>(
  project: CoroutineProject<T, R>,
  options: CoroutineOperatorOptions = {},
): OperatorFunction<T, R> {
  return coroutineOperator('exhaustCoroutine', project, 'drop', 1, options);
}
