import type { StreamTransport } from '../src/index.js';
import {
  ConnectionResetError,
  getRunningLoop,
  StreamProtocol,
  StreamReader,
  StreamWriter,
} from '../src/index.js';

/** Options of {@link connectionPair}. */
export interface ConnectionPairOptions {
  /** Milliseconds (loop time) from a write to its arrival at the other end (default 0). */
  latency?: number;
  /** Writes arrive split into chunks of at most this many bytes (default: as written). */
  chunkSize?: number;
  /**
   * Bytes a side may have in flight (sent, not yet taken by the other side's reader) before its
   * `drain()` waits (default 64 KiB). Writing resumes once a quarter of it is left.
   */
  highWaterMark?: number;
  /** The readers' limit (default 64 KiB): the other side stops receiving past twice of it. */
  limit?: number;
}

/** Both ends of an in-memory connection: `[reader, writer]` each, and a network fault. */
export interface ConnectionPair {
  /** The end that "connected". */
  readonly client: [StreamReader, StreamWriter];
  /** The end that "accepted". */
  readonly server: [StreamReader, StreamWriter];
  /**
   * Resets the connection now, as a network fault would: both ends lose it with a
   * `ConnectionResetError` (the next read or `drain()` raises it); data in flight is lost.
   */
  reset(): void;
}

/**
 * A connection in memory, for testing protocol code in virtual time with no socket: two
 * `[StreamReader, StreamWriter]` ends whose bytes travel with a programmable `latency`, split into
 * `chunkSize` pieces, with end-to-end flow control (a side's `drain()` waits while its bytes in
 * flight pass `highWaterMark`, and a reader over its limit stops receiving), half-close
 * (`writeEof()`), close (the other side reads end of file), abort (`writer.transport.abort()`: the
 * other side gets `ConnectionResetError`) and {@link ConnectionPair.reset}. Deliveries are loop
 * callbacks, so `record`, `expectTimeline` and `explore` see them.
 *
 * Data written to an end that is closed is dropped (a real socket would answer with a reset).
 * Call it, and write, inside a running loop (e.g. in the scenario of `record` or `runVirtual`).
 *
 * @example
 * ```ts
 * import { connectionPair, runVirtual } from 'rx-asyncio/marbles';
 * const r = runVirtual((function* () {
 *   const { client: [, cw], server: [sr] } = connectionPair({ latency: 20, chunkSize: 2 });
 *   cw.write('ping\n');
 *   return new TextDecoder().decode(yield* sr.readline());
 * })());
 * // r.outcome = { ok: true, value: 'ping\n' }, r.time = 20
 * ```
 */
export function connectionPair(options: ConnectionPairOptions = {}): ConnectionPair {
  const latency = check('latency', options.latency ?? 0, 0);
  const chunkSize = check('chunkSize', options.chunkSize ?? Number.POSITIVE_INFINITY, 1);
  const hwm = check('highWaterMark', options.highWaterMark ?? 2 ** 16, 1);
  const limit = options.limit;
  const a = new MemoryTransport('client', latency, chunkSize, hwm);
  const b = new MemoryTransport('server', latency, chunkSize, hwm);
  a.peer = b;
  b.peer = a;
  const ends = [a, b].map((t) => {
    const reader = new StreamReader(limit === undefined ? {} : { limit });
    const protocol = new StreamProtocol(t, reader);
    t.protocol = protocol;
    return [reader, new StreamWriter(t, protocol, reader)] as [StreamReader, StreamWriter];
  }) as [[StreamReader, StreamWriter], [StreamReader, StreamWriter]];
  return {
    client: ends[0],
    server: ends[1],
    reset() {
      for (const t of [a, b])
        t.lose(
          new ConnectionResetError('connection reset (connectionPair.reset())', {
            code: 'ECONNRESET',
          }),
        );
    },
  };
}

function check(name: string, v: number, min: number): number {
  if (typeof v !== 'number' || Number.isNaN(v) || v < min) {
    throw new RangeError(`connectionPair({ ${name} }): expected a number >= ${min}, got ${v}`);
  }
  return v;
}

const EOF = Symbol('eof');
type Item = Uint8Array | typeof EOF;

/** One end's transport. Arrivals wait in `inbox` while this end's reading is paused. */
class MemoryTransport implements StreamTransport {
  peer!: MemoryTransport;
  protocol!: StreamProtocol;
  private readonly inbox: Item[] = [];
  private inFlight = 0;
  private writePaused = false;
  private readPaused = false;
  private closing = false;
  private lost = false;
  private eofSent = false;

  constructor(
    private readonly name: 'client' | 'server',
    private readonly latency: number,
    private readonly chunkSize: number,
    private readonly hwm: number,
  ) {}

  write(data: Uint8Array): void {
    if (this.lost || this.eofSent) return;
    for (let at = 0; at < data.length; at += this.chunkSize) {
      const chunk = data.slice(at, Math.min(data.length, at + this.chunkSize));
      this.inFlight += chunk.length;
      this.send(chunk);
    }
    if (!this.writePaused && this.inFlight > this.hwm) {
      this.writePaused = true;
      this.protocol.pauseWriting();
    }
  }

  writeEof(): void {
    if (this.lost || this.eofSent) return;
    this.eofSent = true;
    this.send(EOF);
  }

  canWriteEof(): boolean {
    return true;
  }

  close(): void {
    if (this.closing) return;
    this.closing = true;
    if (!this.eofSent && !this.lost) this.writeEof();
    // Our end is gone once the last byte left (asyncio: after the write buffer is flushed).
    this.after(this.latency, () => this.lose(null));
  }

  abort(): void {
    if (this.lost) return;
    this.closing = true;
    const peer = this.peer;
    this.after(this.latency, () =>
      peer.lose(
        new ConnectionResetError('connection reset by peer (it aborted)', { code: 'ECONNRESET' }),
      ),
    );
    this.lose(null);
  }

  isClosing(): boolean {
    return this.closing || this.lost;
  }

  pauseReading(): void {
    this.readPaused = true;
  }

  resumeReading(): void {
    if (!this.readPaused) return;
    this.readPaused = false;
    // Why a callback: resumeReading is called from inside a read; feeding data there re-enters it.
    getRunningLoop().callSoon(() => this.pump());
  }

  getExtraInfo(name: string): unknown {
    if (name === 'peername') return [this.peer.name, 0];
    if (name === 'sockname') return [this.name, 0];
    return undefined;
  }

  /** @internal The connection is gone for this end, cleanly (`null`) or with `error`. */
  lose(error: Error | null): void {
    if (this.lost) return;
    this.lost = true;
    this.closing = true;
    this.inbox.length = 0;
    this.protocol.connectionLost(error);
  }

  private send(item: Item): void {
    const peer = this.peer;
    this.after(this.latency, () => peer.arrive(item, this));
  }

  private after(ms: number, fn: () => void): void {
    const loop = getRunningLoop();
    if (ms === 0) loop.callSoon(fn);
    else loop.callLater(ms, fn);
  }

  private arrive(item: Item, from: MemoryTransport): void {
    if (this.lost) {
      if (item !== EOF) from.taken(item.length);
      return;
    }
    this.inbox.push(item);
    this.pump();
  }

  private pump(): void {
    while (!this.readPaused && !this.lost && this.inbox.length > 0) {
      const item = this.inbox.shift() as Item;
      if (item === EOF) this.protocol.eofReceived();
      else {
        this.protocol.dataReceived(item);
        this.peer.taken(item.length);
      }
    }
  }

  /** The other end's reader took `n` of our bytes. */
  private taken(n: number): void {
    this.inFlight -= n;
    if (this.writePaused && this.inFlight <= this.hwm / 4) {
      this.writePaused = false;
      this.protocol.resumeWriting();
    }
  }
}
