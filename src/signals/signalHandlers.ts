import { RuntimeError } from '../errors.js';
import type { EventLoop } from '../kernel/EventLoop.js';
import { getRunningLoop } from '../kernel/runningLoop.js';

/** The part of Node's `process` signal handling uses (duck-typed: no `node:` import here). */
interface SignalProcess {
  on(signal: string, listener: () => void): unknown;
  off(signal: string, listener: () => void): unknown;
}

/** A handler added with {@link addSignalHandler}. */
interface Installed {
  readonly callback: (...args: never[]) => unknown;
  readonly args: readonly unknown[];
}

/**
 * One loop's signal table. Why one process listener per signal that dispatches, rather than one
 * listener per handler: asyncio's `add_signal_handler(SIGINT, ...)` *replaces* what the signal did
 * before (`asyncio.run`'s Ctrl-C handling), and `remove_signal_handler` gives it back. The listener
 * consults the table at signal time, so a handler and run()'s default never both fire.
 */
interface LoopSignals {
  /** Handlers added with addSignalHandler, by signal. */
  readonly handlers: Map<string, Installed>;
  /** What a signal does while no handler is added (run()'s Ctrl-C handling), by signal. */
  readonly defaults: Map<string, () => void>;
  /** The process listener of each signal this loop listens to. */
  readonly listeners: Map<string, () => void>;
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

const byLoop = new WeakMap<EventLoop, LoopSignals>();

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

function signalsOf(loop: EventLoop, proc: SignalProcess): LoopSignals {
  let table = byLoop.get(loop);
  if (table === undefined) {
    const t: LoopSignals = { handlers: new Map(), defaults: new Map(), listeners: new Map() };
    table = t;
    byLoop.set(loop, t);
    // Why a close hook (declared internal surface, as offload's): a listener left behind would
    // keep swallowing the signal after the loop is gone.
    loop._closeHooks.push(() => {
      for (const [sig, listener] of t.listeners) proc.off(sig, listener);
      hold(-t.handlers.size);
      t.handlers.clear();
      t.defaults.clear();
      t.listeners.clear();
    });
  }
  return table;
}

/** Listens to `signal` while the table has a handler or a default for it, and only then. */
function syncListener(loop: EventLoop, proc: SignalProcess, t: LoopSignals, signal: string): void {
  const wanted = t.handlers.has(signal) || t.defaults.has(signal);
  const listener = t.listeners.get(signal);
  if (wanted && listener === undefined) {
    const dispatch = (): void => {
      const handler = t.handlers.get(signal);
      if (handler !== undefined) {
        if (!loop.isClosed()) loop.callSoon(handler.callback, ...(handler.args as never[]));
        return;
      }
      t.defaults.get(signal)?.();
    };
    proc.on(signal, dispatch);
    t.listeners.set(signal, dispatch);
  } else if (!wanted && listener !== undefined) {
    proc.off(signal, listener);
    t.listeners.delete(signal);
  }
}

/**
 * What `signal` does on `loop` while no handler added with {@link addSignalHandler} replaces it:
 * how `run()` installs its Ctrl-C handling, so that a program's own `addSignalHandler('SIGINT')`
 * takes Ctrl-C over and `removeSignalHandler('SIGINT')` gives it back, as in asyncio. Runs
 * `action` in the signal's own host turn (it must work while the loop is busy shutting down).
 * Unlike a handler it does not keep the process alive. Returns its remover. Internal: not
 * exported from the package.
 */
export function _setDefaultSignalAction(
  loop: EventLoop,
  signal: string,
  action: () => void,
): () => void {
  const proc = hostProcess(`run() (${signal})`);
  const t = signalsOf(loop, proc);
  t.defaults.set(signal, action);
  syncListener(loop, proc, t, signal);
  return () => {
    if (t.defaults.get(signal) !== action) return;
    t.defaults.delete(signal);
    syncListener(loop, proc, t, signal);
  };
}

/**
 * Calls `callback(...args)` on the running loop each time the process receives `signal`
 * (asyncio's `loop.add_signal_handler`, Unix semantics): the callback runs as a loop callback,
 * not inside the signal's own handler, so it may create tasks, set events or cancel. A handler
 * already set for that signal on this loop is replaced. A handler for SIGINT replaces `run()`'s
 * Ctrl-C handling (no `KeyboardInterrupt`) until it is removed, as asyncio's does. Handlers are
 * removed when the loop closes
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
  const t = signalsOf(loop, proc);
  if (!t.handlers.has(signal)) hold(1);
  t.handlers.set(signal, { callback: callback as Installed['callback'], args });
  syncListener(loop, proc, t, signal);
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
  const loop = getRunningLoop();
  const t = byLoop.get(loop);
  if (t === undefined || !t.handlers.delete(signal)) return false;
  hold(-1);
  syncListener(loop, hostProcess(what), t, signal);
  return true;
}
