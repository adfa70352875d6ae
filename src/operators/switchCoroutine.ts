import type { OperatorFunction } from 'rxjs';
import {
  type CoroutineOperatorOptions,
  type CoroutineProject,
  coroutineOperator,
} from './coroutineOperator.js';

/**
 * Runs a coroutine per source value, cancelling the running one when a new value arrives: RxJS's
 * `switchMap` with asyncio's cancellation. The cancelled coroutine gets a `CancelledError` at its
 * suspension point; its `finally` blocks run and may `yield*` (async cleanup).
 *
 * **The next coroutine starts after that cleanup has finished** (as `task.cancel(); await task`
 * would in asyncio), so two coroutines of one switch never overlap: a lock or a connection held
 * by the old one is released before the new one starts. If several values arrive during the
 * cleanup, only the latest starts. Once cancelled, a coroutine's `ctx.emit`s and return value are
 * dropped; one that swallows its `CancelledError` and carries on delays the next one until it
 * returns. An error raised by a cancelled coroutine's cleanup errors the output.
 *
 * Other errors, unsubscribe and completion are as in {@link mergeCoroutine}: the output completes
 * once the source completed and the last coroutine (cleanups included) has returned.
 *
 * @throws {TypeError} if `project` is not a function, or (through the output) returns no coroutine.
 * @see mergeCoroutine, concatCoroutine, exhaustCoroutine
 * @example
 * ```ts
 * import { sleep, switchCoroutine } from 'rx-asyncio';
 * import { fromEvent, map } from 'rxjs';
 * function* search(q: string) {
 *   yield* sleep(300); // stands for a request; cancelled if the user types again
 *   return `results for ${q}`;
 * }
 * const input = document.querySelector('input') as HTMLInputElement;
 * fromEvent(input, 'input')
 *   .pipe(map(() => input.value), switchCoroutine(search))
 *   .subscribe((r) => console.log(r));
 * ```
 */
export function switchCoroutine<T, R>(
  project: CoroutineProject<T, R>,
  options: CoroutineOperatorOptions = {},
): OperatorFunction<T, R> {
  return coroutineOperator('switchCoroutine', project, 'switch', 1, options);
}
