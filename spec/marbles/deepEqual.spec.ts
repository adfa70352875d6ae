// The kit's deep equality on fixed cases, in Node and Chromium (the Node-only spec checks the
// same cases and generated ones against util.isDeepStrictEqual).
import { deepEqual, firstDifference } from '../../marbles/index.js';
import { EQUALITY_CASES } from './deepEqualCases.js';

describe('marbles deepEqual (isDeepStrictEqual semantics, any runtime)', () => {
  for (const c of EQUALITY_CASES) {
    it(`${c.name}: ${c.equal ? 'equal' : 'not equal'}`, () => {
      expect(deepEqual(c.a(), c.b())).toBe(c.equal);
      expect(deepEqual(c.b(), c.a())).toBe(c.equal);
      expect(firstDifference(c.a(), c.b()) === null).toBe(c.equal);
    });
  }

  it('names the path where two values differ, and both sides', () => {
    const d = firstDifference(
      { users: [{ name: 'ada', tags: ['x', 'y'] }] },
      { users: [{ name: 'ada', tags: ['x', 'z'] }] },
    );
    expect(d).toEqual({
      path: '$.users[0].tags[1]',
      reason: 'values differ',
      left: 'y',
      right: 'z',
    });
  });

  it('names a Map entry, a missing key and a prototype mismatch', () => {
    expect(firstDifference(new Map([['k', { v: 1 }]]), new Map([['k', { v: 2 }]]))?.path).toBe(
      '$.get("k").v',
    );
    expect(firstDifference({ a: 1, b: 2 }, { a: 1 })).toEqual({
      path: '$.b',
      reason: 'key missing on the right',
      left: 2,
      right: undefined,
    });
    expect(firstDifference([new Date(1)], [new Date(2)])?.reason).toBe('dates differ');
    expect(firstDifference({ p: Object.create(null) }, { p: {} })).toEqual(
      jasmine.objectContaining({ path: '$.p', reason: 'prototypes differ' }),
    );
  });
});
