/**
 * asyncio's TCP echo client and server (the streams documentation's example), in rx-asyncio, with
 * a 5 s idle timeout per client: the server echoes each line back and hangs up on a client that
 * stays silent for 5 s. `npm start -- echo` runs the server and two clients in one process.
 */
import {
  type Coroutine,
  createTask,
  run,
  type StreamReader,
  type StreamWriter,
  TimeoutError,
  timeout,
} from '../src/index.js';
import { openConnection, type ServerSocket, startServer } from '../src/node/index.js';

type Print = (line: string) => void;
const decode = (b: Uint8Array) => new TextDecoder().decode(b);

/** The server's handler: echo lines until the client ends or is idle for `idleMs`. */
export function handleEcho(print: Print, idleMs: number) {
  return function* (reader: StreamReader, writer: StreamWriter): Coroutine<void> {
    const addr = writer.getExtraInfo('peername');
    try {
      for (;;) {
        const data = yield* timeout(idleMs, function* () {
          return yield* reader.readline();
        });
        if (data.length === 0) break;
        const message = decode(data);
        print(`Received ${JSON.stringify(message)} from ${JSON.stringify(addr)}`);
        print(`Send: ${JSON.stringify(message)}`);
        writer.write(data);
        yield* writer.drain();
      }
    } catch (e) {
      if (!(e instanceof TimeoutError)) throw e;
      print(`Idle for ${idleMs / 1000} s: ${JSON.stringify(addr)}`);
    }
    print('Close the connection');
    writer.close();
    yield* writer.waitClosed();
  };
}

/** The client: send one line, print the echo, close. */
export function* tcpEchoClient(message: string, port: number, print: Print): Coroutine<void> {
  const [reader, writer] = yield* openConnection('127.0.0.1', port);
  print(`Send: ${JSON.stringify(message)}`);
  writer.write(`${message}\n`);
  yield* writer.drain();
  const data = yield* reader.readline();
  print(`Received: ${JSON.stringify(decode(data))}`);
  print('Close the connection');
  writer.close();
  yield* writer.waitClosed();
}

/** A client that connects and says nothing: the server hangs up after the idle timeout. */
export function* idleClient(port: number, print: Print): Coroutine<void> {
  const [reader, writer] = yield* openConnection('127.0.0.1', port);
  const rest = yield* reader.read(); // until the server closes
  print(`Idle client: the server closed the connection (${rest.length} bytes)`);
  writer.close();
  yield* writer.waitClosed();
}

/** The server, one talking client and one idle client; the server stops after both. */
export function* main(print: Print = console.log, idleMs = 5000, port = 8888): Coroutine<void> {
  const server = yield* startServer(handleEcho(print, idleMs), '127.0.0.1', port);
  const addrs = server.sockets.map((s) => JSON.stringify(s.getsockname())).join(', ');
  print(`Serving on ${addrs}`);
  const bound = (server.sockets[0] as ServerSocket).getsockname()[1] as number;
  const serving = createTask(server.serveForever());
  yield* tcpEchoClient('Hello World!', bound, print);
  yield* idleClient(bound, print);
  serving.cancel(); // serveForever closes the server and waits for it
  try {
    yield* serving;
  } catch {}
}

export function runEcho(): Promise<void> {
  return run(main(console.log, 5000, 0));
}
