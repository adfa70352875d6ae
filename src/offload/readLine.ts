import type { Coroutine } from '../kernel/Awaitable.js';
import type { EventLoop } from '../kernel/EventLoop.js';
import { Future } from '../kernel/Future.js';
import { getRunningLoop } from '../kernel/runningLoop.js';
import { endOfInput, type LineOutcome, type LineRequest, stdinReader } from './stdinReader.js';

/** A pending line: cancelling it withdraws the request, leaving the line to the next reader. */
class LineFuture extends Future<string> {
  /** @internal See displayName.ts. */
  static override readonly _displayName: string = 'LineFuture';
  /** @internal */ _request: LineRequest | null = null;

  override cancel(msg?: string): boolean {
    if (!super.cancel(msg)) return false;
    this._request?.cancel();
    this._request = null;
    return true;
  }
}

/**
 * Reads one line of stdin on the main thread, without a worker: the asynchronous alternative to
 * `toThread(input, prompt)`. Writes `prompt` (no line break), then returns the line without its
 * line break (nor a `\r` before it); the loop keeps running other tasks meanwhile. Node only.
 *
 * End of input raises `EOFError`. `readLine()` and `input()` share the process's one reader of
 * stdin, so they can be mixed and each line goes to exactly one of them, in the order they asked.
 * Cancelling the awaiting task (or a `waitFor` timeout) leaves the line, or the bytes that had
 * come, to the next reader. stdin is read only while a line is awaited, so an open pipe does not
 * keep a finished program alive. On a terminal the line is read in the terminal's own line mode
 * (its erase keys work; Ctrl-C is an interrupt). Do not also read `process.stdin` yourself: both
 * would take bytes from the same stream.
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
  const reader = stdinReader();
  const request = reader.request(String(prompt), (outcome) =>
    deliver(loop, future, outcome, (line) => reader.unread([line])),
  );
  future._request = request; // a line already handed over makes its cancel() a no-op
  return yield* future;
}

/**
 * Completes the future through its loop (never from outside it). A line that arrives for a
 * future cancelled meanwhile, or a closed loop, goes back to stdin's reader.
 */
function deliver(
  loop: EventLoop,
  future: LineFuture,
  outcome: LineOutcome,
  unread: (line: string) => void,
): void {
  future._request = null;
  const giveBack = (): void => {
    if (outcome.kind === 'line') unread(outcome.line);
  };
  if (future.done() || loop.isClosed()) {
    giveBack();
    return;
  }
  loop.callSoon(() => {
    if (future.done()) giveBack();
    else if (outcome.kind === 'line') future.setResult(outcome.line);
    else if (outcome.kind === 'eof') future.setException(endOfInput('readLine()'));
    else future.setException(outcome.error);
  });
}
