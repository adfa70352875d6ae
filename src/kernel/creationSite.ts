/**
 * Turns a stack captured inside rx-asyncio (a task's creation, a `cancel()` call) into the place in
 * user code it points at: the first frame outside rx-asyncio's `src/` folder.
 *
 * @module
 */

/** @internal The first frame of `stack` outside rx-asyncio's own sources, as `file:line:col` text. */
export function creationSite(stack: string): string {
  const frames = stack
    .split('\n')
    .slice(1)
    .map((f) => f.trim().replace(/^at /, ''));
  const root = srcRoot(frames[0] ?? '');
  // The testing kit (marbles/, beside src/) runs user scenarios: its frames are not the user's.
  const kit = root?.replace(/src([\\/])$/, 'marbles$1') ?? null;
  const user = frames.find(
    (f) => root === null || !(f.includes(root) || f.includes(kit as string)),
  );
  return user ?? frames[0] ?? '(unknown)';
}

/** rx-asyncio's `src/` folder, found from the innermost frame (which is always inside rx-asyncio). */
function srcRoot(frame: string): string | null {
  const m = /^(.*?[\\/]src[\\/])(kernel|diagnostics|tasks|timing|runners|sync|queues)[\\/]/.exec(
    frame.replace(/^.*?\(/, ''),
  );
  return m?.[1] ?? null;
}
