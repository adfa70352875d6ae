import { describe } from '../kernel/Awaitable.js';

/**
 * @internal Validates a count argument (a semaphore's value, a barrier's parties, a queue's
 * maxsize): an integer at least `min`.
 * @throws {TypeError} for a non-number; {RangeError} for NaN, a fraction, Infinity or `< min`.
 */
export function checkCount(what: string, value: unknown, min: number): number {
  if (typeof value !== 'number') {
    throw new TypeError(`${what} must be an integer, got ${describe(value)}`);
  }
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`${what} must be an integer >= ${min}, got ${value}`);
  }
  return value;
}
