// Ports of CPython 3.13's Lib/test/test_asyncio/test_streams.py, the tests over real sockets
// (TCP on 127.0.0.1, ephemeral ports). CPython's run_test_server() is an HTTP server answering
// "HTTP/1.0 200 OK ... Test message"; `withHttpd` is the same over startServer. Each `it` is named
// after its CPython test; every server is closed and awaited, every wait bounded by the guard.
import {
  BrokenPipeError,
  ConnectionAbortedError,
  ConnectionResetError,
  type Coroutine,
  createTask,
  type StreamReader,
  type StreamWriter,
} from '../../src/index.js';
import { openConnection, type ServerSocket, startServer } from '../../src/node/index.js';
import { guarded, raised } from '../support/outcome.js';

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const SPEC_MS = 60_000;

/** CPython's test HTTP server handler: reads the request head, answers, closes. */
function* httpHandler(reader: StreamReader, writer: StreamWriter): Coroutine<void> {
  for (;;) {
    const line = text(yield* reader.readline());
    if (line === '' || line === '\r\n') break;
  }
  writer.write('HTTP/1.0 200 OK\r\nContent-type: text/plain\r\n\r\nTest message');
  yield* writer.drain();
  writer.close();
  yield* writer.waitClosed();
}

/** Runs `body(port)` with an HTTP test server on 127.0.0.1, closing it afterwards. */
function withHttpd<T>(body: (port: number) => Coroutine<T>): Promise<T> {
  return guarded(function* () {
    const server = yield* startServer(httpHandler, '127.0.0.1', 0);
    try {
      return yield* body((server.sockets[0] as ServerSocket).getsockname()[1] as number);
    } finally {
      server.close();
      yield* server.waitClosed();
    }
  });
}

/** CPython's `_basetest_open_connection` / `test_async_writer_api`: GET, status line, body. */
function* getRequest(port: number): Coroutine<[StreamReader, StreamWriter, string, string]> {
  const [rd, wr] = yield* openConnection('127.0.0.1', port);
  wr.write('GET / HTTP/1.0\r\n\r\n');
  const status = text(yield* rd.readline());
  const body = text(yield* rd.read());
  return [rd, wr, status, body];
}

describe('streams over TCP (CPython test_streams)', () => {
  it(
    'test_open_connection',
    async () => {
      const out = await withHttpd(function* (port) {
        const [, wr, status, body] = yield* getRequest(port);
        wr.close();
        return [status, body.endsWith('\r\n\r\nTest message')];
      });
      expect(out).toEqual(['HTTP/1.0 200 OK\r\n', true]);
    },
    SPEC_MS,
  );

  it(
    'test_open_connection_error',
    async () => {
      class ZeroDivisionError extends Error {}
      const e = await withHttpd(function* (port) {
        const [rd, wr] = yield* openConnection('127.0.0.1', port);
        wr.protocol.connectionLost(new ZeroDivisionError());
        const err = yield* raised(rd.read());
        wr.close();
        return err;
      });
      expect(e).toBeInstanceOf(ZeroDivisionError);
    },
    SPEC_MS,
  );

  it(
    'test_start_server',
    async () => {
      function* client(port: number): Coroutine<string> {
        const [reader, writer] = yield* openConnection('127.0.0.1', port);
        writer.write('hello world!\n');
        const back = text(yield* reader.readline());
        writer.close();
        yield* writer.waitClosed();
        return back;
      }
      function* handleClient(reader: StreamReader, writer: StreamWriter): Coroutine<void> {
        const data = yield* reader.readline();
        writer.write(data);
        yield* writer.drain();
        writer.close();
        yield* writer.waitClosed();
      }
      const msgs = await guarded(function* () {
        const out: string[] = [];
        // A coroutine as the handler, then a callback that starts a task itself.
        for (const handler of [
          handleClient,
          (r: StreamReader, w: StreamWriter) => {
            createTask(handleClient(r, w));
          },
        ]) {
          const server = yield* startServer(handler, '127.0.0.1', 0);
          try {
            out.push(yield* client((server.sockets[0] as ServerSocket).getsockname()[1] as number));
          } finally {
            server.close();
            yield* server.waitClosed();
          }
        }
        return out;
      });
      expect(msgs).toEqual(['hello world!\n', 'hello world!\n']);
    },
    SPEC_MS,
  );

  it(
    'test_drain_raises',
    async () => {
      // The server closes the connection at once; a client writing in a loop must see drain()
      // raise, not spin forever.
      const e = await guarded(function* () {
        const server = yield* startServer(
          (_r: StreamReader, w: StreamWriter) => w.transport.abort(),
          '127.0.0.1',
          0,
        );
        try {
          const port = (server.sockets[0] as ServerSocket).getsockname()[1] as number;
          const [, writer] = yield* openConnection('127.0.0.1', port);
          return yield* raised(
            (function* () {
              for (;;) {
                writer.write('foo\n');
                yield* writer.drain();
              }
            })(),
          );
        } finally {
          server.close();
          yield* server.waitClosed();
        }
      });
      expect(
        e instanceof ConnectionResetError ||
          e instanceof ConnectionAbortedError ||
          e instanceof BrokenPipeError,
      ).toBeTrue();
    },
    SPEC_MS,
  );

  it(
    'test_wait_closed_on_close',
    async () => {
      const out = await withHttpd(function* (port) {
        const [, wr, status, body] = yield* getRequest(port);
        const before = wr.isClosing();
        wr.close();
        const after = wr.isClosing();
        yield* wr.waitClosed();
        return [status, body.endsWith('\r\n\r\nTest message'), before, after];
      });
      expect(out).toEqual(['HTTP/1.0 200 OK\r\n', true, false, true]);
    },
    SPEC_MS,
  );

  it(
    'test_wait_closed_on_close_with_unread_data',
    async () => {
      const out = await withHttpd(function* (port) {
        const [rd, wr] = yield* openConnection('127.0.0.1', port);
        wr.write('GET / HTTP/1.0\r\n\r\n');
        const status = text(yield* rd.readline());
        wr.close();
        yield* wr.waitClosed();
        return status;
      });
      expect(out).toBe('HTTP/1.0 200 OK\r\n');
    },
    SPEC_MS,
  );

  it(
    'test_async_writer_api',
    async () => {
      const out = await withHttpd(function* (port) {
        const [, wr, status, body] = yield* getRequest(port);
        wr.close();
        yield* wr.waitClosed();
        return [status, body.endsWith('\r\n\r\nTest message')];
      });
      expect(out).toEqual(['HTTP/1.0 200 OK\r\n', true]);
    },
    SPEC_MS,
  );

  it(
    'test_async_writer_api_exception_after_close',
    async () => {
      const e = await withHttpd(function* (port) {
        const [, wr] = yield* getRequest(port);
        wr.close();
        return yield* raised(
          (function* () {
            wr.write('data');
            yield* wr.drain();
          })(),
        );
      });
      expect(e).toBeInstanceOf(ConnectionResetError);
    },
    SPEC_MS,
  );

  it(
    'test_eof_feed_when_closing_writer',
    async () => {
      const out = await withHttpd(function* (port) {
        const [rd, wr] = yield* openConnection('127.0.0.1', port);
        wr.close();
        yield* wr.waitClosed();
        const atEof = rd.atEof();
        return [atEof, (yield* rd.read()).length];
      });
      expect(out).toEqual([true, 0]);
    },
    SPEC_MS,
  );
});
