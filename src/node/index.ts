/**
 * rx-asyncio/node: asyncio's I/O on Node. TCP, unix socket and TLS streams (`openConnection`,
 * `startServer`, ...) and subprocesses (`createSubprocessExec`, ...). Kept out of the main entry so that a browser bundle never sees a `node:`
 * import; the platform-neutral `StreamReader` / `StreamWriter` are in `rx-asyncio`.
 *
 * @example
 * ```ts
 * import { run } from 'rx-asyncio';
 * import { openConnection } from 'rx-asyncio/node';
 * run(function* () {
 *   const [reader, writer] = yield* openConnection('127.0.0.1', 8888);
 *   writer.write('ping\n');
 *   console.log(yield* reader.readline());
 *   writer.close();
 * }());
 * ```
 * @module
 */

export {
  createSubprocessExec,
  createSubprocessShell,
  type SubprocessOptions,
} from './createSubprocess.js';
export {
  type OpenConnectionOptions,
  openConnection,
  openUnixConnection,
} from './openConnection.js';
export { Process } from './Process.js';
export {
  type ClientConnected,
  Server,
  type ServerSocket,
  type StartServerOptions,
  startServer,
  startUnixServer,
} from './Server.js';
export { DEVNULL, PIPE, STDOUT, type StdioSpec } from './stdio.js';
