/**
 * Python's `input()` for a worker thread.
 *
 * Why it is one self-contained function: it travels to the worker as source (like any function
 * given to `toThread`), so the worker needs no module of rx-asyncio's and no TypeScript loader, and the
 * prompt appears as soon as a worker is up.
 *
 * Why it opens its own file description: a worker's blocking `read(0)` cannot be interrupted
 * (`terminate()`, and even process exit, wait until it returns), so a cancelled `input()` or a
 * Ctrl-C would hang the process until a line arrived. Re-opening stdin through `/proc/self/fd/0`
 * with `O_NONBLOCK` (a new description: the main thread's fd 0 keeps its mode) lets the worker
 * poll, sleeping in `Atomics.wait` between polls, where `terminate()` stops it at once. Where
 * that path does not exist (not Linux) or stdin is a regular file, it reads fd 0 itself: regular
 * files never block.
 *
 * @module
 */

/**
 * Python's `input(prompt)`, to run on a worker: `yield* toThread(input, 'Type something: ')`
 * writes the prompt to stdout (no line break), waits for one line of stdin on a worker thread
 * while the loop's other tasks keep running, and returns the line without its line break.
 *
 * End of input (stdin closed before any character) raises `EOFError`, as in Python. Cancelling
 * the awaiting task (Ctrl-C under `run()` does) terminates the worker at once: on Linux, for
 * pipes and terminals, the worker polls a non-blocking copy of stdin, so a pending read never
 * holds the process; on other systems a pending read may delay exit until a line arrives. It
 * reads byte by byte, so a later `input()` gets the next line. Do not also read `process.stdin`
 * on the main thread: both would compete for the same bytes. Node only. Called directly (not on
 * a worker) it blocks the calling thread.
 *
 * @example
 * ```ts
 * import { input, run, toThread } from 'rx-asyncio';
 * run(function* () {
 *   const name = yield* toThread(input, 'Your name? ');
 *   console.log(`Hello, ${name}`);
 * }());
 * ```
 * @throws {EOFError} (in the awaiting task) when stdin is closed.
 * @see readLine for a main-thread alternative without a worker.
 */
export async function input(prompt?: string): Promise<string> {
  // Everything below must stay inside this function: it is shipped to the worker as source.
  class EOFError extends Error {
    override name = 'EOFError';
  }
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  if (typeof proc?.versions?.node !== 'string') {
    throw new TypeError('input() reads stdin, which only Node has; in a browser read a form field');
  }
  const fsName = 'node:fs';
  const fs = (await import(/* @vite-ignore */ fsName)) as typeof import('node:fs');
  if (prompt !== undefined && prompt !== '') fs.writeSync(1, String(prompt));
  let fd = 0;
  try {
    const st = fs.fstatSync(0);
    if (st.isFIFO() || st.isCharacterDevice()) {
      fd = fs.openSync('/proc/self/fd/0', fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    }
  } catch {
    fd = 0; // no /proc, or a socket: read fd 0 directly
  }
  if (fd === 0 && !fs.fstatSync(0).isFile()) {
    // A read that terminate() cannot interrupt: tell the pool, so exit does not wait for it.
    const wtName = 'node:worker_threads';
    const wt = (await import(/* @vite-ignore */ wtName)) as typeof import('node:worker_threads');
    wt.parentPort?.postMessage({ rxio: 'blocking' });
  }
  const byte = new Uint8Array(1);
  const bytes: number[] = [];
  const nap = new Int32Array(new SharedArrayBuffer(4));
  try {
    for (;;) {
      let n: number;
      try {
        n = fs.readSync(fd, byte, 0, 1, null);
      } catch (e) {
        if ((e as { code?: string }).code !== 'EAGAIN') throw e;
        Atomics.wait(nap, 0, 0, 10); // terminate() interrupts this wait
        continue;
      }
      if (n === 0) {
        if (bytes.length > 0) break; // a last line without a line break
        throw new EOFError('input(): end of input: stdin was closed before a line arrived');
      }
      if (byte[0] === 0x0a) break;
      bytes.push(byte[0]!);
    }
  } finally {
    if (fd !== 0) fs.closeSync(fd);
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
