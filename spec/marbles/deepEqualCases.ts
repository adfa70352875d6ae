/**
 * Fixed cases for the kit's deep equality, with what Node's `util.isDeepStrictEqual` answers
 * (checked against it in deepEqual.node.spec.ts; run as they are in Chromium by deepEqual.spec.ts).
 */
export interface EqualityCase {
  readonly name: string;
  readonly a: () => unknown;
  readonly b: () => unknown;
  readonly equal: boolean;
}

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

const key = Symbol('key');

function cyclic(): unknown {
  const o: Record<string, unknown> = { a: 1 };
  o.self = o;
  return o;
}

function withExtra<T extends object>(o: T, extra: Record<string, unknown>): T {
  return Object.assign(o, extra);
}

export const EQUALITY_CASES: readonly EqualityCase[] = [
  { name: 'NaN equals NaN', a: () => Number.NaN, b: () => Number.NaN, equal: true },
  { name: '-0 differs from 0', a: () => -0, b: () => 0, equal: false },
  {
    name: 'a Map with an entry vs an empty Map',
    a: () => new Map([[1, 2]]),
    b: () => new Map(),
    equal: false,
  },
  {
    name: 'Maps with equal entries in another order',
    a: () =>
      new Map([
        [1, 'a'],
        [2, 'b'],
      ]),
    b: () =>
      new Map([
        [2, 'b'],
        [1, 'a'],
      ]),
    equal: true,
  },
  {
    name: 'Maps with deeply equal object keys',
    a: () => new Map([[{ k: 1 }, [1]]]),
    b: () => new Map([[{ k: 1 }, [1]]]),
    equal: true,
  },
  {
    name: 'Maps whose values differ',
    a: () => new Map([['k', { v: 1 }]]),
    b: () => new Map([['k', { v: 2 }]]),
    equal: false,
  },
  {
    name: 'Map keys -0 and 0 are one key',
    a: () => new Map([[-0, 1]]),
    b: () => new Map([[0, 1]]),
    equal: true,
  },
  {
    name: 'Sets with different members',
    a: () => new Set([1]),
    b: () => new Set([2]),
    equal: false,
  },
  {
    name: 'Sets of deeply equal objects',
    a: () => new Set([{ a: 1 }, { a: 2 }]),
    b: () => new Set([{ a: 2 }, { a: 1 }]),
    equal: true,
  },
  {
    name: 'Sets of NaN',
    a: () => new Set([Number.NaN]),
    b: () => new Set([Number.NaN]),
    equal: true,
  },
  { name: 'Dates at different times', a: () => new Date(1), b: () => new Date(2), equal: false },
  { name: 'Dates at the same time', a: () => new Date(1), b: () => new Date(1), equal: true },
  {
    name: 'a Date with an extra property',
    a: () => withExtra(new Date(1), { x: 1 }),
    b: () => new Date(1),
    equal: false,
  },
  { name: 'RegExps with different flags', a: () => /a/g, b: () => /a/i, equal: false },
  { name: 'RegExps alike', a: () => /a+/g, b: () => /a+/g, equal: true },
  {
    name: 'typed arrays of different types',
    a: () => new Uint8Array([1]),
    b: () => new Int8Array([1]),
    equal: false,
  },
  {
    name: 'typed arrays with different bytes',
    a: () => new Float64Array([0]),
    b: () => new Float64Array([-0]),
    equal: false,
  },
  {
    name: 'typed arrays alike',
    a: () => new Uint16Array([1, 2]),
    b: () => new Uint16Array([1, 2]),
    equal: true,
  },
  {
    name: 'ArrayBuffers alike',
    a: () => new Uint8Array([1, 2]).buffer,
    b: () => new Uint8Array([1, 2]).buffer,
    equal: true,
  },
  {
    name: 'a class instance vs a plain object',
    a: () => new Point(1, 2),
    b: () => ({ x: 1, y: 2 }),
    equal: false,
  },
  {
    name: 'instances of one class alike',
    a: () => new Point(1, 2),
    b: () => new Point(1, 2),
    equal: true,
  },
  {
    name: 'a null-prototype object vs a plain one',
    a: () => Object.create(null),
    b: () => ({}),
    equal: false,
  },
  {
    name: 'symbol keys with different values',
    a: () => ({ [key]: 1 }),
    b: () => ({ [key]: 2 }),
    equal: false,
  },
  { name: 'a symbol key on one side only', a: () => ({ [key]: 1 }), b: () => ({}), equal: false },
  {
    name: 'an undefined property vs none',
    a: () => ({ a: undefined }),
    b: () => ({}),
    equal: false,
  },
  {
    name: 'key order does not matter',
    a: () => ({ a: 1, b: 2 }),
    b: () => ({ b: 2, a: 1 }),
    equal: true,
  },
  {
    name: 'an array hole vs undefined',
    a: () => new Array<number>(2).fill(1, 1),
    b: () => [undefined, 1],
    equal: false,
  },
  {
    name: 'an array with an extra property',
    a: () => withExtra([1], { extra: 2 }),
    b: () => [1],
    equal: false,
  },
  { name: 'an object vs an array', a: () => ({}), b: () => [], equal: false },
  {
    name: 'boxed numbers with different values',
    a: () => Object(1),
    b: () => Object(2),
    equal: false,
  },
  { name: 'a boxed number vs a number', a: () => Object(1), b: () => 1, equal: false },
  { name: 'boxed strings alike', a: () => Object('ab'), b: () => Object('ab'), equal: true },
  {
    name: 'errors with different messages',
    a: () => new Error('a'),
    b: () => new Error('b'),
    equal: false,
  },
  {
    name: 'errors of different classes',
    a: () => new TypeError('a'),
    b: () => new Error('a'),
    equal: false,
  },
  { name: 'errors alike', a: () => new RangeError('a'), b: () => new RangeError('a'), equal: true },
  { name: 'cycles of the same shape', a: cyclic, b: cyclic, equal: true },
  {
    name: 'non-enumerable properties are ignored',
    a: () => Object.defineProperty({}, 'a', { value: 1 }),
    b: () => ({}),
    equal: true,
  },
  { name: 'bigints', a: () => 10n, b: () => 10n, equal: true },
  {
    name: 'nested difference deep inside',
    a: () => ({ users: [{ tags: new Set(['a']) }] }),
    b: () => ({ users: [{ tags: new Set(['b']) }] }),
    equal: false,
  },
];
