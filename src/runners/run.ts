import { DeadlockError, KeyboardInterrupt, RuntimeError, ValueError } from '../errors.js';
import type { Awaitable, Coroutine } from '../kernel/Awaitable.js';
import { toCoroutine } from '../kernel/coroutineChecks.js';
import { _getRunningLoopOrNull } from '../kernel/runningLoop.js';
import { isVirtualTimeScheduler } from '../schedulers/virtualTime.js';
import { _setDefaultSignalAction } from '../signals/signalHandlers.js';
import { Runner, type RunOptions } from './Runner.js';

/** Options of {@link run}. */
export interface RunMainOptions extends RunOptions {
  /**
   * In Node, a first Ctrl-C (SIGINT) cancels `main`, which then shuts down as usual, and `run()`
   * rejects with {@link KeyboardInterrupt} (unless `main` caught the cancellation and returned).
   * A second Ctrl-C, or a first one once `main` has returned (the shutdown waits on a task that
   * ignores cancellation), closes the loop at once and rejects with `KeyboardInterrupt`. Left
   * unhandled, that rejection prints one line, `KeyboardInterrupt`, and exits with code 130, as
   * Python does. While the program has its own handler for SIGINT (`addSignalHandler`),
   * Ctrl-C runs that handler instead; removing it brings this handling back, as in asyncio.
   * Default: true on a real-time scheduler (not a `TestScheduler`).
   */
  handleSigint?: boolean;
  /**
   * In Node, when the process is about to exit (`beforeExit`: nothing left that could wake the
   * program, no timer, socket, stdin read or worker job) while `main` has not returned, the
   * program is stalled for good: `main` is cancelled as by Ctrl-C, the usual shutdown runs
   * (every `finally`, errors nobody retrieved reported), `run()` rejects with a
   * {@link DeadlockError} carrying the task dump, and the exit code is 1. Default: true on a
   * real-time scheduler (not a `TestScheduler`).
   */
  detectDeadlock?: boolean;
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
 * In Node, Ctrl-C ends the program with {@link KeyboardInterrupt} (exit code 130) and a program
 * that can no longer make progress ends with {@link DeadlockError} instead of exiting silently
 * (see {@link RunMainOptions}).
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
  const realTime = !isVirtualTimeScheduler(options.scheduler);
  const host = nodeProcess();
  // biome-ignore lint/style/noRestrictedGlobals: see above.
  return new Promise<T>((resolve, reject) => {
    const detach: Array<() => void> = [];
    runner.start(coro, (outcome) => {
      for (const d of detach.splice(0)) d();
      if (outcome.ok) {
        resolve(outcome.value);
        return;
      }
      const error = outcome.error;
      if (host !== null && error instanceof KeyboardInterrupt) exitIfUnhandled(host, error);
      reject(error);
    });
    if (host === null) return;
    if (options.handleSigint ?? realTime) detach.push(onSigint(runner));
    if (options.detectDeadlock ?? realTime) detach.push(onStall(host, runner));
  });
}

/** The parts of Node's `process` that run() uses. */
interface NodeProcess {
  on(event: string, fn: (...args: never[]) => void): void;
  off(event: string, fn: (...args: never[]) => void): void;
  listenerCount(event: string): number;
  exit(code: number): never;
  exitCode?: number | string | undefined;
  stderr: { write(s: string): unknown };
}

function nodeProcess(): NodeProcess | null {
  const proc = (
    globalThis as unknown as { process?: Partial<NodeProcess> & { versions?: { node?: string } } }
  ).process;
  if (typeof proc?.versions?.node !== 'string' || typeof proc.on !== 'function') return null;
  return proc as NodeProcess;
}

/**
 * Ctrl-C interrupts the run (see {@link RunMainOptions.handleSigint}). Why through the loop's
 * signal table rather than a plain `process.on`: as in asyncio, a program's own
 * `addSignalHandler('SIGINT', ...)` replaces this while it is installed, and
 * `removeSignalHandler('SIGINT')` brings it back. Returns its remover.
 */
function onSigint(runner: Runner): () => void {
  return _setDefaultSignalAction(runner.loop, 'SIGINT', () =>
    runner.interrupt(new KeyboardInterrupt()),
  );
}

/**
 * A stalled program: Node is about to exit while `main` has not returned (see
 * {@link RunMainOptions.detectDeadlock}). Why `beforeExit`: Node emits it exactly when nothing
 * is left that could wake the program (no timer, socket, stdin read, referenced worker); a
 * program parked on a real event never gets it. Returns its remover.
 */
function onStall(host: NodeProcess, runner: Runner): () => void {
  const handler = (): void => {
    const loop = runner.loop;
    const error = new DeadlockError(
      `run(): the program stalled: main has not returned and nothing is left that could wake ` +
        'it (no timer, socket, stdin read or worker job keeps the process alive), so Node was ' +
        'about to exit. Find the future, queue or lock nobody will complete or release. ' +
        `Pending tasks:\n${loop.dumpTasks()}`,
    );
    if (host.exitCode === undefined || host.exitCode === 0) host.exitCode = 1;
    runner.interrupt(error);
  };
  host.on('beforeExit', handler);
  return () => host.off('beforeExit', handler);
}

/**
 * Python's exit for an unhandled `KeyboardInterrupt`: one line and status 130, not Node's dump
 * of an unhandled rejection. Listens only until the rejection had its chance to be handled
 * (the same host turn); other errors get Node's usual treatment.
 */
function exitIfUnhandled(host: NodeProcess, error: KeyboardInterrupt): void {
  const onUncaught = (err: unknown): void => {
    if (err === error) {
      host.stderr.write('KeyboardInterrupt\n');
      host.exit(130);
    }
    remove();
    if (host.listenerCount('uncaughtException') > 0) return; // someone else handles it
    host.stderr.write(`${err instanceof Error ? (err.stack ?? String(err)) : String(err)}\n`);
    host.exit(1);
  };
  const remove = (): void => host.off('uncaughtException', onUncaught);
  host.on('uncaughtException', onUncaught);
  // biome-ignore lint/style/noRestrictedGlobals: host boundary; not the loop's path.
  const later = setImmediate(remove);
  later.unref();
}
