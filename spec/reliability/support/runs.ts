/**
 * How many cases a property runs: `base` inside `npm test`, scaled by RXIO_PROPERTY_SCALE (set by
 * `npm run test:stress`) in Node. Browsers have no `process`, so they always run `base`.
 */
export function propertyRuns(base: number): number {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env;
  const scale = Number(env?.RXIO_PROPERTY_SCALE ?? '1');
  return Number.isFinite(scale) && scale > 0 ? Math.round(base * scale) : base;
}
