import { IncompleteReadError, LimitOverrunError, RuntimeError, ValueError } from '../errors.js';
import type { Coroutine } from '../kernel/Awaitable.js';
import type { Future } from '../kernel/Future.js';
import { getRunningLoop } from '../kernel/runningLoop.js';
import { attachSource, type ReadableSource } from './adapters.js';
import { ByteBuffer, toBytes } from './ByteBuffer.js';
import { settle } from './parked.js';
import type { StreamTransport } from './StreamTransport.js';

/** asyncio's `_DEFAULT_LIMIT`: 64 KiB. */
export const DEFAULT_LIMIT = 2 ** 16;

const EMPTY = new Uint8Array(0);
const NEWLINE = new Uint8Array([10]);

/** Options of a {@link StreamReader}. */
export interface StreamReaderOptions {
  /**
   * Buffer limit in bytes (default 64 KiB, asyncio's): the longest line `readline` accepts, and
   * the flow-control mark (reading pauses past twice the limit, resumes at or below it).
   */
  limit?: number;
}

/**
 * Reads bytes from a connection, a pipe or a stream, in a coroutine (asyncio's `StreamReader`).
 * Got from `openConnection`, `startServer`, a subprocess's `stdout`, or {@link StreamReader.from}.
 *
 * Flow control (asyncio's): when more than twice `limit` bytes wait unread, the reader pauses its
 * transport; it resumes it once they are read down to `limit`, so a slow consumer never makes the
 * buffer grow without bound.
 *
 * Cancellation loses nothing: a read consumes bytes only when it returns, so a task cancelled in
 * `readline()` leaves the partial line in the buffer for the next read. After an error (e.g. a
 * `ConnectionResetError`) every read raises it. Only one task may wait for data at a time.
 *
 * @example
 * ```ts
 * import { run, StreamReader } from 'rx-asyncio';
 * run(function* () {
 *   const reader = new StreamReader();
 *   reader.feedData('hello\nworld');
 *   reader.feedEof();
 *   const line = yield* reader.readline(); // bytes of "hello\n"
 *   const rest = yield* reader.read(); // bytes of "world"
 *   console.log(new TextDecoder().decode(line), new TextDecoder().decode(rest), reader.atEof());
 * }());
 * ```
 * @see {@link StreamWriter}
 */
export class StreamReader {
  /** The limit given at construction (bytes). */
  readonly limit: number;
  private readonly _buffer = new ByteBuffer();
  private _eof = false;
  private _waiter: Future<void> | null = null;
  private _exception: unknown = null;
  private _transport: StreamTransport | null = null;
  private _paused = false;

  /** @throws {ValueError} if `limit` is not a positive number. */
  constructor(options: StreamReaderOptions = {}) {
    const limit = options.limit ?? DEFAULT_LIMIT;
    if (typeof limit !== 'number' || !(limit > 0)) {
      throw new ValueError(
        `StreamReader({ limit }): the limit must be a positive number of bytes, got ${limit}`,
      );
    }
    this.limit = limit;
  }

  /**
   * A reader over a WHATWG `ReadableStream` (e.g. a `fetch` body; works in browsers) or a Node
   * `Readable`, with the same flow control: past twice the limit it stops pulling (a
   * `ReadableStream`) or pauses the stream (a `Readable`), so the source feels the back-pressure.
   * A string chunk is UTF-8 encoded. The source's error is raised by the next read.
   * @throws {TypeError} if `source` is neither.
   * @example
   * ```ts
   * import { run, StreamReader } from 'rx-asyncio';
   * run(function* () {
   *   const body = new Response('line 1\nline 2\n').body!;
   *   const reader = StreamReader.from(body);
   *   console.log(new TextDecoder().decode(yield* reader.readline())); // "line 1\n"
   * }());
   * ```
   */
  static from(source: ReadableSource, options: StreamReaderOptions = {}): StreamReader {
    const reader = new StreamReader(options);
    attachSource(reader, source);
    return reader;
  }

  /** The error set by {@link setException} (e.g. the connection was reset), or null. */
  exception(): unknown {
    return this._exception;
  }

  /** Makes every read raise `error` from now on, and wakes the waiting read with it. */
  setException(error: unknown): void {
    this._exception = error;
    const w = this._waiter;
    if (w !== null) {
      this._waiter = null;
      settle(w, error);
    }
  }

  /** @internal Tells the reader which transport to pause and resume. */
  setTransport(transport: StreamTransport): void {
    if (this._transport !== null) {
      throw new RuntimeError('StreamReader.setTransport(): the reader already has a transport');
    }
    this._transport = transport;
  }

  /** Marks the end of the data: reads return what is left, then empty arrays. */
  feedEof(): void {
    this._eof = true;
    this._wakeup();
  }

  /** True if the end was fed and the buffer is empty. */
  atEof(): boolean {
    return this._eof && this._buffer.length === 0;
  }

  /** Appends bytes (a string is UTF-8 encoded), and pauses the transport past twice the limit. */
  feedData(data: Uint8Array | string): void {
    if (this._eof) throw new RuntimeError('StreamReader.feedData(): called after feedEof()');
    const bytes = toBytes(data, 'StreamReader.feedData(data)');
    if (bytes.length === 0) return;
    this._buffer.append(bytes);
    this._wakeup();
    if (this._transport !== null && !this._paused && this._buffer.length > 2 * this.limit) {
      this._transport.pauseReading();
      this._paused = true;
    }
  }

  /** The number of bytes buffered and not read yet. */
  get buffered(): number {
    return this._buffer.length;
  }

  /**
   * Reads up to `n` bytes; with `n` omitted or negative, reads until the end. Returns as soon as
   * some bytes are there (it does not wait for `n`); an empty array means the end of the stream.
   * @throws the reader's error (e.g. `ConnectionResetError`) if one was set.
   */
  *read(n = -1): Coroutine<Uint8Array> {
    if (this._exception !== null) throw this._exception;
    if (n === 0) return EMPTY;
    if (n < 0) {
      // Read chunk by chunk, so the transport's flow control keeps working meanwhile.
      const parts: Uint8Array[] = [];
      let total = 0;
      for (;;) {
        const part = yield* this.read(this.limit);
        if (part.length === 0) break;
        parts.push(part);
        total += part.length;
      }
      return concat(parts, total);
    }
    if (this._buffer.length === 0 && !this._eof) yield* this._waitForData('read');
    const data = this._buffer.take(n);
    this._maybeResume();
    return data;
  }

  /**
   * Reads one line, up to and including `\n`. At the end of the stream returns the partial last
   * line, then empty arrays.
   * @throws {ValueError} if no newline came within the limit (asyncio's); the data up to the
   *   next newline (or all buffered data) is discarded first, as asyncio does.
   */
  *readline(): Coroutine<Uint8Array> {
    try {
      return yield* this.readuntil(NEWLINE);
    } catch (e) {
      if (e instanceof IncompleteReadError) return e.partial;
      if (e instanceof LimitOverrunError) {
        if (this._buffer.matchesAt(NEWLINE, e.consumed)) this._buffer.drop(e.consumed + 1);
        else this._buffer.clear();
        this._maybeResume();
        throw new ValueError(e.message);
      }
      throw e;
    }
  }

  /**
   * Reads up to and including `separator` (bytes or a string; or a list of them: the first match
   * in the data wins). Nothing is consumed unless it returns or raises `IncompleteReadError`.
   * @throws {IncompleteReadError} at the end of the stream before a separator; `partial` holds
   *   (and consumes) the rest of the data.
   * @throws {LimitOverrunError} if the separator is not within the limit; `consumed` says how far.
   * @throws {ValueError} if a separator is empty.
   */
  *readuntil(
    separator: Uint8Array | string | ReadonlyArray<Uint8Array | string> = NEWLINE,
  ): Coroutine<Uint8Array> {
    const seps = (Array.isArray(separator) ? separator : [separator]).map((s) =>
      toBytes(s as Uint8Array | string, 'StreamReader.readuntil(separator)'),
    );
    if (seps.length === 0 || seps.some((s) => s.length === 0)) {
      throw new ValueError(
        'StreamReader.readuntil(separator): Separator should be at least one-byte string; pass a non-empty separator',
      );
    }
    if (this._exception !== null) throw this._exception;
    const minLen = Math.min(...seps.map((s) => s.length));
    const maxLen = Math.max(...seps.map((s) => s.length));
    let offset = 0;
    let start = -1;
    let end = -1;
    for (;;) {
      const buflen = this._buffer.length;
      if (buflen - offset >= minLen) {
        for (const sep of seps) {
          const at = this._buffer.indexOf(sep, offset);
          if (at !== -1 && (end === -1 || at + sep.length < end)) {
            start = at;
            end = at + sep.length;
          }
        }
        if (end !== -1) break;
        // Why: the next search may start where a separator could still begin.
        offset = Math.max(0, buflen + 1 - maxLen);
        if (offset > this.limit) {
          throw new LimitOverrunError(
            'StreamReader.readuntil(): separator is not found, and the data exceed the limit; raise the reader limit or read with read(n)',
            offset,
          );
        }
      }
      if (this._eof) throw new IncompleteReadError(this._buffer.takeAll(), null);
      yield* this._waitForData('readuntil');
      if (this._exception !== null) throw this._exception;
    }
    if (start > this.limit) {
      throw new LimitOverrunError(
        'StreamReader.readuntil(): separator is found, but the chunk before it is longer than the limit; raise the reader limit',
        start,
      );
    }
    const chunk = this._buffer.take(end);
    this._maybeResume();
    return chunk;
  }

  /**
   * Reads exactly `n` bytes.
   * @throws {IncompleteReadError} if the stream ends first; `partial` holds (and consumes) the
   *   bytes that came, `expected` is `n`.
   * @throws {ValueError} if `n` is negative.
   */
  *readexactly(n: number): Coroutine<Uint8Array> {
    if (!(n >= 0)) {
      throw new ValueError(
        `StreamReader.readexactly(n): readexactly size can not be less than zero (got ${n}); pass n >= 0`,
      );
    }
    if (this._exception !== null) throw this._exception;
    if (n === 0) return EMPTY;
    while (this._buffer.length < n) {
      if (this._eof) throw new IncompleteReadError(this._buffer.takeAll(), n);
      yield* this._waitForData('readexactly');
      if (this._exception !== null) throw this._exception;
    }
    const data = this._buffer.take(n);
    this._maybeResume();
    return data;
  }

  /**
   * Iterates over lines in a coroutine (asyncio's `async for line in reader`): `next()` gives
   * `{ done: false, value: line }` until the end of the stream.
   * @example
   * ```ts
   * import { run, StreamReader } from 'rx-asyncio';
   * run(function* () {
   *   const reader = new StreamReader();
   *   reader.feedData('a\nb\n');
   *   reader.feedEof();
   *   const lines = reader.lines();
   *   for (let r = yield* lines.next(); !r.done; r = yield* lines.next()) {
   *     console.log(new TextDecoder().decode(r.value));
   *   }
   * }());
   * ```
   */
  lines(): { next(): Coroutine<IteratorResult<Uint8Array, undefined>> } {
    const self = this;
    return {
      *next() {
        const line = yield* self.readline();
        return line.length === 0 ? { done: true, value: undefined } : { done: false, value: line };
      },
    };
  }

  toString(): string {
    const info: string[] = [];
    if (this._buffer.length > 0) info.push(`${this._buffer.length} bytes`);
    if (this._eof) info.push('eof');
    if (this.limit !== DEFAULT_LIMIT) info.push(`limit=${this.limit}`);
    if (this._waiter !== null) info.push('waiter');
    if (this._exception !== null) info.push(`exception=${String(this._exception)}`);
    if (this._paused) info.push('paused');
    return info.length === 0 ? '<StreamReader>' : `<StreamReader ${info.join(' ')}>`;
  }

  private _wakeup(): void {
    const w = this._waiter;
    if (w !== null) {
      this._waiter = null;
      settle(w);
    }
  }

  private _maybeResume(): void {
    if (this._paused && this._buffer.length <= this.limit) {
      this._paused = false;
      this._transport?.resumeReading();
    }
  }

  /** Waits until data or the end arrives; the data stays in the buffer (nothing to lose). */
  private *_waitForData(what: string): Coroutine<void> {
    if (this._waiter !== null) {
      throw new RuntimeError(
        `StreamReader.${what}(): another task is already waiting for data on this reader; ` +
          'read from one task at a time (hand lines to others through a Queue)',
      );
    }
    // Why: a paused transport would never deliver the data this wait needs.
    if (this._paused) {
      this._paused = false;
      this._transport?.resumeReading();
    }
    const w = getRunningLoop().createFuture<void>();
    this._waiter = w;
    try {
      yield* w;
    } finally {
      if (this._waiter === w) this._waiter = null;
    }
  }
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
