import { ensureFuture, type FutureLike, type FutureValue } from '../interop/ensureFuture.js';
import { Future } from '../kernel/Future.js';

/**
 * Protects `aw` from cancellation (asyncio's `shield`): returns a new future that follows `aw`'s
 * outcome. Cancelling the task that awaits the shield (or the shield itself) cancels only the
 * shield: `aw` runs on, and its outcome is dropped (an error it raises later is reported as never
 * retrieved, unless someone else awaits it). If `aw`
 * is cancelled by someone else, the shield is cancelled too, so the caller sees `CancelledError`
 * although it was not cancelled itself. A coroutine is wrapped in a task first; an `aw` that is
 * already done is returned as it is.
 *
 * Keep a reference to a shielded task if you need its result after the caller was cancelled.
 *
 * @throws {TypeError} for something that cannot be awaited.
 * @example
 * ```ts
 * import { createTask, run, shield, sleep } from 'rx-asyncio';
 * run(function* () {
 *   const save = createTask(function* () {
 *     yield* sleep(100);
 *     return 'saved';
 *   }());
 *   const result = yield* shield(save); // a cancel here would leave `save` running
 *   console.log(result);
 * }());
 * ```
 */
export function shield<X extends FutureLike<unknown>>(aw: X): Future<FutureValue<X>> {
  type T = FutureValue<X>;
  const inner = ensureFuture(aw) as Future<T>;
  if (inner.done()) return inner;
  const outer = new Future<T>(inner.getLoop());
  const onInnerDone = (): void => {
    if (outer.cancelled()) {
      if (!inner.cancelled()) inner.exception(); // the caller left: the outcome is nobody's
      return;
    }
    if (inner.cancelled()) {
      outer.cancel();
      return;
    }
    const exc = inner.exception();
    if (exc === null) outer.setResult(inner.result());
    else outer.setException(exc);
  };
  inner.addDoneCallback(onInnerDone);
  outer.addDoneCallback(() => {
    if (!inner.done()) inner.removeDoneCallback(onInnerDone);
  });
  return outer;
}
