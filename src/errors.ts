/**
 * Every error rxio raises, in one place. Each is a named class so callers can test with
 * `instanceof` instead of matching message strings, and each message says what to do.
 *
 * @module
 */

/**
 * Captures no stack trace: building one costs about 5 µs, several times the rest of a cancel, and a
 * `CancelledError` is control flow, not a bug report. {@link setCaptureStacks} turns stacks back on
 * (the loop does it in debug mode).
 */
let captureStacks = false;

/** Turns stack capture for {@link CancelledError} on or off (debug mode turns it on). */
export function setCaptureStacks(on: boolean): void {
  captureStacks = on;
}

/**
 * The operation was cancelled: raised inside a task at the point where it was suspended when
 * `task.cancel()` was called, and by `result()` of a cancelled future.
 *
 * A coroutine may catch it to clean up, but should re-throw it: swallowing it makes the task look
 * as if it finished normally, and `timeout`, `TaskGroup` and `run` rely on seeing it.
 *
 * @example
 * ```ts
 * import { CancelledError, sleep } from 'rxio';
 * function* worker() {
 *   try {
 *     yield* sleep(1000);
 *   } catch (e) {
 *     if (e instanceof CancelledError) console.log('cancelled:', e.message);
 *     throw e; // re-throw, always
 *   }
 * }
 * ```
 */
export class CancelledError extends Error {
  override name = 'CancelledError';
  constructor(message?: string) {
    if (captureStacks) {
      super(message ?? '');
    } else {
      // Why: see `captureStacks`. Error.stackTraceLimit is V8's knob; elsewhere it is harmless.
      const E = Error as { stackTraceLimit?: number };
      const limit = E.stackTraceLimit;
      E.stackTraceLimit = 0;
      super(message ?? '');
      E.stackTraceLimit = limit;
    }
  }
}

/** True if `e` is a {@link CancelledError}: the test to use in a `catch` before re-throwing. */
export function isCancelledError(e: unknown): e is CancelledError {
  return e instanceof CancelledError;
}

/**
 * A deadline passed: raised by `waitFor`, `timeout` and `asCompleted`. Its `cause` is the
 * `CancelledError` that the timeout used to stop the work.
 */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

/** A Future or Task was used in a state that does not allow it (e.g. `result()` before it is done). */
export class InvalidStateError extends Error {
  override name = 'InvalidStateError';
}

/**
 * The runtime was used in a way it cannot support: no running loop, a loop that is closed, `run`
 * inside `run`, a task awaiting itself, a future of another loop.
 */
export class RuntimeError extends Error {
  override name = 'RuntimeError';
}

/**
 * The loop ran too many iterations without time advancing (a same-instant spin such as
 * `while (true) yield* sleep(0)` under a virtual-time scheduler). The message carries a task dump.
 */
export class SpinError extends RuntimeError {
  override name = 'SpinError';
}
