/**
 * How job arguments and results travel through Redis, and the default: JSON, checked.
 * @module
 */

/**
 * Turns job arguments and results into text for Redis and back. The executor and every worker of
 * a queue must use the same one. `serialize` throws a `TypeError` for a value it cannot carry:
 * the executor calls it at submit time, so a bad argument fails at the call site.
 */
export interface Serializer {
  /** Text for `value`; throws a `TypeError` if `value` cannot travel. */
  serialize(value: unknown): string;
  /** The value `serialize` encoded. */
  deserialize(text: string): unknown;
}

/**
 * The default {@link Serializer}: JSON, refusing what JSON would silently change or drop
 * (`undefined`, `NaN`, `Infinity`), what it cannot carry (functions, symbols, bigints, cycles) and
 * class instances such as `Date`, `Map` or typed arrays, which would arrive as plain objects. The
 * `TypeError` names the path of the first such value, e.g. `args[1].when is a Date`.
 *
 * @example
 * ```ts
 * import { jsonSerializer } from 'rx-asyncio/bullmq';
 * console.log(jsonSerializer.serialize([1, { a: 'x' }])); // [1,{"a":"x"}]
 * try {
 *   jsonSerializer.serialize([new Date()]);
 * } catch (e) {
 *   console.log((e as TypeError).message); // value[0] is a Date, which JSON ...
 * }
 * ```
 */
export const jsonSerializer: Serializer = Object.freeze({
  serialize(value: unknown): string {
    checkJsonSafe(value, 'value', new Set());
    return JSON.stringify(value);
  },
  deserialize(text: string): unknown {
    return JSON.parse(text);
  },
});

function checkJsonSafe(value: unknown, path: string, seen: Set<object>): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (Number.isFinite(value)) return;
      throw unsafe(path, `${value}, which JSON turns into null`);
    case 'object':
      break;
    default:
      throw unsafe(path, `${describeKind(value)}, which JSON cannot carry`);
  }
  if (value === null) return;
  if (seen.has(value)) throw unsafe(path, 'a cycle (an object that contains itself)');
  const proto = Object.getPrototypeOf(value) as unknown;
  if (Array.isArray(value)) {
    seen.add(value);
    for (let i = 0; i < value.length; i++) {
      if (!(i in value) || value[i] === undefined) {
        throw unsafe(`${path}[${i}]`, 'undefined (or a hole), which JSON turns into null');
      }
      checkJsonSafe(value[i], `${path}[${i}]`, seen);
    }
    seen.delete(value);
    return;
  }
  if (proto !== Object.prototype && proto !== null) {
    const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
    throw unsafe(path, `a ${name}, which JSON does not carry as such`);
  }
  seen.add(value);
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined) throw unsafe(`${path}.${key}`, 'undefined, which JSON drops');
    checkJsonSafe(v, `${path}.${key}`, seen);
  }
  seen.delete(value);
}

function describeKind(value: unknown): string {
  if (typeof value === 'function') return `a function${value.name ? ` (${value.name})` : ''}`;
  if (typeof value === 'bigint') return `a bigint (${value}n)`;
  if (typeof value === 'symbol') return 'a symbol';
  return String(value);
}

function unsafe(path: string, what: string): TypeError {
  return new TypeError(
    `${path} is ${what}; only JSON-safe values (strings, finite numbers, booleans, null, plain ` +
      'objects and arrays of them) travel through Redis by default: convert it, or give the ' +
      'executor and its workers a `serializer` that carries it',
  );
}
