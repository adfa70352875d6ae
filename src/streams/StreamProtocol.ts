import { ConnectionResetError } from '../errors.js';
import type { Coroutine } from '../kernel/Awaitable.js';
import type { Future } from '../kernel/Future.js';
import { parkIn, wakeAll } from './parked.js';
import type { StreamReader } from './StreamReader.js';
import type { StreamTransport } from './StreamTransport.js';

/**
 * The link between a {@link StreamTransport} and its streams (asyncio's `StreamReaderProtocol`
 * with its `FlowControlMixin`): the transport reports what happens (data, end of file, loss,
 * back-pressure) by calling these methods, and the streams wait on what they record. Every method
 * may be called from outside the event loop (a socket's event handler): a waiting task is woken
 * through its loop.
 *
 * Write flow control: the transport calls {@link pauseWriting} when its send buffer passes its
 * high-water mark and {@link resumeWriting} when it has drained; `writer.drain()` waits in between.
 *
 * @example
 * ```ts
 * import { StreamProtocol, StreamReader, type StreamTransport } from 'rx-asyncio';
 * declare const transport: StreamTransport;
 * const reader = new StreamReader();
 * const protocol = new StreamProtocol(transport, reader);
 * protocol.dataReceived(new TextEncoder().encode('hi\n')); // what the transport does on data
 * protocol.connectionLost(null); // ...and when the connection closed cleanly
 * ```
 */
export class StreamProtocol {
  private _writePaused = false;
  private _lost = false;
  private _lostWith: unknown = null;
  private readonly _drainWaiters: Array<Future<void>> = [];
  private readonly _closeWaiters: Array<Future<void>> = [];

  /** Binds `reader` (if any) to `transport` for read flow control. */
  constructor(
    /** The transport that reports to this protocol. */
    readonly transport: StreamTransport,
    /** The reader fed by this protocol, if the connection is read. */
    readonly reader: StreamReader | null = null,
  ) {
    reader?.setTransport(transport);
  }

  /** Bytes arrived. */
  dataReceived(data: Uint8Array): void {
    this.reader?.feedData(data);
  }

  /** The peer sent end of file (the connection may stay open for writing: a half-close). */
  eofReceived(): void {
    this.reader?.feedEof();
  }

  /**
   * The connection is gone: cleanly (`error` null: the reader gets end of file), or with an error
   * that the next read, `drain()` and `waitClosed()` raise. Only the first call counts.
   */
  connectionLost(error: unknown): void {
    if (this._lost) return;
    this._lost = true;
    this._lostWith = error ?? null;
    if (this.reader !== null) {
      if (error == null) this.reader.feedEof();
      else this.reader.setException(error);
    }
    wakeAll(this._closeWaiters, error ?? undefined);
    wakeAll(this._drainWaiters, error ?? undefined);
  }

  /** The transport's send buffer is over its high-water mark: `drain()` waits from now on. */
  pauseWriting(): void {
    this._writePaused = true;
  }

  /** The send buffer drained: wakes the tasks in `drain()`. */
  resumeWriting(): void {
    if (!this._writePaused) return;
    this._writePaused = false;
    wakeAll(this._drainWaiters);
  }

  /** True once {@link connectionLost} was called. */
  isConnectionLost(): boolean {
    return this._lost;
  }

  /** @internal `writer.drain()`'s wait: returns at once unless writing is paused. */
  *_drainHelper(): Coroutine<void> {
    if (this._lost) {
      throw new ConnectionResetError(
        'drain(): the connection was lost; reconnect, or stop writing to this stream',
        { cause: this._lostWith ?? undefined },
      );
    }
    if (!this._writePaused) return;
    yield* parkIn(this._drainWaiters);
  }

  /** @internal `writer.waitClosed()`: waits for {@link connectionLost}; raises its error. */
  *_waitClosed(): Coroutine<void> {
    if (this._lost) {
      if (this._lostWith !== null) throw this._lostWith;
      return;
    }
    yield* parkIn(this._closeWaiters);
  }
}
