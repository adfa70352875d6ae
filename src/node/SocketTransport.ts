import type { Socket } from 'node:net';
import * as tls from 'node:tls';
import { TimeoutError } from '../errors.js';
import type { Coroutine } from '../kernel/Awaitable.js';
import type { StreamProtocol } from '../streams/StreamProtocol.js';
import type { StreamTransport } from '../streams/StreamTransport.js';
import type { StartTlsOptions, TlsUpgradable } from '../streams/StreamWriter.js';
import { timeout } from '../timing/timeout.js';
import { connectionError } from './connectionErrors.js';
import { onceEvent } from './onceEvent.js';

/** asyncio's default TLS handshake timeout: 60 s. */
export const SSL_HANDSHAKE_TIMEOUT = 60_000;

/**
 * @internal A Node socket (TCP, unix, or TLS over either) as a {@link StreamTransport}. Node's
 * events are turned into protocol calls: `'data'` feeds the reader, `'end'` is end of file (the
 * socket is half-open, as asyncio's), `'close'` is the loss of the connection (with the mapped
 * error if one came), `write()` returning false pauses writing until `'drain'`.
 */
export class SocketTransport implements StreamTransport, TlsUpgradable {
  private closing = false;
  private error: unknown = null;
  private protocol: StreamProtocol | null = null;
  /** Called once the socket is closed (servers count their connections with it). */
  onClosed: (() => void) | null = null;

  constructor(
    private socket: Socket,
    /** What Node cannot tell of a unix socket (its path), and the host name dialled (for TLS). */
    private readonly names: SocketNames = {},
  ) {}

  /** Starts reporting to `protocol`. */
  attach(protocol: StreamProtocol): void {
    this.protocol = protocol;
    this.listen(this.socket);
  }

  /** The Node socket (a `tls.TLSSocket` after `startTls`). */
  get raw(): Socket {
    return this.socket;
  }

  write(data: Uint8Array): void {
    if (this.socket.destroyed || this.socket.writableEnded) return; // drain() raises the loss
    if (!this.socket.write(data)) this.protocol?.pauseWriting();
  }

  writeEof(): void {
    this.socket.end();
  }

  canWriteEof(): boolean {
    return !(this.socket instanceof tls.TLSSocket);
  }

  close(): void {
    if (this.closing) return;
    this.closing = true;
    // Why end then destroy: end() flushes what is queued; the socket is half-open, so it would
    // otherwise stay open until the peer closes its side too.
    if (this.socket.writableFinished || this.socket.destroyed) this.socket.destroy();
    else this.socket.end(() => this.socket.destroy());
  }

  abort(): void {
    this.closing = true;
    this.socket.destroy();
  }

  isClosing(): boolean {
    return this.closing || this.socket.destroyed;
  }

  pauseReading(): void {
    this.socket.pause();
  }

  resumeReading(): void {
    this.socket.resume();
  }

  getExtraInfo(name: string): unknown {
    const s = this.socket;
    switch (name) {
      case 'peername':
        return s.remoteAddress === undefined
          ? this.names.peername
          : [s.remoteAddress, s.remotePort];
      case 'sockname':
        return s.localAddress === undefined ? this.names.sockname : [s.localAddress, s.localPort];
      case 'socket':
        return s;
      case 'peercert':
        return s instanceof tls.TLSSocket ? s.getPeerCertificate() : undefined;
      case 'cipher':
        return s instanceof tls.TLSSocket ? s.getCipher() : undefined;
      case 'sslcontext':
      case 'ssl_object':
        return s instanceof tls.TLSSocket ? s : undefined;
      default:
        return undefined;
    }
  }

  *startTls(context: unknown, options: StartTlsOptions): Coroutine<void> {
    const plain = this.socket;
    const opts = (context ?? {}) as tls.ConnectionOptions & { isServer?: boolean };
    this.unlisten(plain);
    // Why: bytes that arrived before the upgrade belong to the TLS handshake now.
    plain.pause();
    const secure = opts.isServer
      ? new tls.TLSSocket(plain, { ...opts, isServer: true })
      : tls.connect({
          ...opts,
          socket: plain,
          servername: options.serverHostname ?? opts.servername ?? this.names.host,
        });
    this.socket = secure;
    const ready = opts.isServer ? 'secure' : 'secureConnect';
    try {
      yield* handshake(secure, ready, options.sslHandshakeTimeout ?? SSL_HANDSHAKE_TIMEOUT);
    } catch (e) {
      secure.destroy();
      throw e;
    }
    this.listen(secure);
  }

  private readonly onData = (d: Uint8Array) => this.protocol?.dataReceived(d);
  private readonly onEnd = () => this.protocol?.eofReceived();
  private readonly onError = (e: unknown) => {
    this.error ??= connectionError(e, 'connection');
  };
  private readonly onDrain = () => this.protocol?.resumeWriting();
  private readonly onClose = () => {
    this.closing = true;
    this.protocol?.connectionLost(this.error);
    this.onClosed?.();
  };

  private listen(s: Socket): void {
    s.on('data', this.onData);
    s.on('end', this.onEnd);
    s.on('error', this.onError);
    s.on('drain', this.onDrain);
    s.on('close', this.onClose);
    if (s.destroyed) this.onClose();
  }

  private unlisten(s: Socket): void {
    s.off('data', this.onData);
    s.off('end', this.onEnd);
    s.off('error', this.onError);
    s.off('drain', this.onDrain);
    s.off('close', this.onClose);
  }
}

/** @internal Waits for a TLS socket's handshake, within `ms`. */
export function* handshake(s: tls.TLSSocket, event: string, ms: number): Coroutine<void> {
  try {
    yield* timeout(ms, function* () {
      yield* onceEvent<void>(s, event, (e) => connectionError(e, 'TLS handshake'));
    });
  } catch (e) {
    if (e instanceof TimeoutError) {
      throw new TimeoutError(
        `TLS handshake did not complete within ${ms} ms (sslHandshakeTimeout)`,
        {
          cause: e,
        },
      );
    }
    throw e;
  }
}

/** @internal See {@link SocketTransport}'s constructor. */
export interface SocketNames {
  peername?: unknown;
  sockname?: unknown;
  host?: string;
}
