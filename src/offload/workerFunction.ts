/**
 * The module form of offloaded work: a module URL plus an export name. Kept free of imports so
 * that a worker can load a module that uses it without pulling in the rest of rx-asyncio.
 *
 * @module
 */

/** @internal Where a {@link WorkerFunction} keeps its module URL and export name. */
export const WORKER_REF: unique symbol = Symbol.for('rx-asyncio.workerRef');

/** A module URL and the name of one of its exports: how a worker finds the function to run. */
export interface ModuleRef {
  readonly url: string;
  readonly exportName: string;
}

/**
 * A function that can run on a worker: calling it locally runs `local` (if given) on this thread;
 * `toThread(f, ...args)` imports `url` in a worker and calls its export `exportName` there.
 */
export interface WorkerFunction<A extends unknown[], R> {
  (...args: A): R | PromiseLike<R>;
  readonly [WORKER_REF]: ModuleRef;
}

/** The names of a module type's function exports (`typeof import('./work.js')`). */
export type FunctionExports<M> = {
  // biome-ignore lint/suspicious/noExplicitAny: any function, whatever its parameters
  [K in keyof M]: M[K] extends (...args: any[]) => unknown ? K : never;
}[keyof M] &
  string;

/** The parameters of export `K` of module type `M`. */
export type ExportArgs<M, K extends keyof M> = M[K] extends (...args: infer A) => unknown
  ? A
  : never;

/** What export `K` of module type `M` resolves to (an async export's awaited value). */
export type ExportResult<M, K extends keyof M> = M[K] extends (...args: never[]) => infer R
  ? Awaited<R>
  : never;

/**
 * Names a function that lives in a module, so that `toThread`/`runInExecutor` can run it on a
 * worker: the worker imports `moduleUrl` and calls its export `exportName` with the
 * structured-cloned arguments (an async export is awaited). This is the main form of offloading:
 * unlike a stringified function, the module may import anything, and it needs no `eval` (CSP).
 *
 * Pass `import.meta.url` to name an export of the calling module itself; keep such a module light,
 * since each worker imports it. **Bundler hazard:** in a bundled app, `import.meta.url` is the URL
 * of the bundle chunk the call ended up in, usually the app's entry chunk, so every worker
 * imports the whole app and re-runs its top level (rendering, listeners, requests) before it can
 * run the export. Put worker functions in a module of their own that imports nothing from the app,
 * and name it with `new URL('./work.js', import.meta.url)`, which bundlers (Vite, webpack 5,
 * esbuild with a separate entry) emit as its own file. In Node, a `.ts` module URL works when the program runs under
 * `tsx` (the worker registers the same loader).
 *
 * Typed by the module: `workerFunction<typeof import('./work.js'), 'hash'>(url, 'hash')` takes the
 * export's parameters and result from the module's own type (only a type import: nothing is
 * loaded on this thread), so `toThread(hash, 42)` for a `hash(s: string)` is a compile error. Or
 * pass the types yourself, `workerFunction<[string], number>(url, 'hash')`, or a `local` function.
 *
 * @param moduleUrl absolute URL (or `URL`) of an ES module, e.g. `new URL('./work.js', import.meta.url)`.
 * @param exportName the export to call; default `'default'`.
 * @param local what calling the returned function on this thread does; by default it throws.
 * @throws {TypeError} for a relative URL or an empty export name.
 * @example
 * ```ts
 * import { run, toThread, workerFunction } from 'rx-asyncio';
 * export function fib(n: number): number {
 *   return n < 2 ? n : fib(n - 1) + fib(n - 2);
 * }
 * const fibOnWorker = workerFunction(import.meta.url, 'fib', fib);
 * run(function* () {
 *   console.log(yield* toThread(fibOnWorker, 30)); // 832040, computed on a worker
 * }());
 * ```
 * @see toThread
 */
export function workerFunction<M extends object, K extends FunctionExports<M>>(
  moduleUrl: string | URL,
  exportName: K,
  local?: M[K],
): WorkerFunction<ExportArgs<M, K>, ExportResult<M, K>>;
export function workerFunction<A extends unknown[], R>(
  moduleUrl: string | URL,
  exportName?: string,
  local?: (...args: A) => R | PromiseLike<R>,
): WorkerFunction<A, R>;
export function workerFunction<A extends unknown[], R>(
  moduleUrl: string | URL,
  exportName = 'default',
  local?: (...args: A) => R | PromiseLike<R>,
): WorkerFunction<A, R> {
  const url = String(moduleUrl);
  if (!/^[a-z][a-z0-9+.-]*:/i.test(url)) {
    throw new TypeError(
      `workerFunction(moduleUrl): ${JSON.stringify(url)} is not an absolute URL; ` +
        "use new URL('./module.js', import.meta.url) or import.meta.url",
    );
  }
  if (typeof exportName !== 'string' || exportName === '') {
    throw new TypeError(
      'workerFunction(moduleUrl, exportName): exportName must be a non-empty string',
    );
  }
  const ref: ModuleRef = Object.freeze({ url, exportName });
  const fn = (...args: A): R | PromiseLike<R> => {
    if (local !== undefined) return local(...args);
    throw new TypeError(
      `${exportName}() from ${url} runs only on a worker: call it with toThread(fn, ...args)`,
    );
  };
  Object.defineProperty(fn, 'name', { value: exportName });
  Object.defineProperty(fn, WORKER_REF, { value: ref });
  return fn as WorkerFunction<A, R>;
}

/** @internal The module reference of a {@link WorkerFunction}, or undefined. */
export function moduleRefOf(fn: unknown): ModuleRef | undefined {
  return typeof fn === 'function'
    ? (fn as Partial<WorkerFunction<[], unknown>>)[WORKER_REF]
    : undefined;
}
