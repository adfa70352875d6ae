import { describe } from '../kernel/Awaitable.js';

type Primitive = number | bigint | string | boolean;

function isOrderedPrimitive(x: unknown): x is Primitive {
  const t = typeof x;
  return t === 'number' || t === 'bigint' || t === 'string' || t === 'boolean';
}

function sameKind(a: Primitive, b: Primitive): boolean {
  const numeric = (x: Primitive) => typeof x !== 'string';
  return numeric(a) === numeric(b);
}

/**
 * The default order of a {@link PriorityQueue}, modelled on Python's comparison of priorities:
 * numbers (and bigints, booleans) numerically, strings by UTF-16 code units, arrays element by
 * element like tuples (a prefix comes first), so `[priority, data]` entries work as in Python.
 * Anything else, or a mix such as a number against a string, is not ordered.
 *
 * @returns negative if `a` comes first, positive if `b` does, 0 if they tie.
 * @throws {TypeError} for values it cannot order (as Python does): pass `{ compare }` to
 * {@link PriorityQueue} to order other values.
 * @example
 * ```ts
 * import { compareItems } from 'rx-asyncio';
 * console.log(compareItems([1, 'b'], [1, 'a']) > 0); // true
 * ```
 */
export function compareItems(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (Number.isNaN(a) || Number.isNaN(b)) throw nanError();
  if (isOrderedPrimitive(a) && isOrderedPrimitive(b) && sameKind(a, b)) {
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const c = compareItems(a[i], b[i]);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  throw new TypeError(
    `PriorityQueue: cannot order ${describe(a)} and ${describe(b)}; use numbers, strings or ` +
      'arrays of them as priorities, or pass { compare } to the PriorityQueue',
  );
}

function nanError(): RangeError {
  return new RangeError(
    'PriorityQueue: NaN cannot be ordered (it is neither smaller nor larger than any number); ' +
      'check how the priority was computed',
  );
}

/** @internal Refuses an item holding NaN (at any depth of its arrays) before it is stored. */
export function checkOrderable(item: unknown): void {
  if (Number.isNaN(item)) throw nanError();
  if (Array.isArray(item)) for (const x of item) checkOrderable(x);
}
