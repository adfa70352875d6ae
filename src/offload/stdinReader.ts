/**
 * @internal The process's one reader of stdin: `readLine()` on the main thread and `input()` on
 * a pool worker both take their lines from it (issue 14, items 2 and 9).
 *
 * Why one reader on the main thread: a worker blocked in `read(0)` cannot be interrupted, so a
 * cancelled `input()` kept reading and the next reader competed with it byte by byte (lines came
 * back garbled or were lost), and exit had to SIGKILL the process to get past the stuck thread.
 * Here the bytes arrive on the main thread's `process.stdin`; a line leaves the buffer only when
 * it is handed to a waiting reader, and a reader that gives up after the hand-off puts it back
 * ({@link StdinReader.unread}). So a cancelled read leaves its line (or the bytes that had come)
 * to the next one, and no byte is read twice or dropped.
 *
 * Why it pauses and unrefs: stdin is read only while someone waits for a line; otherwise
 * `process.stdin` is paused and unreferenced, holding nothing, so a program whose `main` is done
 * exits even though stdin stays open (issue 14, item 9).
 * @module
 */
import { EOFError } from '../errors.js';

/** @internal How a request for a line ended. */
export type LineOutcome =
  | { readonly kind: 'line'; readonly line: string }
  | { readonly kind: 'eof' }
  | { readonly kind: 'error'; readonly error: unknown };

/** @internal A pending request for a line; cancelling it leaves stdin's bytes to the next one. */
export interface LineRequest {
  cancel(): void;
}

interface Waiter {
  readonly deliver: (outcome: LineOutcome) => void;
}

/** The part of a Node `Readable` (process.stdin) the reader uses. */
interface Input {
  on(event: 'data', fn: (chunk: Uint8Array | string) => void): unknown;
  on(event: 'end', fn: () => void): unknown;
  on(event: 'error', fn: (error: unknown) => void): unknown;
  pause(): unknown;
  resume(): unknown;
  /** Sockets and terminals have these; a file (which ends anyway) does not. */
  ref?(): unknown;
  unref?(): unknown;
}

interface Output {
  write(text: string): unknown;
}

const NEWLINE = 0x0a;
const RETURN = 0x0d;
const EMPTY = new Uint8Array(0);

/** @internal See the module comment. One per process: {@link stdinReader}. */
export class StdinReader {
  /** Bytes read from stdin and not handed to anyone yet. */
  private _buffer: Uint8Array = EMPTY;
  /** Readers waiting for a line, first come first served. */
  private readonly _waiters: Waiter[] = [];
  private _input: Input | null = null;
  /** State of stdin: open, at its end, or failed (then `_error` says how). */
  private _state: 'open' | 'ended' | 'failed' = 'open';
  private _error: unknown = null;
  private readonly _decoder = new TextDecoder();

  constructor(private readonly _open: () => { input: Input; output: Output }) {}

  /**
   * Writes `prompt`, then hands the next line (without its line break, and without a `\r`
   * before it) to `deliver`, once; a last line without a line break counts as a line. Lines are
   * handed in the order they were asked for.
   */
  request(prompt: string, deliver: (outcome: LineOutcome) => void): LineRequest {
    const waiter: Waiter = { deliver };
    const { output } = this._ensureOpen();
    if (prompt !== '') output.write(prompt);
    this._waiters.push(waiter);
    this._serve();
    return {
      cancel: () => {
        const i = this._waiters.indexOf(waiter);
        if (i < 0) return;
        this._waiters.splice(i, 1);
        this._flow();
      },
    };
  }

  /**
   * Puts lines handed out (to a reader that then gave them up) back in front of what is
   * buffered, with their line breaks: the next request gets them first.
   */
  unread(lines: readonly string[]): void {
    if (lines.length === 0) return;
    const back = new TextEncoder().encode(lines.map((l) => `${l}\n`).join(''));
    this._buffer = concat(back, this._buffer);
    this._serve();
  }

  private _ensureOpen(): { input: Input; output: Output } {
    const opened = this._open();
    if (this._input === null) {
      const input = opened.input;
      this._input = input;
      input.on('data', (chunk: Uint8Array | string) => {
        const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
        this._buffer = concat(this._buffer, bytes);
        this._serve();
      });
      input.on('end', () => {
        if (this._state === 'open') this._state = 'ended';
        this._serve();
      });
      input.on('error', (error: unknown) => {
        if (this._state !== 'open') return;
        this._state = 'failed';
        this._error = error;
        this._serve();
      });
    }
    return opened;
  }

  /** Hands out every line it can, then reads on only if someone still waits. */
  private _serve(): void {
    const waiters = this._waiters;
    while (waiters.length > 0) {
      const line = this._takeLine();
      if (line !== null) {
        waiters.shift()!.deliver({ kind: 'line', line });
        continue;
      }
      if (this._state === 'open') break;
      const waiter = waiters.shift()!;
      waiter.deliver(
        this._state === 'ended' ? { kind: 'eof' } : { kind: 'error', error: this._error },
      );
    }
    this._flow();
  }

  /** The next whole line (or, at the end, the bytes left), taken off the buffer; else null. */
  private _takeLine(): string | null {
    const buffer = this._buffer;
    const nl = buffer.indexOf(NEWLINE);
    if (nl < 0) {
      if (this._state === 'open' || buffer.length === 0) return null;
      this._buffer = EMPTY;
      return this._decoder.decode(buffer);
    }
    this._buffer = buffer.subarray(nl + 1);
    const end = nl > 0 && buffer[nl - 1] === RETURN ? nl - 1 : nl;
    return this._decoder.decode(buffer.subarray(0, end));
  }

  /** Reads stdin while a reader waits, and pauses it (letting the process exit) otherwise. */
  private _flow(): void {
    const input = this._input;
    if (input === null || this._state !== 'open') return;
    // Why unref too: a paused stream still reads ahead up to its high-water mark, and a socket
    // that reads holds the process (pause() alone left it alive: issue 14, item 9). What it reads
    // ahead stays in the stream's buffer for the next request; nothing is lost.
    if (this._waiters.length > 0) {
      input.ref?.();
      input.resume();
    } else {
      input.pause();
      input.unref?.();
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

const KEY = Symbol.for('rx-asyncio.stdinReader');

/**
 * @internal The process's stdin reader, made on first use. Kept on `globalThis` (under a
 * registered symbol) so that two copies of rx-asyncio in one program still share one reader.
 * @throws {TypeError} outside Node (there is no stdin).
 */
export function stdinReader(): StdinReader {
  const g = globalThis as { [KEY]?: StdinReader; process?: NodeLikeProcess };
  let reader = g[KEY];
  if (reader === undefined) {
    const proc = g.process;
    if (typeof proc?.versions?.node !== 'string' || proc.stdin === undefined) {
      throw new TypeError('stdin can be read only in Node; in a browser read a form field instead');
    }
    reader = new StdinReader(() => ({ input: proc.stdin!, output: proc.stdout! }));
    g[KEY] = reader;
  }
  return reader;
}

interface NodeLikeProcess {
  versions?: { node?: string };
  stdin?: Input;
  stdout?: Output;
}

/**
 * @internal One line of stdin as a Promise (what `input()` uses when it is called on the main
 * thread): rejects with `EOFError` at the end of input. `who` names the caller in that message.
 */
export function readStdinLine(prompt: string, who: string): Promise<string> {
  return new Promise((resolve, reject) => {
    stdinReader().request(prompt, (outcome) => {
      if (outcome.kind === 'line') resolve(outcome.line);
      else if (outcome.kind === 'eof') reject(endOfInput(who));
      else reject(outcome.error);
    });
  });
}

/** @internal The `EOFError` a reader gets at the end of stdin. */
export function endOfInput(who: string): EOFError {
  return new EOFError(`${who}: end of input: stdin was closed before a line arrived`);
}
