import { EOFError } from '../errors.js';
import type { Coroutine } from '../kernel/Awaitable.js';
import type { EventLoop } from '../kernel/EventLoop.js';
import { Future } from '../kernel/Future.js';
import { getRunningLoop } from '../kernel/runningLoop.js';

type Readline = typeof import('node:readline');

/** A pending line: cancelling it closes the readline interface. */
class LineFuture extends Future<string> {
  /** @internal See displayName.ts. */
  static override readonly _displayName: string = 'LineFuture';
  /** @internal */ _close: (() => void) | null = null;

  override cancel(msg?: string): boolean {
    if (!super.cancel(msg)) return false;
    this._close?.();
    return true;
  }
}

/**
 * Reads one line of stdin on the main thread, without a worker: the asynchronous alternative to
 * `toThread(input, prompt)`. Writes `prompt` (no line break), then returns the line without its
 * line break; the loop keeps running other tasks meanwhile. Node only.
 *
 * End of input raises `EOFError`. Cancelling the awaiting task closes the reader at once and
 * stops reading stdin, so the process can exit. Prefer it to `input` in programs that read
 * stdin elsewhere too; do not mix the two (a worker's `input` and `process.stdin` would compete
 * for the same bytes).
 *
 * @example
 * ```ts
 * import { readLine, run } from 'rx-asyncio';
 * run(function* () {
 *   const line = yield* readLine('Type something: ');
 *   console.log('Your input is: ', line);
 * }());
 * ```
 * @throws {EOFError} when stdin is closed before a line arrives.
 * @see input
 */
export function* readLine(prompt = ''): Coroutine<string> {
  const loop = getRunningLoop();
  const future = new LineFuture(loop);
  future._description = 'readLine()';
  const name = 'node:readline';
  (import(/* @vite-ignore */ name) as Promise<Readline>).then(
    (readline) => ask(loop, future, readline, String(prompt)),
    (error: unknown) => settle(loop, future, () => future.setException(error)),
  );
  return yield* future;
}

function ask(loop: EventLoop, future: LineFuture, readline: Readline, prompt: string): void {
  if (future.done()) return;
  const proc = process;
  const rl = readline.createInterface({
    input: proc.stdin,
    output: proc.stdout,
    terminal: proc.stdin.isTTY === true,
  });
  let answered = false;
  future._close = () => rl.close();
  // On a TTY, readline takes the terminal raw and turns Ctrl-C into its own 'SIGINT' event
  // (else it closes, which read as EOFError): raise the real signal, so run() interrupts.
  rl.on('SIGINT', () => proc.kill(proc.pid, 'SIGINT'));
  rl.on('close', () => {
    if (answered) return;
    const eof = new EOFError('readLine(): end of input: stdin was closed before a line arrived');
    settle(loop, future, () => future.setException(eof));
  });
  rl.question(prompt, (line) => {
    answered = true;
    rl.close();
    settle(loop, future, () => future.setResult(line));
  });
}

/** Completes the future through its loop (never from outside it); a closed loop drops it. */
function settle(loop: EventLoop, future: Future<string>, complete: () => void): void {
  if (future.done() || loop.isClosed()) return;
  loop.callSoon(() => {
    if (!future.done()) complete();
  });
}
