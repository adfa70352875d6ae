import { RuntimeError, ValueError } from '../errors.js';
import type { Awaitable, Coroutine } from '../kernel/Awaitable.js';
import { toCoroutine } from '../kernel/coroutineChecks.js';
import { _getRunningLoopOrNull } from '../kernel/runningLoop.js';
import { Runner, type RunOptions } from './Runner.js';

/** Options of {@link run}. */
export interface RunMainOptions extends RunOptions {
  /**
   * In Node, a first Ctrl-C (SIGINT) cancels `main` (which then shuts down as usual) and a second
   * one exits at once, as asyncio.run does. Default: true with the default real-time scheduler.
   */
  handleSigint?: boolean;
}

/**
 * Runs a coroutine to completion on a new event loop and returns a Promise of its result:
 * asyncio's `run`. When `main` is done, every task still pending is cancelled and awaited (their
 * `finally` blocks may themselves `yield*`), errors raised during that cleanup are reported, the
 * default executor is shut down, and the loop is closed, reporting exceptions nobody retrieved.
 * Then the Promise settles with `main`'s result or error.
 *
 * Pass `{ scheduler: testScheduler }` to run the whole program in virtual time.
 *
 * `main` may also be an awaitable that asyncio calls a coroutine (`run(sleep(1000))`).
 *
 * @throws {ValueError} if `main` is not a coroutine (`run(main)` instead of `run(main())`, a
 * Future or Task...): asyncio's `ValueError('a coroutine was expected')`; a `RangeError`.
 * @throws {RuntimeError} when called from inside a running loop.
 * @example
 * ```ts
 * import { run, sleep } from 'rx-asyncio';
 * function* main() {
 *   yield* sleep(1000);
 *   return 'hello';
 * }
 * run(main()).then((v) => console.log(v));
 * ```
 */
export function run<T>(
  main: Coroutine<T> | Awaitable<T>,
  options: RunMainOptions = {},
  // biome-ignore lint/style/noRestrictedGlobals: run() is the host boundary; the loop never waits on this Promise.
): Promise<T> {
  // asyncio.run's order: where it is called from, then the argument.
  if (_getRunningLoopOrNull() !== null) {
    throw new RuntimeError(
      'run() cannot be called from a running event loop: inside a coroutine, `yield*` the ' +
        'coroutine or start it with createTask()',
    );
  }
  const coro = toCoroutine('run', main, ValueError);
  const runner = new Runner(options);
  const sigint = options.handleSigint ?? options.scheduler === undefined;
  // biome-ignore lint/style/noRestrictedGlobals: see above.
  return new Promise<T>((resolve, reject) => {
    let detach = (): void => {};
    const task = runner.start(coro, (outcome) => {
      detach();
      if (outcome.ok) resolve(outcome.value);
      else reject(outcome.error);
    });
    if (sigint) detach = onSigint(() => task.cancel('interrupted (SIGINT)'));
  });
}

type NodeProcess = {
  on(event: 'SIGINT', fn: () => void): void;
  off(event: 'SIGINT', fn: () => void): void;
  exit(code: number): never;
};

/** Installs a SIGINT handler in Node (first: cancel; second: exit 130). Returns its remover. */
function onSigint(cancelMain: () => void): () => void {
  const proc = (globalThis as { process?: Partial<NodeProcess> }).process;
  if (typeof proc?.on !== 'function' || typeof proc.off !== 'function') return () => {};
  let count = 0;
  const handler = (): void => {
    count++;
    if (count === 1) cancelMain();
    else (proc as NodeProcess).exit(130);
  };
  proc.on('SIGINT', handler);
  return () => (proc as NodeProcess).off('SIGINT', handler);
}
