/**
 * Runs a program on a virtual-time scheduler with the loop's **default** exception handler (the
 * one that writes to `console.error`), which `runVirtual` replaces with a collector. Fault specs
 * use it to check that the last-resort handler itself never fails. Spy on `console.error` first.
 */

import { virtualScheduler } from '../../../marbles/runVirtual.js';
import { type Coroutine, Runner, type RunOutcome } from '../../../src/index.js';

export interface DefaultRun<T> {
  outcome: RunOutcome<T> | undefined;
  runner: Runner;
  /** Set if an exception escaped into the scheduler's flush (a kernel bug). */
  escaped: unknown;
  actionsLeft: number;
}

export function runWithDefaultHandler<T>(main: Coroutine<T>): DefaultRun<T> {
  const scheduler = virtualScheduler();
  const runner = new Runner({ scheduler });
  let outcome: RunOutcome<T> | undefined;
  let escaped: unknown;
  runner.start(main, (o) => {
    outcome = o;
  });
  try {
    scheduler.flush();
  } catch (e) {
    escaped = e;
  }
  return { outcome, runner, escaped, actionsLeft: scheduler.actions.length };
}
