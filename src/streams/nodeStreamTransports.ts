import { BrokenPipeError, RuntimeError } from '../errors.js';
import { toBytes } from './ByteBuffer.js';
import type { StreamProtocol } from './StreamProtocol.js';
import type { StreamTransport } from './StreamTransport.js';

/** The part of a Node `Readable` the adapter uses (duck-typed: no `node:` import here). */
export interface NodeReadableLike {
  on(event: string, listener: (...args: never[]) => void): unknown;
  pause(): unknown;
  resume(): unknown;
  destroy(error?: Error): unknown;
}

/** The part of a Node `Writable` the adapter uses. */
export interface NodeWritableLike {
  write(chunk: Uint8Array): boolean;
  end(): unknown;
  on(event: string, listener: (...args: never[]) => void): unknown;
  destroy(error?: Error): unknown;
  /** True once the stream was destroyed (Node's `writable.destroyed`). */
  readonly destroyed?: boolean;
}

/** @internal How a transport over a Node stream maps the stream's errors (pipes: EPIPE...). */
export type MapError = (error: unknown) => unknown;

/**
 * @internal A Node `Readable` as a read-only transport: `'data'` feeds the reader, `'end'` is end
 * of file, `'error'` then `'close'` (or `'end'`) is the loss; reading pauses with `pause()`.
 */
export class NodeReadableTransport implements StreamTransport {
  private closing = false;
  private error: unknown = null;

  constructor(
    private readonly source: NodeReadableLike,
    private readonly protocol: () => StreamProtocol,
    mapError: MapError = (e) => e,
  ) {
    source.on('data', ((d: Uint8Array | string) =>
      this.protocol().dataReceived(typeof d === 'string' ? toBytes(d, 'data') : d)) as never);
    source.on('end', (() => {
      this.protocol().eofReceived();
      this.protocol().connectionLost(null);
    }) as never);
    source.on('error', ((e: unknown) => {
      this.error ??= mapError(e);
    }) as never);
    source.on('close', (() => {
      this.closing = true;
      this.protocol().connectionLost(this.error);
    }) as never);
  }

  write(): void {
    throw new RuntimeError('this stream is read-only: write to its writer instead');
  }
  writeEof(): void {
    this.write();
  }
  canWriteEof(): boolean {
    return false;
  }
  close(): void {
    this.closing = true;
    this.source.destroy();
  }
  abort(): void {
    this.close();
  }
  isClosing(): boolean {
    return this.closing;
  }
  pauseReading(): void {
    this.source.pause();
  }
  resumeReading(): void {
    this.source.resume();
  }
  getExtraInfo(name: string): unknown {
    return name === 'stream' ? this.source : undefined;
  }
}

/**
 * @internal A Node `Writable` as a write-only transport: `write()` returning false pauses writing
 * until `'drain'`; `'error'` then `'close'` (or `'finish'` after our close) is the loss.
 */
export class NodeWritableTransport implements StreamTransport {
  private closing = false;
  private ended = false;
  private error: unknown = null;

  constructor(
    private readonly sink: NodeWritableLike,
    private readonly protocol: () => StreamProtocol,
    mapError: MapError = (e) => e,
  ) {
    sink.on('drain', (() => this.protocol().resumeWriting()) as never);
    sink.on('error', ((e: unknown) => {
      this.error ??= mapError(e);
    }) as never);
    const lost = () => {
      this.closing = true;
      this.protocol().connectionLost(this.error);
    };
    sink.on('close', lost as never);
    sink.on('finish', (() => {
      if (this.closing) lost();
    }) as never);
  }

  write(data: Uint8Array): void {
    if (this.ended || this.error !== null) return; // drain() raises the loss
    if (this.sink.destroyed === true) {
      // Why: Node destroys a stream without an 'error' (a child's stdin once the child exited);
      // a write to it is dropped silently, so drain() must learn the bytes will never go out.
      this.error = new BrokenPipeError(
        'write(): the stream is already destroyed (its reader went away); stop writing',
        { code: 'EPIPE' },
      );
      this.closing = true;
      this.protocol().connectionLost(this.error);
      return;
    }
    if (!this.sink.write(data)) this.protocol().pauseWriting();
  }
  writeEof(): void {
    this.ended = true;
    this.sink.end();
  }
  canWriteEof(): boolean {
    return true;
  }
  close(): void {
    if (this.closing) return;
    this.closing = true;
    if (!this.ended) this.writeEof();
  }
  abort(): void {
    this.closing = true;
    this.sink.destroy();
  }
  isClosing(): boolean {
    return this.closing;
  }
  pauseReading(): void {}
  resumeReading(): void {}
  getExtraInfo(name: string): unknown {
    return name === 'stream' ? this.sink : undefined;
  }
}
