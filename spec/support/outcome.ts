import { runVirtual } from '../../marbles/index.js';
import { type Awaitable, type Coroutine, type RunOutcome, run, waitFor } from '../../src/index.js';

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

/**
 * Runs `body()` on a real loop (`run()`, no Ctrl-C handling) and fails, instead of hanging, if it
 * has not finished within `guardMs`: a hang guard, generous so a busy machine never trips it.
 */
export function guarded<T>(body: () => Coroutine<T>, guardMs = 30_000): Promise<T> {
  return run(
    (function* () {
      return yield* waitFor(body(), guardMs);
    })(),
    { handleSigint: false },
  );
}

/** Awaits `step` and returns what it raised; undefined if it returned. */
export function* raised(step: Awaitable<unknown>): Coroutine<unknown> {
  try {
    yield* step;
  } catch (e) {
    return e;
  }
  return undefined;
}
