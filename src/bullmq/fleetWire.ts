/**
 * @internal What an rx-asyncio job looks like inside BullMQ, shared by the executor and the
 * workers: the job's data names a module and an export (never code) and carries the serialized
 * arguments; a failure's reason carries the error's class, message and stack.
 * @module
 */
import type { WireError } from '../offload/reviveError.js';

/** @internal A job's `data`: which allowlisted function to run, and its serialized arguments. */
export interface FleetJobData {
  /** A module's name in the workers' allowlist (or its URL, matched against the allowlist). */
  readonly module: string;
  /** The export to call. */
  readonly export: string;
  /** The argument array, as the serializer wrote it. */
  readonly args: string;
}

/** @internal The Relay topic prefix on which executors ask workers to abort a running job. */
export function cancelTopic(prefix: string, queueName: string): string {
  // Relay topics are dot-separated segments: keep each name one segment of safe characters.
  return `rx-asyncio.${segment(prefix)}.${segment(queueName)}.cancel`;
}

function segment(name: string): string {
  return Array.from(name, (ch) =>
    /[A-Za-z0-9_-]/.test(ch) ? ch : `~${ch.codePointAt(0)?.toString(16)}`,
  ).join('');
}

/** @internal A job that was cancelled by its caller fails with this reason. */
export const CANCELLED_REASON = 'rx-asyncio: cancelled by the caller';

const MARK = 'rx-asyncio error ';

/** @internal An error as a failed job's reason: readable first line, then the details as JSON. */
export function encodeFailure(error: unknown): string {
  const wire = toWireError(error);
  return `${MARK}${JSON.stringify(wire)}`;
}

/** @internal The error inside a failed job's reason, or undefined if BullMQ itself failed it. */
export function decodeFailure(reason: string): WireError | undefined {
  if (!reason.startsWith(MARK)) return undefined;
  try {
    const wire = JSON.parse(reason.slice(MARK.length)) as Partial<WireError>;
    if (typeof wire.className !== 'string' || typeof wire.message !== 'string') return undefined;
    return {
      name: typeof wire.name === 'string' ? wire.name : wire.className,
      className: wire.className,
      message: wire.message,
      ...(typeof wire.stack === 'string' ? { stack: wire.stack } : {}),
      ...(typeof wire.code === 'string' ? { code: wire.code } : {}),
    };
  } catch {
    return undefined; // a reason that only looks like ours: reported as BullMQ's own text
  }
}

/** @internal Class name, name, message, stack and code of whatever a job threw. */
export function toWireError(e: unknown): WireError {
  if (e !== null && typeof e === 'object' && 'message' in e) {
    const ctor = (e as { constructor?: { name?: unknown } }).constructor;
    const className = typeof ctor?.name === 'string' && ctor.name !== '' ? ctor.name : 'Error';
    const { name, message, stack, code } = e as {
      name?: unknown;
      message: unknown;
      stack?: unknown;
      code?: unknown;
    };
    return {
      name: typeof name === 'string' && name !== '' ? name : className,
      className,
      message: String(message),
      ...(typeof stack === 'string' ? { stack } : {}),
      ...(typeof code === 'string' ? { code } : {}),
    };
  }
  return {
    name: 'Error',
    className: 'Error',
    message: `the job threw a non-Error value: ${String(e)}`,
  };
}
