import { ConnectionResetError, RuntimeError } from '../errors.js';
import type { Coroutine } from '../kernel/Awaitable.js';
import { sleep } from '../timing/sleep.js';
import { attachSink, type WritableSink } from './adapters.js';
import { toBytes } from './ByteBuffer.js';
import type { StreamProtocol } from './StreamProtocol.js';
import type { StreamReader } from './StreamReader.js';
import type { StreamTransport } from './StreamTransport.js';

/** What {@link StreamWriter.startTls} passes on to a transport that can upgrade to TLS. */
export interface StartTlsOptions {
  /** The name the server's certificate must carry (client side); default: the host connected to. */
  serverHostname?: string;
  /** Milliseconds the handshake may take (default 60,000, asyncio's). */
  sslHandshakeTimeout?: number;
}

/**
 * @internal A transport that can upgrade itself to TLS in place (the Node socket transport).
 * `context` is the platform's TLS options object.
 */
export interface TlsUpgradable {
  startTls(context: unknown, options: StartTlsOptions): Coroutine<void>;
}

/**
 * Writes bytes to a connection, a pipe or a stream, from a coroutine (asyncio's `StreamWriter`).
 * Got from `openConnection`, `startServer`, a subprocess's `stdin`, or {@link StreamWriter.from}.
 *
 * `write()` never blocks: it queues the bytes. Follow writes with `yield* writer.drain()`, which
 * waits while the transport's send buffer is over its high-water mark, so a fast producer cannot
 * make memory grow without bound. A lost connection raises from `drain()` (e.g.
 * `ConnectionResetError`). Cancelling a task in `drain()` loses nothing: the bytes stay queued.
 *
 * @example
 * ```ts
 * import { run, type StreamReader, type StreamWriter } from 'rx-asyncio';
 * declare const reader: StreamReader; // e.g. from openConnection() of rx-asyncio/node
 * declare const writer: StreamWriter;
 * run(function* () {
 *   writer.write('GET / HTTP/1.0\r\n\r\n');
 *   yield* writer.drain();
 *   console.log(new TextDecoder().decode(yield* reader.readline()));
 *   writer.close();
 *   yield* writer.waitClosed();
 * }());
 * ```
 * @see {@link StreamReader}
 */
export class StreamWriter {
  private _closeCalled = false;
  private _eofWritten = false;

  constructor(
    /** The transport written to. */
    readonly transport: StreamTransport,
    /** The protocol that reports the transport's back-pressure and loss. */
    readonly protocol: StreamProtocol,
    /** The reader of the same connection (its error is raised by `drain()`), if any. */
    readonly reader: StreamReader | null = null,
  ) {}

  /**
   * A writer over a WHATWG `WritableStream` (works in browsers) or a Node `Writable`, with the
   * same back-pressure: `drain()` waits while the stream's queue is full (`desiredSize <= 0`, or
   * `write()` returned false until `'drain'`). `close()` closes the stream after what is queued.
   * @throws {TypeError} if `sink` is neither.
   * @example
   * ```ts
   * import { run, StreamWriter } from 'rx-asyncio';
   * run(function* () {
   *   const chunks: Uint8Array[] = [];
   *   const writer = StreamWriter.from(new WritableStream({ write: (c) => { chunks.push(c); } }));
   *   writer.write('hello');
   *   yield* writer.drain();
   *   writer.close();
   *   yield* writer.waitClosed();
   * }());
   * ```
   */
  static from(sink: WritableSink): StreamWriter {
    const protocol = attachSink(sink);
    return new StreamWriter(protocol.transport, protocol);
  }

  /**
   * Queues `data` (a string is UTF-8 encoded). Follow with `yield* drain()`.
   * @throws {ConnectionResetError} after `close()` (asyncio's drain() raises it then).
   * @throws {RuntimeError} after `writeEof()`.
   */
  write(data: Uint8Array | string): void {
    const bytes = toBytes(data, 'StreamWriter.write(data)');
    this._checkWritable('write');
    if (bytes.length > 0) this.transport.write(bytes);
  }

  /** Queues every item of `data`, in order. */
  writelines(data: Iterable<Uint8Array | string>): void {
    for (const item of data) this.write(item);
  }

  /** Half-closes: the peer reads end of file; this side can still read. */
  writeEof(): void {
    this._checkWritable('writeEof');
    this._eofWritten = true;
    this.transport.writeEof();
  }

  /** Whether {@link writeEof} is supported (false on TLS, as in asyncio). */
  canWriteEof(): boolean {
    return this.transport.canWriteEof();
  }

  /** Closes the connection after the queued bytes are sent. Idempotent. */
  close(): void {
    this._closeCalled = true;
    this.transport.close();
  }

  /** True once `close()` was called or the connection was lost. */
  isClosing(): boolean {
    return this.transport.isClosing();
  }

  /** Waits until the connection is closed; raises the error it was lost with, if any. */
  *waitClosed(): Coroutine<void> {
    yield* this.protocol._waitClosed();
  }

  /**
   * Waits until it is fine to write more: returns at once unless the send buffer is over its
   * high-water mark. Cancelling the wait loses no queued byte.
   * @throws the reader's error, or `ConnectionResetError` if the connection was lost.
   */
  *drain(): Coroutine<void> {
    const err = this.reader?.exception();
    if (err !== null && err !== undefined) throw err;
    if (this.transport.isClosing()) {
      // Why (asyncio): give connectionLost a chance to run, so drain raises instead of returning.
      yield* sleep(0);
    }
    yield* this.protocol._drainHelper();
  }

  /**
   * Upgrades the connection to TLS in place (asyncio's `StreamWriter.start_tls`), e.g. after a
   * STARTTLS command. `context` is Node's `tls.connect` options (`ca`, `cert`, `key`, ...;
   * `isServer: true` on the server side). Reads and writes continue over TLS once it returns.
   * @throws {RuntimeError} if this writer's transport cannot upgrade (only Node sockets can).
   */
  *startTls(context: object = {}, options: StartTlsOptions = {}): Coroutine<void> {
    const t = this.transport as Partial<TlsUpgradable>;
    if (typeof t.startTls !== 'function') {
      throw new RuntimeError(
        'StreamWriter.startTls(): this transport cannot upgrade to TLS; use a TCP connection from rx-asyncio/node',
      );
    }
    this._checkWritable('startTls');
    yield* t.startTls.call(this.transport, context, options);
  }

  /**
   * Information about the connection: `'peername'` and `'sockname'` (`[host, port]`, or the path
   * of a unix socket), `'socket'` (the platform's socket), `'peercert'` (TLS), ... or `fallback`.
   */
  getExtraInfo(name: string, fallback?: unknown): unknown {
    const v = this.transport.getExtraInfo(name);
    return v === undefined ? fallback : v;
  }

  toString(): string {
    return `<StreamWriter ${this.isClosing() ? 'closing' : 'open'}>`;
  }

  private _checkWritable(what: string): void {
    if (this._closeCalled) {
      // asyncio: writing to a closed writer surfaces as ConnectionResetError (from drain()).
      throw new ConnectionResetError(
        `StreamWriter.${what}(): the writer was closed; open a new connection to write more`,
      );
    }
    if (this._eofWritten) {
      throw new RuntimeError(`StreamWriter.${what}(): called after writeEof()`);
    }
  }
}
