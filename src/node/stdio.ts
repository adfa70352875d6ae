/**
 * `stdin`/`stdout`/`stderr` of {@link createSubprocessExec}: a pipe the parent reads or writes as a
 * stream (asyncio's `subprocess.PIPE`).
 * @example
 * ```ts
 * import { run } from 'rx-asyncio';
 * import { createSubprocessExec, PIPE } from 'rx-asyncio/node';
 * run(function* () {
 *   const proc = yield* createSubprocessExec('ls', ['-l'], { stdout: PIPE });
 *   const [out] = yield* proc.communicate();
 *   console.log(new TextDecoder().decode(out ?? new Uint8Array()));
 * }());
 * ```
 */
export const PIPE = 'PIPE' as const;
/** Connects the stream to the null device (asyncio's `subprocess.DEVNULL`). */
export const DEVNULL = 'DEVNULL' as const;
/** For `stderr` only: into the same pipe or file as `stdout` (asyncio's `subprocess.STDOUT`). */
export const STDOUT = 'STDOUT' as const;

/**
 * How a child's standard stream is connected: {@link PIPE}, {@link DEVNULL}, {@link STDOUT}
 * (stderr only), `null`/omitted to inherit the parent's (asyncio's `None`), or a file descriptor.
 */
export type StdioSpec = typeof PIPE | typeof DEVNULL | typeof STDOUT | null | undefined | number;
