// The kit's deep equality against the oracle, Node's util.isDeepStrictEqual: the fixed cases, and
// generated pairs (fast-check), both independent ones and structurally equal twins.
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { deepEqual } from '../../marbles/index.js';
import { EQUALITY_CASES } from './deepEqualCases.js';

// Everything fc.anything can make: Maps, Sets, Dates, typed arrays, bigints, boxed values,
// null prototypes, sparse arrays, -0 and NaN.
const value = fc.anything({
  maxDepth: 3,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
});

function agrees(a: unknown, b: unknown): boolean {
  return deepEqual(a, b) === isDeepStrictEqual(a, b) && deepEqual(b, a) === isDeepStrictEqual(b, a);
}

describe('marbles deepEqual vs util.isDeepStrictEqual (oracle)', () => {
  it('states the oracle’s answer on every fixed case', () => {
    for (const c of EQUALITY_CASES) {
      expect(`${c.name}: ${isDeepStrictEqual(c.a(), c.b())}`).toBe(`${c.name}: ${c.equal}`);
    }
  });

  it('agrees on independent generated values', () => {
    fc.assert(fc.property(value, value, agrees), { numRuns: 500 });
  });

  it('agrees on structurally equal twins (same seed, distinct objects)', () => {
    fc.assert(
      fc.property(fc.clone(value, 2), ([a, b]) => agrees(a, b)),
      { numRuns: 500 },
    );
  });

  it('agrees on a value and its structured clone (prototypes, boxes and holes may change)', () => {
    fc.assert(
      fc.property(value, (a) => {
        let b: unknown;
        try {
          b = structuredClone(a);
        } catch {
          return true; // not cloneable (symbols): nothing to compare
        }
        return agrees(a, b);
      }),
      { numRuns: 500 },
    );
  });

  it('agrees on a value and a twin with one leaf changed', () => {
    const twinWithEdit = fc.tuple(fc.clone(value, 2), fc.anything()).map(([[a, b], leaf]) => {
      if (typeof b === 'object' && b !== null) {
        const keys = Reflect.ownKeys(b);
        const k = keys[keys.length - 1];
        if (k !== undefined) {
          try {
            (b as Record<PropertyKey, unknown>)[k] = leaf;
          } catch {
            // frozen or read-only: leave as is
          }
        }
      }
      return [a, b] as const;
    });
    fc.assert(
      fc.property(twinWithEdit, ([a, b]) => agrees(a, b)),
      { numRuns: 500 },
    );
  });
});
