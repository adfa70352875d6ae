/**
 * Never-awaited coroutines, in debug mode.
 *
 * Python warns "coroutine 'f' was never awaited" because CPython's coroutine objects know whether
 * they were started. A JavaScript generator object carries no such hook, and calling a generator
 * function cannot be intercepted. So rx-asyncio can only watch coroutines made through a wrapper:
 * {@link coroutine} returns a function that, while the running loop is in debug mode, marks each
 * generator object it makes and notices the first `next`/`throw`/`return` (by `yield*`, a task,
 * or by hand). One never started is reported to the loop's exception handler:
 * - when the loop closes (deterministic: what specs and virtual-time runs see), and
 * - when it is garbage collected while the loop is open (a `FinalizationRegistry`: whenever the
 *   GC gets to it, possibly never).
 * Coroutines made before a loop runs, outside debug mode, or without the wrapper are not watched.
 *
 * @module
 */
import type { Coroutine } from '../kernel/Awaitable.js';
import { creationSite } from '../kernel/creationSite.js';
import type { EventLoop } from '../kernel/EventLoop.js';
import { _getRunningLoopOrNull } from '../kernel/runningLoop.js';

interface Watched {
  readonly loop: EventLoop;
  readonly name: string;
  readonly site: string;
  started: boolean;
}

/**
 * Per loop: the records of the watched coroutines not started yet. The records are held, not the
 * coroutines (a record does not reference its generator, so the GC report can still happen): a
 * coroutine the GC took before the loop closed is still reported at the close, even when the
 * registry's callback, which the host runs in some later turn, comes after it.
 */
const unstarted = new WeakMap<EventLoop, Set<Watched>>();

const registry =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry<Watched>((w) => {
        if (w.started || w.loop.isClosed()) return; // reported (or started) already
        unstarted.get(w.loop)?.delete(w);
        report(w);
      })
    : null;

function report(w: Watched): void {
  w.started = true; // report once
  w.loop.callExceptionHandler({
    message:
      `coroutine ${JSON.stringify(w.name)} was never awaited (created at ${w.site}): ` +
      '`yield*` it, or pass it to createTask()',
    coroutineName: w.name,
    createdAt: w.site,
  });
}

/** The loop's set of unstarted coroutines, created with its close hook on first use. */
function unstartedOf(loop: EventLoop): Set<Watched> {
  // Why a separate function: a closure shares its scope with every other closure of the same
  // function in V8, so a close hook created in watch() would keep each coroutine alive.
  let set = unstarted.get(loop);
  if (set === undefined) {
    const fresh = new Set<Watched>();
    unstarted.set(loop, fresh);
    loop._closeHooks.push(() => reportAtClose(fresh));
    set = fresh;
  }
  return set;
}

function watch(loop: EventLoop, gen: Coroutine<unknown>, name: string): void {
  const w: Watched = {
    loop,
    name,
    site: creationSite(new Error('created').stack ?? ''),
    started: false,
  };
  const set = unstartedOf(loop);
  set.add(w);
  registry?.register(gen, w, w);
  const seen = (): void => {
    if (w.started) return;
    w.started = true;
    set.delete(w);
    registry?.unregister(w);
  };
  // Own properties shadow the prototype's methods; `yield*` and the task driver call them.
  for (const method of ['next', 'throw', 'return'] as const) {
    const original = gen[method] as (...args: unknown[]) => unknown;
    Object.defineProperty(gen, method, {
      configurable: true,
      writable: true,
      value(this: unknown, ...args: unknown[]) {
        seen();
        return original.apply(this, args);
      },
    });
  }
}

function reportAtClose(set: Set<Watched>): void {
  for (const w of set) {
    if (w.started) continue;
    registry?.unregister(w);
    report(w);
  }
  set.clear();
}

/**
 * Wraps a generator function so that, in debug mode, the coroutines it makes are watched: one
 * that is never awaited, scheduled or closed is reported ("coroutine 'x' was never awaited", with
 * where it was created) when the loop closes or when it is garbage collected. Outside debug mode
 * the wrapper only forwards the call.
 *
 * JavaScript gives no hook on plain generator calls, so only wrapped coroutine functions are
 * watched; the kernel already reports the other common slip, `yield coro()` instead of
 * `yield* coro()`.
 *
 * @example
 * ```ts
 * import { coroutine, run, sleep } from 'rx-asyncio';
 * const fetchUser = coroutine(function* fetchUser(id: number) {
 *   yield* sleep(10);
 *   return { id };
 * });
 * run(function* main() {
 *   fetchUser(1); // forgotten: reported when the loop closes, in debug mode
 *   return yield* fetchUser(2);
 * }(), { debug: true });
 * ```
 */
export function coroutine<A extends unknown[], T>(
  fn: (...args: A) => Coroutine<T>,
): (...args: A) => Coroutine<T> {
  if (typeof fn !== 'function') {
    throw new TypeError(`coroutine(fn): expected a generator function, got ${typeof fn}`);
  }
  const name = fn.name || '(anonymous)';
  const wrapped = function (this: unknown, ...args: A): Coroutine<T> {
    const gen = fn.apply(this, args);
    const loop = _getRunningLoopOrNull();
    if (loop?.getDebug() && !loop.isClosed()) {
      watch(loop, gen as Coroutine<unknown>, name);
    }
    return gen;
  };
  Object.defineProperty(wrapped, 'name', { value: name });
  return wrapped;
}
