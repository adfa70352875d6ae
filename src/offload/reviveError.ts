import * as rxioErrors from '../errors.js';

/** @internal An error as it crosses from a worker (see workerSource). */
export interface WireError {
  name: string;
  className: string;
  message: string;
  stack?: string;
  code?: string;
}

type ErrorClass = new (message?: string) => Error;

// Classes a worker's error can be rebuilt as, so `instanceof` works in the caller: the built-ins
// and every error class rx-asyncio defines (read from errors.ts, so a new one needs no entry here).
const KNOWN: Record<string, ErrorClass> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};
for (const [name, value] of Object.entries(rxioErrors)) {
  // Only classes built from a message alone (ExceptionGroup also needs its errors).
  if (typeof value === 'function' && value.prototype instanceof Error && value.length <= 1) {
    KNOWN[name] = value as unknown as ErrorClass;
  }
}

/**
 * @internal Rebuilds a worker's error in the caller: same class when it is a built-in or an rx-asyncio
 * error, else an `Error` whose `name` is the worker's class name; same message; the worker's
 * stack (which names the worker-side frames) followed by the caller-side marker.
 */
export function reviveError(wire: WireError, jobName: string): Error {
  const byClass = wire.className === 'Error' ? undefined : KNOWN[wire.className];
  const cls = byClass ?? KNOWN[wire.name] ?? Error;
  const error = new cls(wire.message);
  const name = wire.name === 'Error' && wire.className !== 'Error' ? wire.className : wire.name;
  if (error.name !== name) {
    Object.defineProperty(error, 'name', { value: name, configurable: true, writable: true });
  }
  if (wire.code !== undefined) (error as { code?: string }).code = wire.code;
  const stack = wire.stack ?? `${name}: ${wire.message}`;
  error.stack = `${stack}\n    at <worker thread> (job ${jobName})`;
  return error;
}
