import type { Coroutine } from '../kernel/Awaitable.js';
import { checkCoroutine } from '../kernel/coroutineChecks.js';
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
 * @throws {TypeError} if `main` is not a coroutine object (e.g. `run(main)` instead of `run(main())`).
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
// biome-ignore lint/style/noRestrictedGlobals: run() is the host boundary; the loop never waits on this Promise.
export function run<T>(main: Coroutine<T>, options: RunMainOptions = {}): Promise<T> {
  checkCoroutine('run', main);
  const runner = new Runner(options);
  const sigint = options.handleSigint ?? options.scheduler === undefined;
  // biome-ignore lint/style/noRestrictedGlobals: see above.
  return new Promise<T>((resolve, reject) => {
    let detach = (): void => {};
    const task = runner.start(main, (outcome) => {
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
