import { RuntimeError } from '../errors.js';
import type { EventLoop } from '../kernel/EventLoop.js';
import { getRunningLoop } from '../kernel/runningLoop.js';

/** The part of Node's `process` signal handling uses (duck-typed: no `node:` import here). */
interface SignalProcess {
  on(signal: string, listener: () => void): unknown;
  off(signal: string, listener: () => void): unknown;
}

interface Installed {
  listener: () => void;
}

/**
 * Why a timer: a Node process whose only pending thing is a signal listener exits, while asyncio's
 * loop keeps waiting in its selector for the signal. An idle ref'd interval keeps the process
 * alive exactly while some loop has a handler installed. (The host side: the loop never waits on it.)
 */
let keepAlive: unknown = null;
let installedCount = 0;

function hold(delta: number): void {
  installedCount += delta;
  const g = globalThis as unknown as {
    setInterval(fn: () => void, ms: number): unknown;
    clearInterval(h: unknown): void;
  };
  if (installedCount > 0 && keepAlive === null) keepAlive = g.setInterval(() => {}, 2 ** 30);
  else if (installedCount === 0 && keepAlive !== null) {
    g.clearInterval(keepAlive);
    keepAlive = null;
  }
}

const byLoop = new WeakMap<EventLoop, Map<string, Installed>>();

function hostProcess(what: string): SignalProcess {
  const proc = (globalThis as { process?: Partial<SignalProcess> }).process;
  if (typeof proc?.on !== 'function' || typeof proc.off !== 'function') {
    throw new RuntimeError(`${what}: signals exist only in Node (no process.on here)`);
  }
  return proc as SignalProcess;
}

function checkSignal(what: string, signal: unknown): string {
  if (typeof signal !== 'string' || !/^SIG[A-Z0-9]+$/.test(signal)) {
    throw new TypeError(
      `${what}: expected a signal name such as 'SIGINT' or 'SIGTERM', got ${String(signal)}`,
    );
  }
  if (signal === 'SIGKILL' || signal === 'SIGSTOP') {
    throw new RuntimeError(`${what}: ${signal} cannot be caught`);
  }
  return signal;
}

/**
 * Calls `callback(...args)` on the running loop each time the process receives `signal`
 * (asyncio's `loop.add_signal_handler`, Unix semantics): the callback runs as a loop callback,
 * not inside the signal's own handler, so it may create tasks, set events or cancel. A handler
 * already set for that signal on this loop is replaced. Handlers are removed when the loop closes
 * (so the signal's default action, e.g. exiting on Ctrl-C, comes back after `run()`). While a
 * handler is installed the process stays alive waiting for it, as asyncio's loop does.
 * Node keeps SIGUSR1 for its debugger: prefer SIGUSR2, SIGHUP, SIGTERM, SIGINT.
 *
 * @throws {TypeError} for a value that is not a signal name; {RuntimeError} for SIGKILL/SIGSTOP,
 *   or where there are no signals (a browser).
 * @example
 * ```ts
 * import { addSignalHandler, Event, run } from 'rx-asyncio';
 * run(function* () {
 *   const stop = new Event();
 *   addSignalHandler('SIGTERM', () => stop.set());
 *   yield* stop.wait(); // until `kill <pid>`
 *   console.log('shutting down');
 * }());
 * ```
 */
export function addSignalHandler<A extends unknown[]>(
  signal: string,
  callback: (...args: A) => unknown,
  ...args: A
): void {
  const what = `addSignalHandler(${String(signal)})`;
  checkSignal(what, signal);
  if (typeof callback !== 'function') {
    throw new TypeError(`${what}: callback must be a function, got ${typeof callback}`);
  }
  const proc = hostProcess(what);
  const loop = getRunningLoop();
  let table = byLoop.get(loop);
  if (table === undefined) {
    table = new Map();
    byLoop.set(loop, table);
    const t = table;
    // Why a close hook (declared internal surface, as offload's): a listener left behind would
    // keep swallowing the signal after the loop is gone.
    loop._closeHooks.push(() => {
      for (const [sig, inst] of t) proc.off(sig, inst.listener);
      hold(-t.size);
      t.clear();
    });
  }
  removeSignalHandler(signal);
  const listener = (): void => {
    if (!loop.isClosed()) loop.callSoon(callback, ...args);
  };
  proc.on(signal, listener);
  table.set(signal, { listener });
  hold(1);
}

/**
 * Removes the running loop's handler for `signal` (asyncio's `loop.remove_signal_handler`);
 * returns whether there was one.
 * @example
 * ```ts
 * import { addSignalHandler, removeSignalHandler, run } from 'rx-asyncio';
 * run(function* () {
 *   addSignalHandler('SIGUSR1', () => console.log('usr1'));
 *   console.log(removeSignalHandler('SIGUSR1')); // true
 * }());
 * ```
 */
export function removeSignalHandler(signal: string): boolean {
  const what = `removeSignalHandler(${String(signal)})`;
  checkSignal(what, signal);
  const table = byLoop.get(getRunningLoop());
  const inst = table?.get(signal);
  if (table === undefined || inst === undefined) return false;
  hostProcess(what).off(signal, inst.listener);
  table.delete(signal);
  hold(-1);
  return true;
}
