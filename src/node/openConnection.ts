import * as net from 'node:net';
import * as tls from 'node:tls';
import type { Coroutine } from '../kernel/Awaitable.js';
import { StreamProtocol } from '../streams/StreamProtocol.js';
import { StreamReader } from '../streams/StreamReader.js';
import { StreamWriter } from '../streams/StreamWriter.js';
import { connectionError } from './connectionErrors.js';
import { onceEvent } from './onceEvent.js';
import {
  handshake,
  type SocketNames,
  SocketTransport,
  SSL_HANDSHAKE_TIMEOUT,
} from './SocketTransport.js';

/** Options of {@link openConnection} and {@link openUnixConnection}. */
export interface OpenConnectionOptions {
  /** The reader's buffer limit in bytes (default 64 KiB). */
  limit?: number;
  /**
   * TLS: `true` for the system's trusted CAs, or Node's `tls.connect` options (`ca`, `cert`,
   * `key`, `rejectUnauthorized`, ...), as asyncio's `ssl=` context.
   */
  ssl?: boolean | tls.ConnectionOptions;
  /** The name the server's certificate must carry (default: `host`, unless it is an IP address). */
  serverHostname?: string;
  /** Milliseconds the TLS handshake may take (default 60,000). */
  sslHandshakeTimeout?: number;
  /** Local address to bind, `[host, port]` (asyncio's `local_addr`). */
  localAddr?: [string, number];
}

/**
 * Opens a TCP connection (asyncio's `open_connection`) and returns its `[reader, writer]`.
 * With `ssl`, the connection is TLS and the handshake is done when it returns.
 *
 * Cancelling it while connecting destroys the half-made socket.
 *
 * @throws {ConnectionRefusedError} if nothing listens at `host:port`; Node's system error
 *   (`code` `'ENOTFOUND'`, `'ETIMEDOUT'`...) for other failures; `TimeoutError` if the TLS
 *   handshake takes longer than `sslHandshakeTimeout`.
 * @example
 * ```ts
 * import { run } from 'rx-asyncio';
 * import { openConnection } from 'rx-asyncio/node';
 * run(function* () {
 *   const [reader, writer] = yield* openConnection('127.0.0.1', 8888);
 *   writer.write('Hello World!\n');
 *   yield* writer.drain();
 *   console.log('Received:', new TextDecoder().decode(yield* reader.readline()));
 *   writer.close();
 *   yield* writer.waitClosed();
 * }());
 * ```
 */
export function* openConnection(
  host: string,
  port: number,
  options: OpenConnectionOptions = {},
): Coroutine<[StreamReader, StreamWriter]> {
  const local = options.localAddr;
  const base: net.TcpNetConnectOpts = {
    host,
    port,
    allowHalfOpen: true,
    ...(local ? { localAddress: local[0], localPort: local[1] } : {}),
  };
  return yield* connect(base, options, { host });
}

/**
 * Opens a unix domain socket connection (asyncio's `open_unix_connection`) and returns its
 * `[reader, writer]`; `peername` is the path.
 * @example
 * ```ts
 * import { run } from 'rx-asyncio';
 * import { openUnixConnection } from 'rx-asyncio/node';
 * run(function* () {
 *   const [reader, writer] = yield* openUnixConnection('/tmp/echo.sock');
 *   writer.write('hi\n');
 *   console.log(yield* reader.readline());
 *   writer.close();
 * }());
 * ```
 */
export function* openUnixConnection(
  path: string,
  options: Omit<OpenConnectionOptions, 'localAddr'> = {},
): Coroutine<[StreamReader, StreamWriter]> {
  return yield* connect({ path, allowHalfOpen: true }, options, { peername: path, sockname: '' });
}

const notHalfOpen = { allowHalfOpen: false };

function* connect(
  base: net.NetConnectOpts,
  options: OpenConnectionOptions,
  names: SocketNames,
): Coroutine<[StreamReader, StreamWriter]> {
  const reader = new StreamReader(options.limit === undefined ? {} : { limit: options.limit });
  const where =
    'path' in base
      ? `connect(${base.path})`
      : `connect(${names.host}:${(base as net.TcpNetConnectOpts).port})`;
  let socket: net.Socket;
  if (options.ssl) {
    const host = names.host;
    const servername =
      options.serverHostname ?? (host !== undefined && net.isIP(host) === 0 ? host : undefined);
    const s = tls.connect({
      ...(options.ssl === true ? {} : options.ssl),
      ...base,
      ...notHalfOpen, // TLS cannot half-close (see startServer)
      ...(servername === undefined ? {} : { servername }),
    } as tls.ConnectionOptions);
    socket = s;
    try {
      yield* handshake(s, 'secureConnect', options.sslHandshakeTimeout ?? SSL_HANDSHAKE_TIMEOUT);
    } catch (e) {
      s.destroy();
      throw e;
    }
  } else {
    socket = net.connect(base);
    try {
      yield* onceEvent<void>(socket, 'connect', (e) => connectionError(e, where));
    } catch (e) {
      socket.destroy(); // also when cancelled while connecting
      throw e;
    }
  }
  return streamsOf(socket, reader, names);
}

/** @internal Wraps a connected socket in `[reader, writer]`. */
export function streamsOf(
  socket: net.Socket,
  reader: StreamReader,
  names: SocketNames,
): [StreamReader, StreamWriter] {
  const transport = new SocketTransport(socket, names);
  const protocol = new StreamProtocol(transport, reader);
  transport.attach(protocol);
  return [reader, new StreamWriter(transport, protocol, reader)];
}
