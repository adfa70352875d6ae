import { RuntimeError } from '../errors.js';
import { describe } from '../kernel/Awaitable.js';
import { _setHostContextCapture, type HostSnapshot } from '../kernel/Context.js';

/** The part of Node's `AsyncLocalStorage` class the bridge uses: its static `snapshot()`. */
export interface AsyncLocalStorageClass {
  snapshot(): HostSnapshot;
}

/** The part of Node's `AsyncResource` class the bridge uses (the faster capture). */
export interface AsyncResourceClass {
  new (
    type: string,
  ): {
    runInAsyncScope<A extends unknown[], R>(
      fn: (...args: A) => R,
      thisArg?: unknown,
      ...args: A
    ): R;
  };
}

/** Options of {@link bridgeAsyncLocalStorage}. */
export interface BridgeAsyncLocalStorageOptions {
  /**
   * Node's `AsyncResource` class (`import { AsyncResource } from 'node:async_hooks'`). With it the
   * bridge captures a task's state as one `new AsyncResource()`, which is what
   * `AsyncLocalStorage.snapshot()` does inside; without it, through `snapshot()` itself, which on
   * Node 20 also builds a bound function with two deprecation wrappers: about 10× the cost per
   * task created (bench/context.ts). The state seen by the task is the same either way.
   */
  AsyncResource?: AsyncResourceClass;
}

/**
 * Why a named resource type: it shows up as the async resource of every bridged step in
 * async_hooks-based tools (`executionAsyncResource()`, clinic, why-is-node-running).
 */
const RESOURCE_TYPE = 'rx-asyncio.Task';

/** A capture through `new AsyncResource()`: one object per task, entered per step. */
function captureWith(AsyncResource: AsyncResourceClass): () => HostSnapshot {
  return () => {
    const resource = new AsyncResource(RESOURCE_TYPE);
    return (fn, ...args) => resource.runInAsyncScope(fn, undefined, ...args);
  };
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
 * Cost: capturing the ALS state once per task, and entering it once per step; nothing when not
 * installed. Pass `{ AsyncResource }` too: task creation is then about 10× cheaper on Node 20
 * (docs/guide.md has the measured figures per task and per `sleep(0)` step).
 *
 * @throws {TypeError} when the argument has no static `snapshot()` (Node < 18.16), or
 *   `options.AsyncResource` is given and is not a class.
 * @throws {RuntimeError} when a bridge is installed already.
 * @example
 * ```ts
 * import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
 * import { bridgeAsyncLocalStorage, createTask, run, sleep } from 'rx-asyncio';
 * const requestId = new AsyncLocalStorage<string>();
 * const unbridge = bridgeAsyncLocalStorage(AsyncLocalStorage, { AsyncResource });
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
export function bridgeAsyncLocalStorage(
  als: AsyncLocalStorageClass,
  options: BridgeAsyncLocalStorageOptions = {},
): () => void {
  if (typeof (als as AsyncLocalStorageClass | null)?.snapshot !== 'function') {
    throw new TypeError(
      `bridgeAsyncLocalStorage(AsyncLocalStorage): expected the AsyncLocalStorage class from 'node:async_hooks' (with a static snapshot(), Node >= 18.16), got ${describe(als)}`,
    );
  }
  const { AsyncResource } = options;
  if (AsyncResource !== undefined && typeof AsyncResource !== 'function') {
    throw new TypeError(
      `bridgeAsyncLocalStorage(AsyncLocalStorage, { AsyncResource }): expected the AsyncResource class from 'node:async_hooks', got ${describe(AsyncResource)}`,
    );
  }
  if (installedBy !== null) {
    throw new RuntimeError(
      'bridgeAsyncLocalStorage(): a bridge is installed already; call the function it returned to remove it first',
    );
  }
  installedBy = als;
  _setHostContextCapture(
    AsyncResource === undefined ? () => als.snapshot() : captureWith(AsyncResource),
  );
  let removed = false;
  return () => {
    if (removed) return;
    removed = true;
    installedBy = null;
    _setHostContextCapture(null);
  };
}
