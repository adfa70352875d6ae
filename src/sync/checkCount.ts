import { ValueError } from '../errors.js';
import { describe } from '../kernel/Awaitable.js';

/**
 * @internal Validates a count argument (a semaphore's value, a barrier's parties, a queue's
 * maxsize): an integer at least `min`.
 * @throws {TypeError} for a non-number; {ValueError} (a `RangeError`) for NaN, a fraction,
 * Infinity or `< min` (asyncio raises `ValueError` for a negative semaphore value or barrier size).
 */
export function checkCount(what: string, value: unknown, min: number): number {
  if (typeof value !== 'number') {
    throw new TypeError(`${what} must be an integer, got ${describe(value)}`);
  }
  if (!Number.isInteger(value) || value < min) {
    throw new ValueError(`${what} must be an integer >= ${min}, got ${value}`);
  }
  return value;
}
