import { TRANSFER, type Transfer, type TransferItem } from '../kernel/Executor.js';

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
