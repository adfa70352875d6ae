/**
 * The one value equality of the testing kit, with the semantics of Node's
 * `util.isDeepStrictEqual`, in any JavaScript runtime (no `node:util`).
 *
 * Why our own: no small library matched the oracle. Checked against `util.isDeepStrictEqual` on
 * 2026-12-02: `deep-eql` 5 ignores prototypes, array holes, extra array properties and null
 * prototypes; `deep-equal` 2 (strict) ignores symbol keys and boxed primitives' values;
 * `@observ33r/object-equals` equates `-0` and `0`, misses symbol keys and holes and throws on
 * cycles; `dequal` and `fast-deep-equal` do not look at prototypes, `-0` or symbol keys at all.
 * spec/marbles/deepEqual.node.spec.ts holds this module to the oracle on generated values.
 *
 * @module
 */

/** Where two values first differ, found by {@link firstDifference}. */
export interface Difference {
  /** A path from the compared values to the differing part, e.g. `$.users[2].name`. */
  readonly path: string;
  /** What differs there, e.g. "values differ", "prototypes differ", "key missing on the right". */
  readonly reason: string;
  /** The left value's part at `path` (undefined for a missing key). */
  readonly left: unknown;
  /** The right value's part at `path` (undefined for a missing key). */
  readonly right: unknown;
}

/**
 * True if `a` and `b` are deeply and strictly equal, as Node's `util.isDeepStrictEqual` says:
 * primitives by `Object.is` (`NaN` equals `NaN`, `-0` differs from `0`); objects need the same
 * prototype and type tag and the same own enumerable string and symbol keys with equal values;
 * `Map` and `Set` entries are matched regardless of order (object keys and members deeply);
 * `Date` by time, `RegExp` by source, flags and `lastIndex`, typed arrays and buffers by bytes,
 * boxed primitives by value, errors also by `name` and `message`; array holes differ from
 * `undefined`; cycles are followed.
 *
 * @example
 * ```ts
 * import { deepEqual } from 'rx-asyncio/marbles';
 * deepEqual(new Map([[1, { a: [1] }]]), new Map([[1, { a: [1] }]])); // true
 * deepEqual(new Date(1), new Date(2)); // false
 * deepEqual(-0, 0); // false
 * ```
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  return firstDifference(a, b) === null;
}

/**
 * Where `left` and `right` first differ (depth first, keys in the left value's order), or null
 * if they are {@link deepEqual}. The testing kit's mismatch messages print it.
 *
 * @example
 * ```ts
 * import { firstDifference } from 'rx-asyncio/marbles';
 * const d = firstDifference({ user: { tags: ['a', 'b'] } }, { user: { tags: ['a', 'c'] } });
 * d?.path; // '$.user.tags[1]'
 * ```
 */
export function firstDifference(left: unknown, right: unknown): Difference | null {
  return new Comparison().diff(left, right, '$');
}

const toTag = (v: object): string => Object.prototype.toString.call(v);
const isIndex = (k: string): boolean => /^(?:0|[1-9]\d*)$/.test(k);

function ownKeys(o: object, skipIndices: boolean): PropertyKey[] {
  const keys: PropertyKey[] = Object.keys(o).filter((k) => !(skipIndices && isIndex(k)));
  for (const s of Object.getOwnPropertySymbols(o)) {
    if (Object.prototype.propertyIsEnumerable.call(o, s)) keys.push(s);
  }
  return keys;
}

function keyPath(path: string, key: PropertyKey): string {
  if (typeof key === 'symbol') return `${path}[${String(key)}]`;
  if (typeof key === 'number') return `${path}[${key}]`;
  if (isIndex(key)) return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** A short text for a Map key or Set member in a path. */
function brief(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'symbol' || typeof v === 'function') return String(v);
  if (typeof v !== 'object' || v === null) return Object.is(v, -0) ? '-0' : String(v);
  try {
    const s = JSON.stringify(v);
    if (s !== undefined && s.length <= 40) return s;
  } catch {
    // a cycle: fall through
  }
  return toTag(v).slice(8, -1);
}

function bytesOf(v: ArrayBufferView | ArrayBuffer | SharedArrayBuffer): Uint8Array {
  return ArrayBuffer.isView(v)
    ? new Uint8Array(v.buffer, v.byteOffset, v.byteLength)
    : new Uint8Array(v);
}

const BOXED_TAGS = new Set([
  '[object Number]',
  '[object String]',
  '[object Boolean]',
  '[object BigInt]',
  '[object Symbol]',
]);

class Comparison {
  // Pairs being compared further up the stack: meeting one again is a cycle, taken as equal
  // there (the rest of both structures still decides).
  private readonly active = new Map<object, Set<object>>();

  diff(a: unknown, b: unknown, path: string): Difference | null {
    if (Object.is(a, b)) return null;
    const at = (reason: string, left: unknown = a, right: unknown = b): Difference => ({
      path,
      reason,
      left,
      right,
    });
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
      return at(typeof a === typeof b ? 'values differ' : 'types differ');
    }
    if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return at('prototypes differ');
    if (toTag(a) !== toTag(b)) return at('types differ');
    const seen = this.active.get(a);
    if (seen?.has(b)) return null;
    if (seen) seen.add(b);
    else this.active.set(a, new Set([b]));
    try {
      return this.structure(a, b, path, at);
    } finally {
      this.active.get(a)?.delete(b);
    }
  }

  private structure(
    a: object,
    b: object,
    path: string,
    at: (reason: string, left?: unknown, right?: unknown) => Difference,
  ): Difference | null {
    const tag = toTag(a);
    let skipIndices = false;
    if (Array.isArray(a)) {
      if (a.length !== (b as unknown[]).length) return at('array lengths differ');
    } else if (
      ArrayBuffer.isView(a) ||
      a instanceof ArrayBuffer ||
      tag === '[object SharedArrayBuffer]'
    ) {
      const x = bytesOf(a as ArrayBuffer);
      const y = bytesOf(b as ArrayBuffer);
      if (x.length !== y.length) return at('byte lengths differ');
      for (let i = 0; i < x.length; i++) {
        if (x[i] !== y[i]) return at(`bytes differ at byte ${i}`);
      }
      skipIndices = true;
    } else if (a instanceof Date) {
      // `!==` as Node does: two invalid dates (NaN) differ.
      if (a.getTime() !== (b as Date).getTime()) return at('dates differ');
    } else if (a instanceof RegExp) {
      const r = b as RegExp;
      if (a.source !== r.source || a.flags !== r.flags || a.lastIndex !== r.lastIndex) {
        return at('regular expressions differ');
      }
    } else if (BOXED_TAGS.has(tag)) {
      if (!Object.is(a.valueOf(), b.valueOf())) return at('boxed values differ');
      if (tag === '[object String]') skipIndices = true;
    } else if (a instanceof Error) {
      const e = b as Error;
      if (a.name !== e.name) return at('error names differ', a.name, e.name);
      if (a.message !== e.message) return at('error messages differ', a.message, e.message);
    }
    const d = this.keys(a, b, path, skipIndices);
    if (d) return d;
    if (a instanceof Map) return this.maps(a, b as Map<unknown, unknown>, path, at);
    if (a instanceof Set) return this.sets(a, b as Set<unknown>, path, at);
    return null;
  }

  private keys(a: object, b: object, path: string, skipIndices: boolean): Difference | null {
    const ka = ownKeys(a, skipIndices);
    const kb = ownKeys(b, skipIndices);
    const inB = new Set(kb);
    for (const k of ka) {
      if (!inB.has(k)) {
        return {
          path: keyPath(path, k),
          reason: 'key missing on the right',
          left: (a as never)[k],
          right: undefined,
        };
      }
    }
    if (kb.length !== ka.length) {
      const inA = new Set(ka);
      const extra = kb.find((k) => !inA.has(k)) as PropertyKey;
      return {
        path: keyPath(path, extra),
        reason: 'key missing on the left',
        left: undefined,
        right: (b as never)[extra],
      };
    }
    for (const k of ka) {
      const d = this.diff((a as never)[k], (b as never)[k], keyPath(path, k));
      if (d) return d;
    }
    return null;
  }

  private maps(
    a: Map<unknown, unknown>,
    b: Map<unknown, unknown>,
    path: string,
    at: (reason: string, left?: unknown, right?: unknown) => Difference,
  ): Difference | null {
    if (a.size !== b.size) return at('map sizes differ');
    const unmatched: unknown[] = []; // object keys of `b` not yet paired with one of `a`
    for (const k of b.keys()) if (typeof k === 'object' && k !== null) unmatched.push(k);
    for (const [k, v] of a) {
      const entry = `${path}.get(${brief(k)})`;
      if (typeof k !== 'object' || k === null) {
        if (!b.has(k))
          return { path: entry, reason: 'key missing on the right', left: v, right: undefined };
        const d = this.diff(v, b.get(k), entry);
        if (d) return d;
        continue;
      }
      if (b.has(k)) {
        // The same object key on both sides pairs with itself.
        const i = unmatched.indexOf(k);
        if (i >= 0) {
          unmatched.splice(i, 1);
          const d = this.diff(v, b.get(k), entry);
          if (d) return d;
          continue;
        }
      }
      const i = unmatched.findIndex((bk) => this.equal(k, bk) && this.equal(v, b.get(bk)));
      if (i < 0)
        return { path: entry, reason: 'no equal entry on the right', left: v, right: undefined };
      unmatched.splice(i, 1);
    }
    return null;
  }

  private sets(
    a: Set<unknown>,
    b: Set<unknown>,
    path: string,
    at: (reason: string, left?: unknown, right?: unknown) => Difference,
  ): Difference | null {
    if (a.size !== b.size) return at('set sizes differ');
    const unmatched: unknown[] = [];
    for (const m of b) if (typeof m === 'object' && m !== null && !a.has(m)) unmatched.push(m);
    for (const m of a) {
      if (b.has(m)) continue;
      const member = `${path}.has(${brief(m)})`;
      if (typeof m !== 'object' || m === null) {
        return { path: member, reason: 'member missing on the right', left: m, right: undefined };
      }
      const i = unmatched.findIndex((bm) => this.equal(m, bm));
      if (i < 0)
        return { path: member, reason: 'no equal member on the right', left: m, right: undefined };
      unmatched.splice(i, 1);
    }
    return null;
  }

  private equal(a: unknown, b: unknown): boolean {
    return this.diff(a, b, '') === null;
  }
}

/**
 * @internal One line for a mismatch message: where, why, and both sides, e.g.
 * `at $.tags[1] (values differ): expected "b", actual "c"`.
 */
export function describeDifference(
  d: Difference,
  labels: readonly [string, string] = ['expected', 'actual'],
): string {
  const side = (v: unknown, key: 'left' | 'right'): string =>
    v === undefined && d.reason.startsWith(`key missing on the ${key}`)
      ? '(no such key)'
      : showPart(v);
  return (
    `at ${d.path} (${d.reason}): ${labels[0]} ${side(d.left, 'left')}, ` +
    `${labels[1]} ${side(d.right, 'right')}`
  );
}

/** @internal A compact, type-revealing text for a value in a difference (depth-limited). */
export function showPart(v: unknown, depth = 2): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'function') return `[Function ${v.name || '(anonymous)'}]`;
  if (typeof v !== 'object' || v === null) return String(v);
  if (depth < 0) return toTag(v).slice(8, -1);
  const inner = (x: unknown): string => showPart(x, depth - 1);
  if (v instanceof Date) return `Date(${Number.isNaN(v.getTime()) ? 'Invalid' : v.toISOString()})`;
  if (v instanceof RegExp) return String(v);
  if (v instanceof Error) return `${v.name}(${JSON.stringify(v.message)})`;
  if (v instanceof Map) {
    return `Map(${v.size}) {${[...v].map(([k, x]) => `${inner(k)} => ${inner(x)}`).join(', ')}}`;
  }
  if (v instanceof Set) return `Set(${v.size}) {${[...v].map(inner).join(', ')}}`;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    return `${toTag(v).slice(8, -1)} [${Array.from(v as unknown as ArrayLike<unknown>, inner).join(', ')}]`;
  }
  if (Array.isArray(v)) {
    const items: string[] = [];
    for (let i = 0; i < v.length; i++) items.push(i in v ? inner(v[i]) : '<hole>');
    return `[${items.join(', ')}]`;
  }
  const proto = Object.getPrototypeOf(v);
  const name =
    proto === null
      ? '[null prototype] '
      : proto === Object.prototype
        ? ''
        : `${proto.constructor?.name ?? toTag(v).slice(8, -1)} `;
  const body = ownKeys(v, false).map(
    (k) => `${typeof k === 'symbol' ? `[${String(k)}]` : k}: ${inner((v as never)[k])}`,
  );
  return `${name}{${body.join(', ')}}`;
}
