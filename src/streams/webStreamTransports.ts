import { RuntimeError } from '../errors.js';
import { toBytes } from './ByteBuffer.js';
import type { StreamProtocol } from './StreamProtocol.js';
import type { StreamTransport } from './StreamTransport.js';

/**
 * @internal A WHATWG `ReadableStream` (e.g. a `fetch` body) as a read-only transport. One pull at
 * a time while not paused; pausing stops pulling, so the stream's own queue fills and its source
 * feels the back-pressure. Why Promises here: this is the I/O side (like a socket's events), not
 * the loop; what it reports reaches a waiting task through the loop.
 */
export class WebReadableTransport implements StreamTransport {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array | string>;
  private paused = false;
  private pulling = false;
  private closing = false;

  constructor(
    stream: ReadableStream<Uint8Array | string>,
    private readonly protocol: () => StreamProtocol,
  ) {
    this.reader = stream.getReader();
  }

  /** Starts pulling (after the protocol is in place). */
  start(): void {
    void this.pull();
  }

  // biome-ignore lint/style/noRestrictedGlobals: the host's I/O side (a ReadableStream only speaks Promises); the loop never waits on this one.
  private async pull(): Promise<void> {
    if (this.pulling) return;
    this.pulling = true;
    try {
      while (!this.paused && !this.closing) {
        const { done, value } = await this.reader.read();
        if (done) {
          this.protocol().eofReceived();
          this.lose(null);
          return;
        }
        this.protocol().dataReceived(toBytes(value, 'ReadableStream chunk'));
      }
    } catch (e) {
      this.lose(e);
    } finally {
      this.pulling = false;
    }
  }

  private lose(error: unknown): void {
    this.closing = true;
    this.protocol().connectionLost(error);
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
    if (this.closing) return;
    this.reader.cancel().catch(() => {}); // cancelling is our own doing: its outcome is moot
    this.lose(null);
  }
  abort(): void {
    this.close();
  }
  isClosing(): boolean {
    return this.closing;
  }
  pauseReading(): void {
    this.paused = true;
  }
  resumeReading(): void {
    this.paused = false;
    void this.pull();
  }
  getExtraInfo(): unknown {
    return undefined;
  }
}

/**
 * @internal A WHATWG `WritableStream` as a write-only transport: writing pauses while the
 * stream's `desiredSize` is 0 or less and resumes when its writer is `ready` again.
 */
export class WebWritableTransport implements StreamTransport {
  private readonly writer: WritableStreamDefaultWriter<Uint8Array>;
  private closing = false;
  private ended = false;
  private lost = false;

  constructor(
    stream: WritableStream<Uint8Array>,
    private readonly protocol: () => StreamProtocol,
  ) {
    this.writer = stream.getWriter();
  }

  write(data: Uint8Array): void {
    if (this.ended || this.lost) return; // drain() raises the loss
    this.writer.write(data).catch((e) => this.lose(e));
    const size = this.writer.desiredSize;
    if (size !== null && size <= 0) {
      this.protocol().pauseWriting();
      this.writer.ready.then(
        () => this.protocol().resumeWriting(),
        (e) => this.lose(e),
      );
    }
  }
  writeEof(): void {
    if (this.ended) return;
    this.ended = true;
    this.writer.close().then(
      () => this.lose(null),
      (e) => this.lose(e),
    );
  }
  canWriteEof(): boolean {
    return true;
  }
  close(): void {
    this.closing = true;
    this.writeEof();
  }
  abort(): void {
    this.closing = true;
    this.ended = true;
    this.writer.abort().catch(() => {}); // aborting is our own doing: its outcome is moot
    this.lose(null);
  }
  isClosing(): boolean {
    return this.closing || this.lost;
  }
  pauseReading(): void {}
  resumeReading(): void {}
  getExtraInfo(): unknown {
    return undefined;
  }

  private lose(error: unknown): void {
    if (this.lost) return;
    this.lost = true;
    this.protocol().connectionLost(error);
  }
}
