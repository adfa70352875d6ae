/**
 * What a {@link StreamWriter} and a {@link StreamReader} need from the connection under them
 * (asyncio's `Transport`, cut to what streams use). rx-asyncio implements it over Node sockets and
 * pipes (`rx-asyncio/node`), over WHATWG and Node streams (`StreamReader.from`,
 * `StreamWriter.from`), and in memory (`connectionPair` in `rx-asyncio/marbles`). Implement it to
 * put streams over any other byte channel; report what happens through a {@link StreamProtocol}.
 *
 * @example
 * ```ts
 * import { StreamProtocol, type StreamTransport, StreamWriter } from 'rx-asyncio';
 * const sent: Uint8Array[] = [];
 * let closing = false;
 * const transport: StreamTransport = {
 *   write: (data) => { sent.push(data); },
 *   writeEof: () => {},
 *   canWriteEof: () => true,
 *   close: () => { closing = true; protocol.connectionLost(null); },
 *   abort: () => { closing = true; protocol.connectionLost(null); },
 *   isClosing: () => closing,
 *   pauseReading: () => {},
 *   resumeReading: () => {},
 *   getExtraInfo: () => undefined,
 * };
 * const protocol = new StreamProtocol(transport);
 * const writer = new StreamWriter(transport, protocol);
 * writer.write('hello');
 * ```
 */
export interface StreamTransport {
  /** Queues bytes for sending; never blocks. Report back-pressure with `protocol.pauseWriting()`. */
  write(data: Uint8Array): void;
  /** Half-closes: sends end-of-file after the queued bytes (if {@link canWriteEof}). */
  writeEof(): void;
  /** Whether {@link writeEof} is supported (not on TLS, as in asyncio). */
  canWriteEof(): boolean;
  /** Closes after the queued bytes are sent; then calls `protocol.connectionLost(null)`. */
  close(): void;
  /** Closes at once, dropping queued bytes; then calls `protocol.connectionLost(...)`. */
  abort(): void;
  /** True once {@link close} or {@link abort} was called or the connection was lost. */
  isClosing(): boolean;
  /** Stops delivering data until {@link resumeReading} (the reader's buffer is over its limit). */
  pauseReading(): void;
  /** Delivers data again. */
  resumeReading(): void;
  /** Optional information: `'peername'`, `'sockname'`, `'socket'`, `'peercert'`, ... */
  getExtraInfo(name: string): unknown;
}
