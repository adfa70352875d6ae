import { describe } from '../kernel/Awaitable.js';

let defaultUrl: string | null = null;

/**
 * Sets the worker script that every {@link WorkerPool} created from now on without its own
 * `workerUrl` starts its workers from, the default pool of `toThread` and `runInExecutor(null,
 * ...)` included; `null` goes back to the built-in way (a `blob:` URL in browsers, an eval'd
 * source in Node). For pages whose Content-Security-Policy forbids `blob:` workers: serve the
 * package's worker entry, `rx-asyncio/worker` (the file `dist/worker.js`), from your own origin
 * and pass its URL here, before the first `toThread`.
 *
 * @throws {TypeError} for anything but a string, a `URL` or null.
 * @example
 * ```ts
 * import { setWorkerUrl } from 'rx-asyncio';
 * // e.g. Vite: import workerUrl from 'rx-asyncio/worker?url';
 * setWorkerUrl('/assets/rx-asyncio-worker.js');
 * ```
 * @see WorkerPoolOptions.workerUrl
 */
export function setWorkerUrl(url: string | URL | null): void {
  defaultUrl = url === null ? null : checkWorkerUrl('setWorkerUrl(url)', url);
}

/** @internal The URL set with {@link setWorkerUrl}, or null. */
export function defaultWorkerUrl(): string | null {
  return defaultUrl;
}

/** @internal A worker URL option as a string, or a `TypeError` naming `what`. */
export function checkWorkerUrl(what: string, url: unknown): string {
  if (typeof url === 'string' && url !== '') return url;
  if (typeof URL === 'function' && url instanceof URL) return url.href;
  throw new TypeError(
    `${what}: expected the URL of rx-asyncio's worker entry (a non-empty string or a URL), got ${describe(url)}`,
  );
}
