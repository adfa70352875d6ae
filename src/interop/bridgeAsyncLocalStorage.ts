import { RuntimeError } from '../errors.js';
import { describe } from '../kernel/Awaitable.js';
import { _setHostContextCapture, type HostSnapshot } from '../kernel/Context.js';

/** The part of Node's `AsyncLocalStorage` class the bridge uses: its static `snapshot()`. */
export interface AsyncLocalStorageClass {
  snapshot(): HostSnapshot;
}

let installedBy: AsyncLocalStorageClass | null = null;

/**
 * Opt-in bridge to Node's `AsyncLocalStorage` (also in Deno, Bun and edge runtimes that offer
 * `node:async_hooks`): while it is installed, every task step runs inside the AsyncLocalStorage
 * state that was current when the task was created, and every loop callback inside the state
 * current when it was scheduled. ALS-based libraries (OpenTelemetry's context manager,
 * request-id loggers) then see the right request inside rx-asyncio tasks, across `yield*`s,
 * and a store one task enters never reaches another.
 *
 * Pass the class in (`import { AsyncLocalStorage } from 'node:async_hooks'`): this module
 * imports nothing from Node, so browser bundles stay clean. Returns a function that removes the
 * bridge. Tasks created without the bridge keep running in the loop's ambient state.
 *
 * Cost: capturing a snapshot per task, and entering it per step (see docs/guide.md for the
 * measured `sleep(0)` figure); nothing when not installed.
 *
 * @throws {TypeError} when the argument has no static `snapshot()` (Node < 18.16).
 * @throws {RuntimeError} when a bridge is installed already.
 * @example
 * ```ts
 * import { AsyncLocalStorage } from 'node:async_hooks';
 * import { bridgeAsyncLocalStorage, createTask, run, sleep } from 'rx-asyncio';
 * const requestId = new AsyncLocalStorage<string>();
 * const unbridge = bridgeAsyncLocalStorage(AsyncLocalStorage);
 * run(function* () {
 *   const t = requestId.run('req-1', () =>
 *     createTask(function* () {
 *       yield* sleep(10);
 *       return requestId.getStore(); // 'req-1'
 *     }()),
 *   );
 *   console.log(yield* t);
 * }()).finally(unbridge);
 * ```
 */
export function bridgeAsyncLocalStorage(als: AsyncLocalStorageClass): () => void {
  if (typeof (als as AsyncLocalStorageClass | null)?.snapshot !== 'function') {
    throw new TypeError(
      `bridgeAsyncLocalStorage(AsyncLocalStorage): expected the AsyncLocalStorage class from 'node:async_hooks' (with a static snapshot(), Node >= 18.16), got ${describe(als)}`,
    );
  }
  if (installedBy !== null) {
    throw new RuntimeError(
      'bridgeAsyncLocalStorage(): a bridge is installed already; call the function it returned to remove it first',
    );
  }
  installedBy = als;
  _setHostContextCapture(() => als.snapshot());
  let removed = false;
  return () => {
    if (removed) return;
    removed = true;
    installedBy = null;
    _setHostContextCapture(null);
  };
}
