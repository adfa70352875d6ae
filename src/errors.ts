/**
 * Every error rx-asyncio raises, in one place. Each is a named class so callers can test with
 * `instanceof` instead of matching message strings, and each message says what to do.
 *
 * @module
 */

import { _originOf, type CancelOrigin, type OriginRecord } from './kernel/cancelOrigin.js';

/**
 * Whether the loop running now is in debug mode. Outside of it a {@link CancelledError} captures
 * no stack trace: building one costs about 5 µs, several times the rest of a cancel, and a
 * `CancelledError` is control flow, not a bug report. Tied to the running loop (set as it enters
 * and leaves its callbacks), so a debug loop left open elsewhere changes nothing.
 */
let captureStacks = false;

/** A frozen `Error` (SES lockdown, `node --frozen-intrinsics`): its stack limit cannot be set. */
const LIMIT_FIXED = 0;
/** A limit of 0: V8 still runs its (empty) capture. */
const LIMIT_ZERO = 1;
/** A non-number limit makes an error with no trace at all (V8). */
const LIMIT_TRACELESS = 2;
type LimitKnob = typeof LIMIT_FIXED | typeof LIMIT_ZERO | typeof LIMIT_TRACELESS;

/**
 * How a CancelledError skips its stack trace outside debug mode, probed once, here. Where a
 * non-number `Error.stackTraceLimit` makes an error with no trace at all (V8), it is built so and
 * given as `stack` the header line V8 prints for an empty trace (`CancelledError: msg`), the same
 * own property a limit of 0 gave. Why: with a limit of 0 V8 still ran its capture, ~120 ns of the
 * ~2.5 µs a cancelled sleeping task costs (bench W10). Elsewhere the limit is 0, as before; where
 * `Error` is frozen, assigning the limit throws (strict mode), so it is left alone and the error
 * keeps its trace: slower, never broken (importing rx-asyncio under `--frozen-intrinsics` threw).
 */
const LIMIT_KNOB: LimitKnob = (() => {
  const E = Error as { stackTraceLimit?: number };
  const limit = E.stackTraceLimit;
  try {
    E.stackTraceLimit = undefined;
  } catch {
    return LIMIT_FIXED;
  }
  const probe = new Error('probe');
  E.stackTraceLimit = limit;
  return probe.stack === undefined ? LIMIT_TRACELESS : LIMIT_ZERO;
})();

/** Set by CancelledError's static block: the one way in to its private `#record`. */
let deferOrigin: (e: CancelledError, record: OriginRecord) => void;

/** @internal Set by the loop as it starts and stops running callbacks. */
export function _captureStacks(on: boolean): void {
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
 * import { CancelledError, sleep } from 'rx-asyncio';
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
  /**
   * What the kernel recorded at the `cancel()` call, kept until `origin` is first read, when the
   * {@link CancelOrigin} is built from it. Why: most cancellations are never asked who did it,
   * and building the origin with every error was ~10% of cancelling a sleeping task (bench W10).
   */
  #record: OriginRecord | undefined = undefined;
  #origin: CancelOrigin | undefined = undefined;
  /**
   * The message as given, of any type (asyncio: `CancelledError(5).args == (5,)`); empty for no
   * message (`undefined` or `null`). `message` is its string form.
   */
  readonly args: readonly unknown[];
  constructor(message?: unknown) {
    const text = messageText(message);
    if (captureStacks || LIMIT_KNOB === LIMIT_FIXED) {
      super(text);
    } else {
      // Why: see `captureStacks` and LIMIT_KNOB. Error.stackTraceLimit is V8's knob; elsewhere it
      // is harmless.
      const E = Error as { stackTraceLimit?: number };
      const limit = E.stackTraceLimit;
      // A subclass may name itself after this constructor: its header is V8's to write.
      const traceless = LIMIT_KNOB === LIMIT_TRACELESS && new.target === CancelledError;
      E.stackTraceLimit = traceless ? undefined : 0;
      super(text);
      E.stackTraceLimit = limit;
      if (traceless) this.stack = text === '' ? 'CancelledError' : `CancelledError: ${text}`;
    }
    this.args = message === undefined || message === null ? NO_ARGS : [message];
  }

  /**
   * Who cancelled (the task running at the `cancel()` call, the message, what rx-asyncio machinery
   * named itself, and in debug mode the call site); undefined for an error you made yourself.
   * The same object on every read.
   */
  get origin(): CancelOrigin | undefined {
    const record = this.#record;
    if (record !== undefined) {
      this.#record = undefined;
      this.#origin = _originOf(record, undefined);
    }
    return this.#origin;
  }
  set origin(origin: CancelOrigin | undefined) {
    this.#record = undefined;
    this.#origin = origin;
  }

  static {
    deferOrigin = (e, record) => {
      e.#record = record;
    };
  }
}

/**
 * @internal Gives `e` the origin of the kernel's `record` for a cancel() without a message (with
 * one, set `origin` at once: its text comes with it), built only when `origin` is read.
 */
export function _deferOrigin(e: CancelledError, record: OriginRecord | undefined): void {
  if (record !== undefined) deferOrigin(e, record);
}

const NO_ARGS: readonly unknown[] = Object.freeze([]);

/** A message of any type as text; never throws (a value whose `toString` throws gets its type). */
function messageText(message: unknown): string {
  if (message === undefined || message === null) return '';
  if (typeof message === 'string') return message;
  try {
    return String(message);
  } catch {
    return `<${typeof message}>`;
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
 * A value that has the right type but not an acceptable value, where asyncio raises `ValueError`:
 * releasing a `BoundedSemaphore` more than it was acquired, `taskDone()` called more times than
 * items were put, `run()` given something that is not a coroutine, `gather()` of futures from two
 * loops. It subclasses `RangeError`, so ported Python code can catch `ValueError` and JavaScript
 * code `RangeError` (rx-asyncio's other bad-value errors are plain `RangeError`s).
 *
 * @example
 * ```ts
 * import { BoundedSemaphore, ValueError } from 'rx-asyncio';
 * const sem = new BoundedSemaphore(1);
 * try {
 *   sem.release(); // never acquired
 * } catch (e) {
 *   console.log(e instanceof ValueError, e instanceof RangeError); // true true
 * }
 * ```
 */
export class ValueError extends RangeError {
  override name = 'ValueError';
}

/**
 * The loop ran too many iterations without time advancing (a same-instant spin such as
 * `while (true) yield* sleep(0)` under a virtual-time scheduler). The message carries a task dump.
 */
export class SpinError extends RuntimeError {
  override name = 'SpinError';
}

// --- tasks and timing (issue 3: gather, wait, waitFor, asCompleted, shield, timeout, TaskGroup) ---

/** What {@link ExceptionGroup.split} and {@link ExceptionGroup.subgroup} match: a class or a test. */
export type ErrorMatcher =
  | (abstract new (
      ...args: never[]
    ) => unknown)
  | ((error: unknown) => boolean);

function toPredicate(what: string, matcher: ErrorMatcher): (error: unknown) => boolean {
  if (typeof matcher !== 'function') {
    throw new TypeError(
      `ExceptionGroup.${what}(matcher): expected an error class or a predicate function, got ${typeof matcher}`,
    );
  }
  const proto = (matcher as { prototype?: unknown }).prototype;
  // A class is told from a predicate by its prototype: an Error class's inherits from Error's.
  if (matcher === Error || proto instanceof Error) {
    const cls = matcher as abstract new (...args: never[]) => unknown;
    return (e) => e instanceof cls;
  }
  return matcher as (error: unknown) => boolean;
}

/**
 * Several errors raised together, as one: Python's `ExceptionGroup`, a subclass of
 * `AggregateError` whose `errors` (alias `exceptions`) may themselves be groups. `TaskGroup`
 * raises one with every error of its children (and of its body). Handle it like Python's
 * `except*`: {@link split} takes out the errors you handle and leaves the rest to re-throw, keeping
 * the nesting.
 *
 * Unlike `AggregateError(errors, message)`, the constructor takes the message first, as Python's.
 *
 * @throws {TypeError} if `errors` is not an array; {RangeError} if it is empty.
 * @example
 * ```ts
 * import { ExceptionGroup } from 'rx-asyncio';
 * const group = new ExceptionGroup('two failures', [new TypeError('a'), new RangeError('b')]);
 * const [typeErrors, rest] = group.split(TypeError);
 * console.log(typeErrors?.errors.length, rest?.errors.length); // 1 1
 * if (rest !== null) console.log(rest.message); // "two failures"
 * ```
 */
export class ExceptionGroup extends AggregateError {
  override name = 'ExceptionGroup';
  declare readonly errors: unknown[];

  constructor(message: string, errors: readonly unknown[], options?: { cause?: unknown }) {
    if (!Array.isArray(errors)) {
      throw new TypeError(
        'new ExceptionGroup(message, errors): errors must be an array (the message comes first, as in Python)',
      );
    }
    if (errors.length === 0) {
      throw new RangeError('new ExceptionGroup(message, errors): errors must not be empty');
    }
    super([...errors], String(message), options);
    Object.defineProperty(this, 'errors', { value: Object.freeze([...errors]), enumerable: false });
    // The printed form (Node's uncaught-error print, console.error, devtools) is the stack: lead it
    // with the tree of leaf errors, as Python's traceback prints a group, then the frames.
    const raw = this.stack;
    if (typeof raw === 'string') {
      // Engines that lead the stack with "Name: message" (V8) formatted it with the name as of
      // now; others (Firefox, Safari) list frames only.
      const head = [this.name, 'AggregateError', 'Error']
        .map((n) => `${n}: ${this.message}`)
        .find((h) => raw.startsWith(h));
      const frames = head === undefined ? raw : raw.slice(head.length).replace(/^\n/, '');
      let own: string | undefined;
      Object.defineProperty(this, 'stack', {
        get: () => own ?? (frames === '' ? this.toString() : `${this.toString()}\n${frames}`),
        set: (v: string) => {
          own = v;
        },
        configurable: true,
        enumerable: false,
      });
    }
  }

  /** The errors of the group (Python's name for {@link errors}). */
  get exceptions(): unknown[] {
    return this.errors;
  }

  /**
   * A group like this one (same message, cause and class) holding `errors`: what {@link split}
   * uses to rebuild the nested parts. Subclasses with other constructor arguments override it.
   */
  derive(errors: readonly unknown[]): ExceptionGroup {
    return new ExceptionGroup(this.message, errors, { cause: this.cause });
  }

  /**
   * Splits the group like `except*`: `[match, rest]`, where `match` holds the errors (at any depth)
   * that are instances of the class, or pass the predicate, and `rest` the others; nesting is
   * kept, and either part is null when empty. A group that itself matches goes whole to `match`.
   */
  split(matcher: ErrorMatcher): [ExceptionGroup | null, ExceptionGroup | null] {
    return this._split(toPredicate('split', matcher));
  }

  /** The `match` part of {@link split}: this group itself when everything matches. */
  subgroup(matcher: ErrorMatcher): ExceptionGroup | null {
    const [match, rest] = this._split(toPredicate('subgroup', matcher));
    return rest === null && match !== null ? this : match;
  }

  private _split(
    test: (error: unknown) => boolean,
  ): [ExceptionGroup | null, ExceptionGroup | null] {
    if (test(this)) return [this, null];
    const match: unknown[] = [];
    const rest: unknown[] = [];
    for (const e of this.errors) {
      if (e instanceof ExceptionGroup) {
        const [m, r] = e._split(test);
        if (m !== null) match.push(m);
        if (r !== null) rest.push(r);
      } else {
        (test(e) ? match : rest).push(e);
      }
    }
    return [this._part(match), this._part(rest)];
  }

  private _part(errors: unknown[]): ExceptionGroup | null {
    if (errors.length === 0) return null;
    const same =
      errors.length === this.errors.length && errors.every((e, i) => e === this.errors[i]);
    return same ? this : this.derive(errors);
  }

  /**
   * The group and, indented under it, each sub-error with its class and message, nested groups
   * as trees of their own, as Python's traceback prints an exception group (without the frames):
   *
   * ```text
   * ExceptionGroup: outer (2 sub-errors)
   * +-+---------------- 1 ----------------
   *   | TypeError: a
   *   +---------------- 2 ----------------
   *   | ExceptionGroup: inner (1 sub-error)
   *   +-+---------------- 1 ----------------
   *     | RangeError: b
   *     +------------------------------------
   *   +------------------------------------
   * ```
   */
  override toString(): string {
    return groupLines(this).join('\n');
  }
}

function groupLines(group: ExceptionGroup): string[] {
  const n = group.errors.length;
  const out = [`${group.name}: ${group.message} (${n} sub-error${n === 1 ? '' : 's'})`];
  group.errors.forEach((e, i) => {
    out.push(`${i === 0 ? '+-+' : '  +'}---------------- ${i + 1} ----------------`);
    if (e instanceof ExceptionGroup) {
      const [head, ...rest] = groupLines(e);
      out.push(`  | ${head}`, ...rest.map((l) => `  ${l}`));
    } else {
      out.push(
        ...leafText(e)
          .split('\n')
          .map((l) => `  | ${l}`),
      );
    }
  });
  out.push('  +------------------------------------');
  return out;
}

function leafText(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  try {
    return String(e);
  } catch {
    return Object.prototype.toString.call(e);
  }
}

// --- Thread offload (src/offload): executors, worker pools, input().

/**
 * End of input: `input()` (or `readLine()`) found stdin closed before a line arrived, as Python's
 * `input()` raises `EOFError`. Catch it to end an interactive loop cleanly.
 */
export class EOFError extends Error {
  override name = 'EOFError';
}

/**
 * The executor was shut down: raised for a job submitted after `shutdown()`, and set on jobs that
 * were still queued or running when it was shut down. Create a new executor, or submit before
 * shutting down (asyncio raises a `RuntimeError` with "cannot schedule new futures after shutdown").
 */
export class ExecutorShutdownError extends RuntimeError {
  override name = 'ExecutorShutdownError';
}

/**
 * A worker died while running a job (`process.exit()` in the worker, an out-of-memory abort): only
 * that job fails, with this error, and the worker is replaced. The message names the job that
 * called `process.exit()` if it was another (one that left a timer behind). `cause` carries what
 * the worker reported, if anything. An uncaught error on a worker does not end it: it goes to the
 * loop's exception handler (see `WorkerPool`).
 */
export class WorkerCrashedError extends RuntimeError {
  override name = 'WorkerCrashedError';
}

/**
 * A pool created with a `maxQueue` limit refused a job because that many were already waiting:
 * back-pressure. Wait for some jobs to finish (or raise the limit) and submit again.
 */
export class ExecutorQueueFullError extends RuntimeError {
  override name = 'ExecutorQueueFullError';
}

/**
 * The user pressed Ctrl-C (SIGINT) during {@link run}: Python's `KeyboardInterrupt`. `main` was
 * cancelled and the usual shutdown ran (every `finally` block, unless a second Ctrl-C cut it
 * short). Left unhandled, `run()`'s rejection with it prints one line and exits with code 130.
 *
 * @example
 * ```ts
 * import { KeyboardInterrupt, run, sleep } from 'rx-asyncio';
 * run(function* () { yield* sleep(60_000); }()).catch((e) => {
 *   if (e instanceof KeyboardInterrupt) console.log('stopped by the user');
 *   else throw e;
 * });
 * ```
 */
export class KeyboardInterrupt extends Error {
  override name = 'KeyboardInterrupt';
  constructor(message = 'interrupted by the user (Ctrl-C)') {
    super(message);
  }
}

// --- deadlocks (run() in Node, and marbles/, the testing kit) ---

/**
 * The program stalled: tasks still wait and nothing is left that could wake them. `run()` in
 * Node raises it when the process is about to exit while `main` has not returned (after the
 * usual shutdown: `main` is cancelled, every `finally` runs); the testing kit raises it when a
 * virtual-time run stops with no ready callback and no pending timer. The message carries a task
 * dump (each task's name, what it awaits, and where it was created in debug mode); find the
 * future, queue or lock nobody will complete or release.
 */
export class DeadlockError extends RuntimeError {
  override name = 'DeadlockError';
}

/**
 * A recorded timeline differs from the expected marble diagram. The message shows both diagrams
 * aligned on one time axis, with `^` under the instants that differ.
 */
export class TimelineMismatchError extends Error {
  override name = 'TimelineMismatchError';
}

/**
 * A scenario failed under some order of same-instant events. The message names the failing order
 * as a replayable schedule (the smallest deviation from FIFO found) and shows its timeline.
 */
export class InterleavingError extends Error {
  override name = 'InterleavingError';
}

// --- interop/ and operators/ (RxJS interop) ---

/**
 * More values arrived from an Observable than the consumer's bounded buffer holds (`iterate()`
 * with `overflow: 'error'`, the default). Raised in the consumer after the values buffered before
 * the overflow; the Observable was unsubscribed. Raise `bufferSize`, choose a dropping policy, or
 * consume faster.
 */
export class BufferOverflowError extends RuntimeError {
  override name = 'BufferOverflowError';
}

// --- sync/ and queues/ (locks, barriers, queues) ---

/**
 * `getNowait()` found the queue empty. Use `yield* queue.get()` to wait for an item instead.
 */
export class QueueEmpty extends Error {
  override name = 'QueueEmpty';
}

/**
 * `putNowait()` found the queue full (it has a `maxsize`). Use `yield* queue.put(item)` to wait
 * for room instead.
 */
export class QueueFull extends Error {
  override name = 'QueueFull';
}

/**
 * The queue was shut down (`queue.shutdown()`): `put` always raises it; `get` raises it once the
 * queue is empty (or at once after `shutdown({ immediate: true })`). Blocked getters and putters
 * are woken with it. Treat it as "no more items will come".
 */
export class QueueShutDown extends Error {
  override name = 'QueueShutDown';
}

/**
 * A `Barrier` was aborted, or reset while this task waited on it. After `abort()`, call
 * `reset()` before using the barrier again.
 */
export class BrokenBarrierError extends RuntimeError {
  override name = 'BrokenBarrierError';
}

/**
 * A fleet worker (`rx-asyncio/bullmq`) refused a job: it names a module that is not in the
 * worker's allowlist, an export that is not a function, or it is not an rx-asyncio job at all.
 * Nothing was imported for it. Add the module to the worker's `modules` if it should run there.
 */
export class JobRefusedError extends RuntimeError {
  override name = 'JobRefusedError';
}

// --- contextvars ---

/**
 * A lookup found nothing: `ContextVar.get()` of a variable that has no value in the current
 * context and no default. Python's `LookupError`.
 */
export class LookupError extends Error {
  override name = 'LookupError';
}

// --- I/O: streams, connections, subprocesses (src/streams, src/node).

/**
 * A connection failed (Python's `ConnectionError`, an `OSError`): the base class of
 * {@link ConnectionResetError}, {@link ConnectionRefusedError}, {@link ConnectionAbortedError} and
 * {@link BrokenPipeError}. `code` is the system's error code (`'ECONNRESET'`...) when there is one;
 * `cause` is the platform's original error.
 */
export class ConnectionError extends Error {
  override name = 'ConnectionError';
  /** The system error code (`'ECONNRESET'`, `'EPIPE'`, ...), or undefined. */
  readonly code: string | undefined;
  constructor(message: string, options?: { code?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = options?.code;
  }
}

/**
 * The peer reset the connection (`ECONNRESET`), or it was lost while data was still expected:
 * raised by the next `read`, `readline`, `drain()`... of the stream. Reconnect, or treat the
 * conversation as over.
 */
export class ConnectionResetError extends ConnectionError {
  override name = 'ConnectionResetError';
}

/** Nothing listens at that address (`ECONNREFUSED`): check the host and port, or retry later. */
export class ConnectionRefusedError extends ConnectionError {
  override name = 'ConnectionRefusedError';
}

/** The connection was aborted on this side (`ECONNABORTED`, or `transport.abort()`). */
export class ConnectionAbortedError extends ConnectionError {
  override name = 'ConnectionAbortedError';
}

/** Written to a connection or pipe whose other end is closed (`EPIPE`): stop writing. */
export class BrokenPipeError extends ConnectionError {
  override name = 'BrokenPipeError';
}

/**
 * The stream ended before `readexactly(n)` or `readuntil(separator)` got what it asked for
 * (asyncio's `IncompleteReadError`, an `EOFError`). `partial` holds the bytes read before the end
 * (they are consumed); `expected` is the number of bytes asked for, or null for `readuntil`.
 */
export class IncompleteReadError extends EOFError {
  override name = 'IncompleteReadError';
  constructor(
    /** The bytes that arrived before the end of the stream. */
    readonly partial: Uint8Array,
    /** How many bytes were expected (`readexactly`), or null (`readuntil`). */
    readonly expected: number | null,
  ) {
    super(
      `${partial.length} bytes read on a total of ${expected === null ? 'undefined' : expected} expected bytes: ` +
        'the stream ended first (e.partial holds what arrived)',
    );
  }
}

/**
 * `readuntil()` or `readline()` found no separator within the reader's `limit` (asyncio's
 * `LimitOverrunError`). `consumed` is how many bytes to consume (e.g. with `readexactly`) to get
 * past the data; nothing was consumed yet. Raise the `limit`, or read in pieces with `read(n)`.
 */
export class LimitOverrunError extends Error {
  override name = 'LimitOverrunError';
  constructor(
    message: string,
    /** The number of bytes to consume to skip the data that overran the limit. */
    readonly consumed: number,
  ) {
    super(message);
  }
}

/**
 * The process is gone (Python's `ProcessLookupError`): `sendSignal`, `terminate` or `kill` on a
 * child that has already exited. Check `returncode` first, or catch it.
 */
export class ProcessLookupError extends Error {
  override name = 'ProcessLookupError';
}
