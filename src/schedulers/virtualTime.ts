/**
 * Recognising RxJS's virtual-time schedulers without importing `VirtualTimeScheduler`.
 *
 * @module
 */

/**
 * @internal True if `scheduler` is an RxJS `VirtualTimeScheduler` (a `TestScheduler` is one), or
 * looks like one: a `flush()` method and numeric `frame` and `maxFrames`.
 *
 * Why by shape and not `instanceof`: an `instanceof` test pulls `VirtualTimeScheduler` and its
 * `VirtualAction` into every bundle that calls `run()` (1.3 KB minified), though only tests use
 * them; and a program whose bundle holds a second copy of rxjs has a second class, which
 * `instanceof` would not recognise.
 */
export function isVirtualTimeScheduler(scheduler: unknown): boolean {
  if (typeof scheduler !== 'object' || scheduler === null) return false;
  const s = scheduler as { flush?: unknown; frame?: unknown; maxFrames?: unknown };
  return (
    typeof s.flush === 'function' && typeof s.frame === 'number' && typeof s.maxFrames === 'number'
  );
}
