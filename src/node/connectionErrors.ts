import {
  BrokenPipeError,
  ConnectionAbortedError,
  ConnectionRefusedError,
  ConnectionResetError,
} from '../errors.js';

type Named = new (message: string, options?: { code?: string; cause?: unknown }) => Error;

const BY_CODE: Record<string, [Named, string]> = {
  ECONNRESET: [ConnectionResetError, 'the connection was reset by the peer'],
  EPIPE: [BrokenPipeError, 'the other end is closed (broken pipe): stop writing'],
  ECONNREFUSED: [
    ConnectionRefusedError,
    'nothing listens there: check the address, or retry later',
  ],
  ECONNABORTED: [ConnectionAbortedError, 'the connection was aborted'],
};

/**
 * @internal A Node system error as rx-asyncio's named connection error (`ECONNRESET` ->
 * `ConnectionResetError`, ...), keeping the original as `cause`; other errors are returned as they
 * are (Node's errors carry `code`, `errno` and `syscall`, as Python's `OSError`).
 */
export function connectionError(e: unknown, where: string): unknown {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return e;
  const named = BY_CODE[code];
  if (named === undefined) return e;
  const [Cls, text] = named;
  return new Cls(`${where}: ${text} (${code})`, { code, cause: e });
}
