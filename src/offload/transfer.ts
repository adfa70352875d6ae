/** @internal The key that marks a {@link Transfer}; a registered symbol, so workers know it too. */
export const TRANSFER: unique symbol = Symbol.for('rx-asyncio.transfer') as never;

/**
 * An object a worker's `postMessage` can move instead of copy: an `ArrayBuffer`, a `MessagePort`,
 * an `ImageBitmap`... Declared structurally, so rx-asyncio's types need neither the DOM lib nor
 * `worker_threads`; an object the host cannot transfer fails the job with a `DataCloneError`.
 */
export type TransferItem = object;

/** A value to send to (or from) a worker with a transfer list; made by {@link transfer}. */
export interface Transfer<T> {
  readonly value: T;
  readonly [TRANSFER]: readonly TransferItem[];
}

/** An argument list where each argument may be wrapped with {@link transfer}. */
export type WithTransfers<A extends unknown[]> = { [K in keyof A]: A[K] | Transfer<A[K]> };

/**
 * Wraps a value to send to a worker with a transfer list: the objects in `list` (`ArrayBuffer`s,
 * `MessagePort`s...) are moved instead of copied, and are detached (unusable) on the sending side
 * afterwards. Works for arguments of `toThread`/`runInExecutor`, and for a job's return value in
 * the worker (the worker recognises the wrapper without importing rx-asyncio).
 *
 * @example
 * ```ts
 * import { run, toThread, transfer } from 'rx-asyncio';
 * function sum(buf: ArrayBuffer): number {
 *   return new Uint8Array(buf).reduce((a, b) => a + b, 0);
 * }
 * run(function* () {
 *   const buf = new Uint8Array([1, 2, 3]).buffer;
 *   console.log(yield* toThread(sum, transfer(buf, [buf]))); // 6; buf.byteLength is now 0
 * }());
 * ```
 */
export function transfer<T>(value: T, list: readonly TransferItem[]): Transfer<T> {
  if (!Array.isArray(list)) {
    throw new TypeError('transfer(value, list): list must be an array of transferable objects');
  }
  return { value, [TRANSFER]: list };
}

/** @internal Unwraps {@link transfer} markers among `args`; collects their transfer lists. */
export function unwrapTransfers(args: unknown[]): { args: unknown[]; transfer: TransferItem[] } {
  let list: TransferItem[] | null = null;
  const out = args.map((a) => {
    if (a === null || typeof a !== 'object' || !(TRANSFER in a)) return a;
    list ??= [];
    list.push(...(a as Transfer<unknown>)[TRANSFER]);
    return (a as Transfer<unknown>).value;
  });
  return { args: out, transfer: list ?? [] };
}
