import { describe } from '../kernel/Awaitable.js';
import { _promiseOf, type Future } from '../kernel/Future.js';

/**
 * The Promise boundary: a Promise that settles with the future's outcome. It settles after the
 * loop runs the future's done callbacks (under a virtual-time scheduler, after the flush), since
 * the loop itself never schedules through Promises.
 *
 * @example
 * ```ts
 * import { futureToPromise, getRunningLoop, run } from 'rx-asyncio';
 * run(function* () {
 *   const fut = getRunningLoop().createFuture<number>();
 *   futureToPromise(fut).then((v) => console.log(v));
 *   fut.setResult(42);
 * }());
 * ```
 */
export function futureToPromise<T>(future: Future<T>): Promise<T> {
  if (typeof future?.done !== 'function' || typeof future.addDoneCallback !== 'function') {
    throw new TypeError(
      `futureToPromise(future): expected an rx-asyncio Future or Task, got ${describe(future)}`,
    );
  }
  return _promiseOf(future);
}
