import { showPart } from './deepEqual.js';

/** @internal A short text for a value in dumps and legends. */
export function showValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof Error) return `${v.name}(${JSON.stringify(v.message)})`;
  // What JSON would hide or flatten (a Map prints as {}): show its type and content.
  if (
    typeof v === 'bigint' ||
    Object.is(v, -0) ||
    v instanceof Map ||
    v instanceof Set ||
    v instanceof Date ||
    v instanceof RegExp ||
    ArrayBuffer.isView(v)
  ) {
    return showPart(v);
  }
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s;
  } catch {
    return String(v);
  }
}
