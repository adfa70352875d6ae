// Shared by spec/sync and spec/queues (not a spec itself).
import { record, runVirtual, type Timeline } from '../../marbles/index.js';
import { type Coroutine, getRunningLoop, sleep } from '../../src/index.js';

/** Runs `main` in virtual time and returns its value; fails the spec if it did not return. */
export function runOk<T>(main: () => Coroutine<T>): T {
  const r = runVirtual(main());
  if (r.outcome === undefined) throw new Error(`main never finished (virtual time ${r.time})`);
  if (!r.outcome.ok) throw r.outcome.error;
  expect(r.reports).toEqual([]);
  return r.outcome.value;
}

/**
 * Runs `scenario` in virtual time while recording its timeline (one lane per task, for
 * `expectTimeline`); fails the spec unless main returned and nothing was reported.
 */
export function recordOk<T>(scenario: (tl: Timeline) => Coroutine<T>): {
  timeline: Timeline;
  value: T;
} {
  const r = record(scenario);
  if (r.outcome === undefined) throw new Error(`main never finished (virtual time ${r.time})`);
  if (!r.outcome.ok) throw r.outcome.error;
  expect(r.reports).toEqual([]);
  return { timeline: r.timeline, value: r.outcome.value };
}

/** Runs `main` in virtual time and returns the error it raised; fails the spec otherwise. */
export function runErr(main: () => Coroutine<unknown>): unknown {
  const r = runVirtual(main());
  if (r.outcome === undefined) throw new Error('main never finished');
  if (r.outcome.ok) throw new Error(`main returned ${JSON.stringify(r.outcome.value)}`);
  return r.outcome.error;
}

/** The loop's time, for timelines. */
export function now(): number {
  return getRunningLoop().time();
}

/** Lets `n` loop iterations pass. */
export function* ticks(n: number): Coroutine<void> {
  for (let i = 0; i < n; i++) yield* sleep(0);
}
