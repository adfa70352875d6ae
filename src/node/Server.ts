import * as net from 'node:net';
import * as tls from 'node:tls';
import { RuntimeError } from '../errors.js';
import type { Coroutine } from '../kernel/Awaitable.js';
import type { EventLoop } from '../kernel/EventLoop.js';
import type { Future } from '../kernel/Future.js';
import { getRunningLoop } from '../kernel/runningLoop.js';
import { parkIn, wakeAll } from '../streams/parked.js';
import { StreamReader } from '../streams/StreamReader.js';
import type { StreamWriter } from '../streams/StreamWriter.js';
import { onceEvent } from './onceEvent.js';
import { streamsOf } from './openConnection.js';
import type { SocketTransport } from './SocketTransport.js';

/** What {@link startServer} calls for each connection: a coroutine function (or a plain one). */
export type ClientConnected = (reader: StreamReader, writer: StreamWriter) => unknown;

/** Options of {@link startServer} and {@link startUnixServer}. */
export interface StartServerOptions {
  /** Each reader's buffer limit in bytes (default 64 KiB). */
  limit?: number;
  /** TLS: Node's `tls.createServer` options (`key`, `cert`, ...), as asyncio's `ssl=` context. */
  ssl?: tls.TlsOptions;
  /** The listen backlog (default 100, asyncio's). */
  backlog?: number;
  /** Start accepting at once (default true); else call `startServing()` or `serveForever()`. */
  startServing?: boolean;
}

/** A listening socket's address, as asyncio's `server.sockets[i].getsockname()`. */
export interface ServerSocket {
  /** `[host, port]` for TCP, the path for a unix socket. */
  getsockname(): [string, number] | string;
}

/**
 * A listening server (asyncio's `Server`), made by {@link startServer} or
 * {@link startUnixServer}. Each accepted connection runs `clientConnected(reader, writer)` as a
 * task on the loop that started the server; an error it raises is reported to the loop's
 * exception handler and its connection is aborted.
 *
 * `close()` stops accepting (connections stay open, as in asyncio); `waitClosed()` waits until
 * the server is closed and every connection is gone (3.12+); `closeClients()` /
 * `abortClients()` end the connections. `serveForever()` serves until cancelled, then closes.
 *
 * @example
 * ```ts
 * import { run } from 'rx-asyncio';
 * import { startServer } from 'rx-asyncio/node';
 * run(function* () {
 *   const server = yield* startServer(function* (reader, writer) {
 *     writer.write(yield* reader.readline()); // echo one line
 *     writer.close();
 *   }, '127.0.0.1', 0);
 *   console.log('Serving on', server.sockets[0]?.getsockname());
 *   yield* server.serveForever();
 * }());
 * ```
 */
export class Server {
  private readonly transports = new Set<SocketTransport>();
  private readonly closeWaiters: Array<Future<void>> = [];
  private closed = false;
  private fullyClosed = false;
  private serving = false;
  private forever: Future<void> | null = null;

  /** @internal Made by startServer / startUnixServer. */
  constructor(
    private readonly loop: EventLoop,
    private readonly server: net.Server,
    private readonly clientConnected: ClientConnected,
    private readonly limit: number | undefined,
    private readonly path: string | null,
    private readonly listenOptions: net.ListenOptions,
  ) {
    server.on(server instanceof tls.Server ? 'secureConnection' : 'connection', (s: net.Socket) =>
      this.accept(s),
    );
    // A TLS client that fails its handshake never becomes a connection: nothing to report.
    server.on('tlsClientError', (_e: unknown, s: net.Socket) => s.destroy());
  }

  /** The listening sockets (one here). Empty once closed. */
  get sockets(): ServerSocket[] {
    if (this.closed) return [];
    const a = this.server.address();
    if (a === null) return [];
    const name: [string, number] | string = typeof a === 'string' ? a : [a.address, a.port];
    return [{ getsockname: () => name }];
  }

  /** The loop the server's connections run on. */
  getLoop(): EventLoop {
    return this.loop;
  }

  /** True while accepting connections. */
  isServing(): boolean {
    return this.serving && !this.closed;
  }

  /** Starts accepting connections (if `startServing: false` was given). Idempotent. */
  startServing(): Coroutine<void> {
    return this.startServingImpl();
  }

  /**
   * Serves until cancelled, then closes the server and waits for it (asyncio's
   * `serve_forever`): the usual last line of a server's main coroutine.
   * @throws {RuntimeError} if the server is closed, or already serving forever.
   */
  *serveForever(): Coroutine<void> {
    if (this.forever !== null) {
      throw new RuntimeError(`server ${this} is already being awaited on serveForever()`);
    }
    if (this.closed) throw new RuntimeError(`server ${this} is closed`);
    yield* this.startServingImpl();
    const fut = getRunningLoop().createFuture<void>();
    this.forever = fut;
    try {
      yield* fut;
    } finally {
      this.forever = null;
      this.close();
      yield* this.waitClosed();
    }
  }

  /** Stops listening; open connections stay open. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.server.close(() => this.checkFullyClosed());
    this.forever?.cancel();
  }

  /** Closes every client connection (after its queued bytes are sent). */
  closeClients(): void {
    for (const t of this.transports) t.close();
  }

  /** Aborts every client connection at once. */
  abortClients(): void {
    for (const t of this.transports) t.abort();
  }

  /** Waits until the server is closed and every connection is gone. */
  *waitClosed(): Coroutine<void> {
    if (this.fullyClosed) return;
    yield* parkIn(this.closeWaiters);
  }

  toString(): string {
    const name = this.sockets[0]?.getsockname();
    return `<Server ${name === undefined ? '' : JSON.stringify(name)} ${this.closed ? 'closed' : this.isServing() ? 'serving' : 'not serving'}>`;
  }

  private *startServingImpl(): Coroutine<void> {
    if (this.closed) throw new RuntimeError(`server ${this} is closed`);
    if (this.serving) return;
    this.serving = true;
    this.server.listen(this.listenOptions);
    yield* onceEvent<void>(this.server, 'listening');
  }

  private accept(socket: net.Socket): void {
    if (this.loop.isClosed()) {
      socket.destroy();
      return;
    }
    const names = this.path === null ? {} : { sockname: this.path, peername: '' };
    const reader = new StreamReader(this.limit === undefined ? {} : { limit: this.limit });
    const [r, w] = streamsOf(socket, reader, names);
    const transport = w.transport as SocketTransport;
    this.transports.add(transport);
    transport.onClosed = () => {
      this.transports.delete(transport);
      this.checkFullyClosed();
    };
    this.loop.callSoon(() => this.runHandler(r, w));
  }

  private runHandler(r: StreamReader, w: StreamWriter): void {
    let result: unknown;
    try {
      result = this.clientConnected(r, w);
    } catch (exception) {
      this.handlerFailed(w, exception);
      return;
    }
    if (isGenerator(result)) {
      const task = this.loop.createTask(result as Coroutine<unknown>, { name: 'clientConnected' });
      task.addDoneCallback((t) => {
        if (t.cancelled()) return;
        const exception = t.exception();
        if (exception !== null) this.handlerFailed(w, exception);
      });
    }
  }

  private handlerFailed(w: StreamWriter, exception: unknown): void {
    this.loop.callExceptionHandler({
      message: 'Unhandled exception in clientConnected (the connection is aborted)',
      exception,
    });
    w.transport.abort();
  }

  private checkFullyClosed(): void {
    if (!this.closed || this.fullyClosed || this.transports.size > 0 || this.server.listening)
      return;
    this.fullyClosed = true;
    wakeAll(this.closeWaiters);
  }
}

function isGenerator(x: unknown): boolean {
  return (
    x !== null &&
    typeof x === 'object' &&
    typeof (x as Generator).next === 'function' &&
    typeof (x as Generator).throw === 'function'
  );
}

/**
 * Starts a TCP server (asyncio's `start_server`): `clientConnected(reader, writer)` runs as a task
 * for each connection. Port 0 picks a free port (read it from `server.sockets[0].getsockname()`).
 * Returns once the server listens (unless `startServing: false`).
 *
 * @throws Node's system error (`code` `'EADDRINUSE'`, `'EACCES'`...) if it cannot listen.
 * @example
 * ```ts
 * import { run } from 'rx-asyncio';
 * import { startServer } from 'rx-asyncio/node';
 * run(function* () {
 *   const server = yield* startServer(function* (_reader, writer) {
 *     writer.write('hello\n');
 *     writer.close();
 *   }, '127.0.0.1', 8888);
 *   yield* server.serveForever();
 * }());
 * ```
 */
export function* startServer(
  clientConnected: ClientConnected,
  host: string | null,
  port: number,
  options: StartServerOptions = {},
): Coroutine<Server> {
  const listen: net.ListenOptions = { port, backlog: options.backlog ?? 100 };
  if (host !== null) listen.host = host;
  return yield* start(clientConnected, options, listen, null);
}

/**
 * Starts a unix domain socket server at `path` (asyncio's `start_unix_server`); as
 * {@link startServer}. A stale socket file at `path` must be removed first.
 * @example
 * ```ts
 * import { run } from 'rx-asyncio';
 * import { startUnixServer } from 'rx-asyncio/node';
 * run(function* () {
 *   const server = yield* startUnixServer(function* (reader, writer) {
 *     writer.write(yield* reader.readline());
 *     writer.close();
 *   }, '/tmp/echo.sock');
 *   yield* server.serveForever();
 * }());
 * ```
 */
export function* startUnixServer(
  clientConnected: ClientConnected,
  path: string,
  options: StartServerOptions = {},
): Coroutine<Server> {
  return yield* start(clientConnected, options, { path, backlog: options.backlog ?? 100 }, path);
}

function* start(
  clientConnected: ClientConnected,
  options: StartServerOptions,
  listen: net.ListenOptions,
  path: string | null,
): Coroutine<Server> {
  if (typeof clientConnected !== 'function') {
    throw new TypeError(
      'startServer(clientConnected, ...): clientConnected must be a function (reader, writer) => coroutine',
    );
  }
  const loop = getRunningLoop();
  const netServer = options.ssl
    ? // Not half-open: TLS cannot half-close (asyncio closes an SSL connection at end of file),
      // and a client that fails its handshake would otherwise leave its socket open forever.
      tls.createServer({ ...options.ssl, allowHalfOpen: false } as tls.TlsOptions)
    : net.createServer({ allowHalfOpen: true });
  const server = new Server(loop, netServer, clientConnected, options.limit, path, listen);
  if (options.startServing ?? true) {
    try {
      yield* server.startServing();
    } catch (e) {
      server.close();
      throw e;
    }
  }
  return server;
}
