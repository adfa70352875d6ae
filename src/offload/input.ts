/**
 * Python's `input()` for a worker thread.
 *
 * Why it is one self-contained function: it travels to the worker as source (like any function
 * given to `toThread`), so the worker needs no module of rx-asyncio's and no TypeScript loader.
 *
 * Why the worker does not read stdin itself: a worker's blocking `read(0)` cannot be interrupted,
 * so a cancelled `input()` went on reading and took bytes from the next reader, and exit had to
 * kill the process to get past it (issue 14, item 2). The worker asks the main thread instead
 * (`{ rxio: 'stdin' }` with a reply port, see WorkerSlot), where the process's one reader of
 * stdin (stdinReader.ts) hands out lines; while it waits, the worker only waits on a port, which
 * `terminate()` ends at once.
 *
 * @module
 */
import { readStdinLine } from './stdinReader.js';

// Why a global: input's body travels as source and reaches nothing of this module; called on the
// main thread it finds the process's one reader here.
(globalThis as { [k: symbol]: unknown })[Symbol.for('rx-asyncio.readStdinLine')] ??= readStdinLine;

/**
 * Python's `input(prompt)`, to run on a worker: `yield* toThread(input, 'Type something: ')`
 * writes the prompt to stdout (no line break), waits for one line of stdin while the loop's other
 * tasks keep running, and returns the line without its line break (nor a `\r` before it).
 *
 * End of input (stdin closed before any character) raises `EOFError`, as in Python. The line is
 * read by the process's one reader of stdin on the main thread, which `readLine()` shares, so the
 * two can be mixed and each line goes to exactly one of them. Cancelling the awaiting task (a
 * `waitFor` timeout, Ctrl-C under `run()`) stops the worker at once and leaves the line, or the
 * bytes that had come, to the next reader; nothing is left reading stdin, so the process exits
 * with the status the program chose. Do not also read `process.stdin` yourself: both would take
 * bytes from the same stream. Node only; it works on rx-asyncio's pool workers (`toThread`,
 * `WorkerPool`) and, awaited directly, on the main thread.
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
  const text = prompt === undefined ? '' : String(prompt);
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  if (typeof proc?.versions?.node !== 'string') {
    throw new TypeError('input() reads stdin, which only Node has; in a browser read a form field');
  }
  const wtName = 'node:worker_threads';
  // Why awaited first: a pool worker's earlier results must leave before this request (see
  // workerSource: replies are flushed before any await), so the pool knows which job asks.
  const wt = (await import(/* @vite-ignore */ wtName)) as typeof import('node:worker_threads');
  if (wt.isMainThread || wt.parentPort === null) {
    const local = (globalThis as { [k: symbol]: unknown })[
      Symbol.for('rx-asyncio.readStdinLine')
    ] as ((prompt: string, who: string) => Promise<string>) | undefined;
    if (local === undefined) {
      throw new TypeError(
        'input(): no rx-asyncio stdin reader in this thread; import rx-asyncio here, or run ' +
          'input on a pool worker (toThread)',
      );
    }
    return local(text, 'input()');
  }
  const { port1, port2 } = new wt.MessageChannel();
  const reply = new Promise<{ line?: string; eof?: boolean; error?: string }>((resolve) => {
    port1.once('message', resolve);
  });
  wt.parentPort.postMessage({ rxio: 'stdin', prompt: text, port: port2 }, [port2]);
  try {
    const answer = await reply;
    if (typeof answer.line === 'string') return answer.line;
    if (answer.eof === true) {
      throw new EOFError('input(): end of input: stdin was closed before a line arrived');
    }
    throw new Error(`input(): reading stdin failed: ${String(answer.error)}`);
  } finally {
    port1.close();
  }
}
