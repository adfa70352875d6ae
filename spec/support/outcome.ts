import { runVirtual } from '../../marbles/index.js';
import type { Coroutine, RunOutcome } from '../../src/index.js';

/** Runs `main` in virtual time and returns how it ended (undefined: it never did). */
export function outcome<T>(main: Coroutine<T>): RunOutcome<T> | undefined {
  return runVirtual(main).outcome;
}

/** Runs `main` in virtual time and returns its result, failing the spec on an error. */
export function value<T>(main: Coroutine<T>): T {
  const r = runVirtual(main).outcome;
  if (r === undefined) throw new Error('main never finished');
  if (!r.ok) throw r.error;
  return r.value;
}

/** Runs `main` in virtual time and returns the error it raised, failing the spec otherwise. */
export function errorOf(main: Coroutine<unknown>): unknown {
  const r = runVirtual(main).outcome;
  if (r === undefined || r.ok) throw new Error(`expected an error, got ${JSON.stringify(r)}`);
  return r.error;
}
