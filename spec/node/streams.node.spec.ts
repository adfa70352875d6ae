// Streams over real sockets: TCP on 127.0.0.1 with ephemeral ports, and unix sockets. Every
// server is closed and awaited by its own spec; every wait is bounded by a generous guard
// (`guard`), and no verdict depends on how fast the machine is.
import { mkdtempSync, rmSync } from 'node:fs';
import type * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CancelledError,
  ConnectionRefusedError,
  ConnectionResetError,
  type Coroutine,
  createTask,
  type ExceptionContext,
  getRunningLoop,
  type StreamReader,
  type StreamWriter,
  sleep,
  TimeoutError,
  timeout,
} from '../../src/index.js';
import {
  openConnection,
  openUnixConnection,
  type Server,
  type ServerSocket,
  startServer,
  startUnixServer,
} from '../../src/node/index.js';
import { guarded, raised } from '../support/outcome.js';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

function portOf(server: Server): number {
  return (server.sockets[0] as ServerSocket).getsockname()[1] as number;
}

function* echo(reader: StreamReader, writer: StreamWriter): Coroutine<void> {
  for (;;) {
    const line = yield* reader.readline();
    if (line.length === 0) break;
    writer.write(line);
    yield* writer.drain();
  }
  writer.close();
  yield* writer.waitClosed();
}

describe('streams over TCP (rx-asyncio/node)', () => {
  it('openConnection/startServer: an echo round trip; peername, sockname and the socket', async () => {
    const out = await guarded(function* () {
      const server = yield* startServer(echo, '127.0.0.1', 0);
      try {
        const port = portOf(server);
        const [reader, writer] = yield* openConnection('127.0.0.1', port);
        writer.write('hello\n');
        writer.write('world\n');
        yield* writer.drain();
        const lines = [text(yield* reader.readline()), text(yield* reader.readline())];
        const peer = writer.getExtraInfo('peername');
        const sock = writer.getExtraInfo('sockname') as [string, number];
        const hasSocket = writer.getExtraInfo('socket') !== undefined;
        writer.close();
        yield* writer.waitClosed();
        return { lines, peer, port, sockHost: sock[0], hasSocket, serving: server.isServing() };
      } finally {
        server.close();
        yield* server.waitClosed();
      }
    });
    expect(out.lines).toEqual(['hello\n', 'world\n']);
    expect(out.peer).toEqual(['127.0.0.1', out.port]);
    expect(out.sockHost).toBe('127.0.0.1');
    expect(out.hasSocket).toBeTrue();
    expect(out.serving).toBeTrue();
  }, 60_000);

  it('connecting where nothing listens raises ConnectionRefusedError', async () => {
    const e = await guarded(function* () {
      const server = yield* startServer(echo, '127.0.0.1', 0);
      const port = portOf(server);
      server.close();
      yield* server.waitClosed();
      try {
        yield* openConnection('127.0.0.1', port);
        return null;
      } catch (e) {
        return e;
      }
    });
    expect(e).toEqual(jasmine.any(ConnectionRefusedError));
    expect((e as ConnectionRefusedError).code).toBe('ECONNREFUSED');
  }, 60_000);

  it('a reset by the peer surfaces as ConnectionResetError on the next read and drain', async () => {
    const out = await guarded(function* () {
      const server = yield* startServer(
        function* (r, w) {
          yield* r.readline(); // reset once the client is surely connected
          (w.getExtraInfo('socket') as net.Socket).resetAndDestroy();
        },
        '127.0.0.1',
        0,
      );
      try {
        const [reader, writer] = yield* openConnection('127.0.0.1', portOf(server));
        writer.write('go\n');
        const errors: unknown[] = [];
        errors.push(yield* raised(reader.read(10)));
        try {
          writer.write('x');
          yield* writer.drain();
        } catch (e) {
          errors.push(e);
        }
        writer.close();
        return errors;
      } finally {
        server.close();
        yield* server.waitClosed();
      }
    });
    expect(out.map((e) => (e as Error).name)).toEqual([
      'ConnectionResetError',
      'ConnectionResetError',
    ]);
    expect((out[0] as ConnectionResetError).code).toBe('ECONNRESET');
    expect(out[0]).toEqual(jasmine.any(ConnectionResetError));
  }, 60_000);

  it('cancelling a task blocked in readline() loses no byte (timeout around it too)', async () => {
    const out = await guarded(function* () {
      let serverWriter: StreamWriter | null = null;
      const connected = getRunningLoop().createFuture<void>();
      const server = yield* startServer(
        function* (_r, w) {
          serverWriter = w;
          connected.setResult(undefined);
          yield* w.waitClosed();
        },
        '127.0.0.1',
        0,
      );
      try {
        const [reader, writer] = yield* openConnection('127.0.0.1', portOf(server));
        yield* connected;
        const sw = serverWriter as unknown as StreamWriter;
        sw.write('hel');
        yield* sw.drain();
        const t = createTask(reader.readline());
        // wait until the partial line is in the reader's buffer, then cancel the read
        while (reader.buffered < 3) yield* sleep(5);
        t.cancel();
        let cancelled = false;
        try {
          yield* t;
        } catch (e) {
          cancelled = e instanceof CancelledError;
        }
        let timedOut = false;
        try {
          yield* timeout(50, function* () {
            return yield* reader.readline();
          });
        } catch (e) {
          timedOut = e instanceof TimeoutError;
        }
        sw.write('lo\n');
        const line = text(yield* reader.readline());
        writer.close();
        sw.close();
        return { cancelled, timedOut, line };
      } finally {
        server.close();
        yield* server.waitClosed();
      }
    });
    expect(out).toEqual({ cancelled: true, timedOut: true, line: 'hello\n' });
  }, 60_000);

  it('flow control: an unread connection pauses the sender (drain waits); all bytes arrive in order', async () => {
    const TOTAL = 16 * 2 ** 20;
    const CHUNK = 2 ** 16;
    const out = await guarded(function* () {
      let sent = 0;
      const server = yield* startServer(
        function* (_r, w) {
          const chunk = new Uint8Array(CHUNK);
          for (let i = 0; i < TOTAL / CHUNK; i++) {
            chunk.fill(i & 0xff);
            w.write(chunk);
            sent += CHUNK;
            yield* w.drain();
          }
          w.close();
        },
        '127.0.0.1',
        0,
      );
      try {
        const limit = 2 ** 16;
        const [reader, writer] = yield* openConnection('127.0.0.1', portOf(server), { limit });
        // Let the sender run until it is held; an unpaused reader would take all 16 MiB.
        let last = -1;
        while (sent !== last) {
          last = sent;
          yield* sleep(100);
        }
        const held = { sent, buffered: reader.buffered };
        let total = 0;
        let inOrder = true;
        for (;;) {
          const data = yield* reader.read(CHUNK);
          if (data.length === 0) break;
          for (let j = 0; j < data.length; j += 4096) {
            if (data[j] !== (Math.floor((total + j) / CHUNK) & 0xff)) inOrder = false;
          }
          total += data.length;
        }
        writer.close();
        return { held, total, inOrder, limit };
      } finally {
        server.close();
        yield* server.waitClosed();
      }
    });
    expect(out.held.sent).toBeLessThan(TOTAL);
    // paused past 2 * limit; at most one more socket chunk (64 KiB) lands before the pause
    expect(out.held.buffered).toBeLessThanOrEqual(2 * out.limit + 2 ** 16);
    expect(out.total).toBe(TOTAL);
    expect(out.inOrder).toBeTrue();
  }, 60_000);

  it('half-close: after writeEof() the client still reads the answer', async () => {
    const answer = await guarded(function* () {
      const server = yield* startServer(
        function* (r, w) {
          const all = yield* r.read();
          w.write(`${all.length} bytes`);
          w.close();
        },
        '127.0.0.1',
        0,
      );
      try {
        const [reader, writer] = yield* openConnection('127.0.0.1', portOf(server));
        expect(writer.canWriteEof()).toBeTrue();
        writer.write('12345');
        writer.writeEof();
        const got = text(yield* reader.read());
        writer.close();
        return got;
      } finally {
        server.close();
        yield* server.waitClosed();
      }
    });
    expect(answer).toBe('5 bytes');
  }, 60_000);

  it('serveForever() serves until cancelled, then closes the server', async () => {
    const out = await guarded(function* () {
      let server: Server | null = null;
      const t = createTask(
        (function* () {
          server = yield* startServer(echo, '127.0.0.1', 0);
          yield* server.serveForever();
        })(),
      );
      while (server === null) yield* sleep(5);
      const s = server as Server;
      const [reader, writer] = yield* openConnection('127.0.0.1', portOf(s));
      writer.write('x\n');
      const line = text(yield* reader.readline());
      writer.close();
      yield* writer.waitClosed();
      t.cancel();
      try {
        yield* t;
      } catch {}
      return { line, sockets: s.sockets.length, serving: s.isServing() };
    });
    expect(out).toEqual({ line: 'x\n', sockets: 0, serving: false });
  }, 60_000);

  it('an error in clientConnected goes to the exception handler and aborts that connection', async () => {
    const out = await guarded(function* () {
      const reports: ExceptionContext[] = [];
      getRunningLoop().setExceptionHandler((_loop, ctx) => {
        reports.push(ctx);
      });
      const server = yield* startServer(
        function* () {
          throw new RangeError('handler bug');
        },
        '127.0.0.1',
        0,
      );
      try {
        const [reader, writer] = yield* openConnection('127.0.0.1', portOf(server));
        let ended: string;
        try {
          ended = `eof:${(yield* reader.read()).length}`;
        } catch (e) {
          ended = (e as Error).name;
        }
        writer.close();
        return { ended, reports: reports.map((r) => (r.exception as Error).message) };
      } finally {
        server.close();
        yield* server.waitClosed();
      }
    });
    expect(['eof:0', 'ConnectionResetError']).toContain(out.ended);
    expect(out.reports).toEqual(['handler bug']);
  }, 60_000);

  it('waitClosed() waits until every connection is gone; closeClients() ends them', async () => {
    const order = await guarded(function* () {
      const order: string[] = [];
      const server = yield* startServer(
        function* (r) {
          yield* r.read();
        },
        '127.0.0.1',
        0,
      );
      const [reader, writer] = yield* openConnection('127.0.0.1', portOf(server));
      yield* sleep(20);
      server.close();
      const w = createTask(
        (function* () {
          yield* server.waitClosed();
          order.push('closed');
        })(),
      );
      yield* sleep(50);
      order.push('still open');
      server.closeClients();
      yield* reader.read();
      writer.close();
      yield* w;
      return order;
    });
    expect(order).toEqual(['still open', 'closed']);
  }, 60_000);
});

describe('streams over unix sockets (rx-asyncio/node)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rx-asyncio-unix-'));
  }, 60_000);
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('openUnixConnection/startUnixServer: an echo round trip; the path is the peername', async () => {
    const path = join(dir, 'echo.sock');
    const out = await guarded(function* () {
      const server = yield* startUnixServer(echo, path);
      try {
        const [reader, writer] = yield* openUnixConnection(path);
        writer.write('over a unix socket\n');
        const line = text(yield* reader.readline());
        const peer = writer.getExtraInfo('peername');
        writer.close();
        yield* writer.waitClosed();
        return { line, peer, name: server.sockets[0]?.getsockname() };
      } finally {
        server.close();
        yield* server.waitClosed();
      }
    });
    expect(out).toEqual({ line: 'over a unix socket\n', peer: path, name: path });
  }, 60_000);
});
