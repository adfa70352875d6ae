import { LruMap } from '../internal/LruMap.js';
import { describe } from '../kernel/Awaitable.js';
import type { WorkSpec } from '../kernel/Executor.js';
import { freeIdentifiers } from './freeIdentifiers.js';
import { moduleRefOf } from './workerFunction.js';

/** @internal How many specs {@link toWorkSpec} keeps by their text (least recently used go). */
export const SPEC_CACHE_SIZE = 1024;

const specCache = new WeakMap<object, WorkSpec>();
/**
 * Specs by what they say (name and source, or module and export). Why: `toThread((x) => x * 2, i)`
 * in a loop passes a new function object each call; by text they are one function, scanned once,
 * one spec (so the pool and its workers know it by one id), in a bounded cache (issue 14, item 6).
 */
const byText = new LruMap<string, WorkSpec>(SPEC_CACHE_SIZE);

/**
 * @internal Turns what the caller passed into a {@link WorkSpec}, or throws a `TypeError` that
 * says why it cannot run on a worker. A checked function is cached, by object and by its text, so
 * the scan runs once and equal functions share one spec.
 */
export function toWorkSpec(fn: unknown, what: string): WorkSpec {
  if (typeof fn !== 'function') {
    throw new TypeError(`${what}: expected a function to run on a worker, got ${describe(fn)}`);
  }
  const cached = specCache.get(fn);
  if (cached !== undefined) return cached;
  const ref = moduleRefOf(fn);
  const name = fn.name || 'anonymous';
  const source = ref === undefined ? Function.prototype.toString.call(fn) : '';
  const key =
    ref !== undefined ? `module\0${ref.exportName}\0${ref.url}` : `source\0${name}\0${source}`;
  let spec = byText.get(key);
  if (spec === undefined) {
    spec =
      ref !== undefined
        ? { kind: 'module', url: ref.url, exportName: ref.exportName }
        : { kind: 'source', source: checkedSource(fn as never, source, what), name };
    byText.set(key, spec);
  }
  specCache.set(fn, spec);
  return spec;
}

const ADVICE =
  'only a self-contained function travels as source: for real code, export it from a module and ' +
  "pass workerFunction(new URL('./module.js', import.meta.url), 'name')";

function checkedSource(fn: (...args: never[]) => unknown, source: string, what: string): string {
  const name = fn.name || 'the function';
  if (/\{\s*\[native code\]\s*\}\s*$/.test(source)) {
    const kind = fn.name.startsWith('bound ') ? 'a bound function' : 'a native function';
    throw new TypeError(`${what}: ${name} is ${kind}, whose source cannot be shipped; ${ADVICE}`);
  }
  if (/^class\b/.test(source)) {
    throw new TypeError(`${what}: ${name} is a class, not a function; ${ADVICE}`);
  }
  if (!compiles(source)) {
    throw new TypeError(
      `${what}: the source of ${name} is not a standalone function expression (a method ` +
        `shorthand such as \`{ f() {} }\`?); write it as \`function f() {}\` or an arrow; ${ADVICE}`,
    );
  }
  const free = freeIdentifiers(source, isWorkerGlobal);
  if (free.length > 0) throw new TypeError(closureMessage(what, name, free));
  return source;
}

function closureMessage(what: string, name: string, free: readonly string[]): string {
  return (
    `${what}: ${name} uses ${free.map((n) => `\`${n}\``).join(', ')} from outside its own ` +
    `body (a closure or an import), which does not exist on the worker; pass such values as ` +
    `arguments, or ${ADVICE}`
  );
}

// "x is not defined" (V8, SpiderMonkey), "Can't find variable: x" (JavaScriptCore).
const NOT_DEFINED = /^(?:([\w$]+) is not defined|Can't find variable: ([\w$]+))$/;

/**
 * @internal The error of a job that failed on its worker, as the caller sees it. The scan before
 * shipping a source errs towards accepting (see freeIdentifiers); a closure it missed fails on
 * the worker with a `ReferenceError`, translated here into the scan's own advice (the original is
 * the `cause`). Any other error passes unchanged.
 */
export function jobError(spec: WorkSpec, error: Error): Error {
  const m =
    spec.kind === 'source' && error.name === 'ReferenceError' && NOT_DEFINED.exec(error.message);
  if (!m) return error;
  const fnName = spec.name === 'anonymous' ? 'the function' : spec.name;
  return new TypeError(closureMessage('toThread', fnName, [(m[1] ?? m[2]) as string]), {
    cause: error,
  });
}

// Globals a worker may have though this thread lacks them: Node's, a Web Worker's, and those a
// page without cross-origin isolation hides. `__name` is esbuild's helper, which workers define.
const WORKER_GLOBALS = new Set([
  '__name',
  'Atomics',
  'Buffer',
  'SharedArrayBuffer',
  'importScripts',
  'postMessage',
  'process',
  'self',
]);

/** Names a worker has: this thread's globals and {@link WORKER_GLOBALS}. */
function isWorkerGlobal(name: string): boolean {
  return name in globalThis || WORKER_GLOBALS.has(name);
}

/**
 * Does the source parse as a function expression on its own? (Compiled, never run.) Under a
 * Content-Security-Policy without 'unsafe-eval' this thread cannot compile it (an `EvalError`):
 * the worker then judges, and says why if it cannot evaluate either.
 */
function compiles(source: string): boolean {
  try {
    // Compiled, never called: the cheapest complete syntax check.
    new Function(`return (${source}\n);`);
    return true;
  } catch (e) {
    return e instanceof EvalError;
  }
}
