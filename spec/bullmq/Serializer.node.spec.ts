import { jsonSerializer } from '../../src/bullmq/index.js';

describe('jsonSerializer (rx-asyncio/bullmq)', () => {
  it('round-trips JSON-safe values', () => {
    const value = [1, 'two', true, null, { a: [1.5, { b: 'c' }] }, Object.create(null)];
    expect(jsonSerializer.deserialize(jsonSerializer.serialize(value))).toEqual(
      JSON.parse(JSON.stringify(value)),
    );
  });

  it('refuses what JSON would change or drop, naming the path', () => {
    const cases: [unknown, RegExp][] = [
      [[undefined], /value\[0\] is undefined/],
      // biome-ignore lint/suspicious/noSparseArray: a hole is the point
      [[1, , 3], /value\[1\] is undefined \(or a hole\)/],
      [{ a: { b: undefined } }, /value\.a\.b is undefined, which JSON drops/],
      [[Number.NaN], /value\[0\] is NaN, which JSON turns into null/],
      [[Number.POSITIVE_INFINITY], /is Infinity/],
      [{ when: new Date(0) }, /value\.when is a Date/],
      [[new Map()], /value\[0\] is a Map/],
      [[new Uint8Array(2)], /is a Uint8Array/],
      [[() => 1], /is a function/],
      [[10n], /is a bigint \(10n\)/],
      [[Symbol('s')], /is a symbol/],
    ];
    for (const [value, message] of cases) {
      expect(() => jsonSerializer.serialize(value)).toThrowError(TypeError, message);
    }
  });

  it('refuses a cycle, but not the same object twice', () => {
    const shared = { x: 1 };
    expect(jsonSerializer.serialize([shared, shared])).toBe('[{"x":1},{"x":1}]');
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => jsonSerializer.serialize(cycle)).toThrowError(TypeError, /value\.self is a cycle/);
  });
});
