// Shared by the spec/tasks and spec/timing specs (not a spec itself).
import { type Coroutine, getRunningLoop, sleep } from '../../src/index.js';

/**
 * Counts loop iterations: a callback that re-queues itself once per iteration. Start it before
 * the code being measured so it runs first in each iteration; stop it before main returns.
 */
export function startTicks(): { now(): number; stop(): void } {
  const loop = getRunningLoop();
  let n = 0;
  let on = true;
  const tick = (): void => {
    if (!on) return;
    n++;
    loop.callSoon(tick);
  };
  loop.callSoon(tick);
  return {
    now: () => n,
    stop: () => {
      on = false;
    },
  };
}

/** The loop's time, for timelines. */
export function now(): number {
  return getRunningLoop().time();
}

/** Returns `value` after `n` loop iterations (`n` times `sleep(0)`). */
export function* yieldsThen<T>(n: number, value: T): Coroutine<T> {
  for (let i = 0; i < n; i++) yield* sleep(0);
  return value;
}

/** Raises `Error('bad')` after `n` loop iterations. */
export function* yieldsThenFails(n: number): Coroutine<never> {
  yield* yieldsThen(n, null);
  throw new Error('bad');
}
