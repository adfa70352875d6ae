import type { OperatorFunction } from 'rxjs';
import {
  type CoroutineOperatorOptions,
  type CoroutineProject,
  coroutineOperator,
} from './coroutineOperator.js';

/** Options of {@link mergeCoroutine}. */
export interface MergeCoroutineOptions extends CoroutineOperatorOptions {
  /** How many coroutines may run at once; later values wait in a buffer. Default `Infinity`. */
  concurrency?: number;
}

/**
 * Runs a coroutine (a task) per source value, all at once up to `concurrency`, and emits what
 * they `ctx.emit` and return, as they come: RxJS's `mergeMap` for coroutines. Values that arrive
 * while `concurrency` coroutines run wait in a buffer, in order.
 *
 * A coroutine that throws (or ends cancelled without the operator asking) errors the output; a
 * source error does too. Either way, and on unsubscribe, the running coroutines are cancelled
 * with `CancelledError`: their `finally` blocks run, may `yield*`, and an error they raise then
 * goes to the loop's exception handler. The output completes once the source completed and every
 * coroutine has returned.
 *
 * @throws {TypeError} if `project` is not a function, or (through the output) returns no coroutine.
 * @throws {RangeError} if `concurrency` is not a positive integer or `Infinity`.
 * @see concatCoroutine, switchCoroutine, exhaustCoroutine
 * @example
 * ```ts
 * import { mergeCoroutine, sleep } from 'rx-asyncio';
 * import { of } from 'rxjs';
 * of(300, 100, 200)
 *   .pipe(mergeCoroutine(function* (ms) { yield* sleep(ms); return ms; }, { concurrency: 2 }))
 *   .subscribe((v) => console.log(v)); // 100, 300, 200
 * ```
 */
export function mergeCoroutine<T, R>(
  project: CoroutineProject<T, R>,
  options: MergeCoroutineOptions = {},
): OperatorFunction<T, R> {
  return coroutineOperator(
    'mergeCoroutine',
    project,
    'buffer',
    options.concurrency ?? Number.POSITIVE_INFINITY,
    options,
  );
}
