/**
 * Stack traces name source files in Node; in a browser bundle they name the bundle (Chrome does
 * not apply source maps to `error.stack`), so a site can only be checked for being there.
 */
const inNode =
  typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node ===
  'string';

/** Expects a captured stack or site to point at `file` (in Node), or at least to exist. */
export function expectSiteIn(site: unknown, file: RegExp): void {
  expect(typeof site).toBe('string');
  if (inNode) expect(site as string).toMatch(file);
  else expect((site as string).length).toBeGreaterThan(0);
}
