import type { ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { BrokenPipeError, ConnectionResetError, ProcessLookupError } from '../errors.js';
import type { Coroutine } from '../kernel/Awaitable.js';
import type { Future } from '../kernel/Future.js';
import { parkIn, wakeAll } from '../streams/parked.js';
import type { StreamReader } from '../streams/StreamReader.js';
import type { StreamWriter } from '../streams/StreamWriter.js';
import { gather } from '../tasks/gather.js';

const EMPTY = new Uint8Array(0);

/**
 * A child process started by {@link createSubprocessExec} or {@link createSubprocessShell}
 * (asyncio's `asyncio.subprocess.Process`). Its pipes are streams: `stdin` a
 * {@link StreamWriter}, `stdout`/`stderr` {@link StreamReader}s (null unless `PIPE`).
 *
 * Cancelling `wait()` or `communicate()` does not kill the child (asyncio): call `kill()` or
 * `terminate()` in a `catch`/`finally` if it must not outlive the wait.
 *
 * @example
 * ```ts
 * import { run } from 'rx-asyncio';
 * import { createSubprocessExec, PIPE } from 'rx-asyncio/node';
 * run(function* () {
 *   const proc = yield* createSubprocessExec('cat', [], { stdin: PIPE, stdout: PIPE });
 *   const [out] = yield* proc.communicate('meow');
 *   console.log(new TextDecoder().decode(out ?? new Uint8Array()), proc.returncode); // meow 0
 * }());
 * ```
 */
export class Process {
  /** The child's process id. */
  readonly pid: number;
  /**
   * The exit status once it has exited, else null; `-N` if it was killed by signal `N`
   * (asyncio's convention).
   */
  returncode: number | null = null;
  private readonly exitWaiters: Array<Future<void>> = [];

  /** @internal Made by createSubprocessExec / createSubprocessShell. */
  constructor(
    private readonly child: ChildProcess,
    /** The child's stdin, if `stdin: PIPE`. */
    readonly stdin: StreamWriter | null,
    /** The child's stdout, if `stdout: PIPE`. */
    readonly stdout: StreamReader | null,
    /** The child's stderr, if `stderr: PIPE`. */
    readonly stderr: StreamReader | null,
  ) {
    this.pid = child.pid as number;
    child.on('exit', (code, signal) => {
      this.returncode = code ?? -(signal === null ? 0 : (constants.signals[signal] ?? 0));
      wakeAll(this.exitWaiters);
    });
  }

  /**
   * Waits for the child to exit and returns its `returncode`. With `stdout: PIPE`, read the pipe
   * meanwhile (or use {@link communicate}): a child blocked on a full pipe never exits.
   * Cancelling the wait leaves the child running.
   */
  *wait(): Coroutine<number> {
    if (this.returncode === null) yield* parkIn(this.exitWaiters);
    return this.returncode as number;
  }

  /**
   * Writes `input` to stdin (then closes it), reads stdout and stderr to their end, all at once
   * (no deadlock however large either side is), waits for the exit, and returns
   * `[stdout, stderr]` (null for a stream that is not a `PIPE`). A child that exits without
   * reading all of `input` is not an error. Cancelling it leaves the child running.
   * @throws {TypeError} if `input` is given but stdin is not a `PIPE`.
   */
  *communicate(input?: Uint8Array | string): Coroutine<[Uint8Array | null, Uint8Array | null]> {
    if (input !== undefined && this.stdin === null) {
      throw new TypeError(
        'Process.communicate(input): stdin is not a PIPE; start the process with { stdin: PIPE }',
      );
    }
    const [, out, err] = yield* gather(
      feed(this.stdin, input),
      readAll(this.stdout),
      readAll(this.stderr),
    );
    yield* this.wait();
    return [out, err];
  }

  /**
   * Sends `signal` (a name like `'SIGTERM'` or a number) to the child.
   * @throws {ProcessLookupError} if the child has already exited.
   */
  sendSignal(signal: NodeJS.Signals | number): void {
    if (
      this.returncode !== null ||
      this.child.exitCode !== null ||
      this.child.signalCode !== null
    ) {
      throw new ProcessLookupError(
        `process ${this.pid} has already exited (returncode ${this.returncode})`,
      );
    }
    this.child.kill(signal);
  }

  /** Sends SIGTERM (asyncio's `terminate()`). */
  terminate(): void {
    this.sendSignal('SIGTERM');
  }

  /** Sends SIGKILL (asyncio's `kill()`). */
  kill(): void {
    this.sendSignal('SIGKILL');
  }

  toString(): string {
    return `<Process ${this.pid}${this.returncode === null ? '' : ` returncode=${this.returncode}`}>`;
  }
}

function* feed(
  stdin: StreamWriter | null,
  input: Uint8Array | string | undefined,
): Coroutine<null> {
  if (stdin === null) return null;
  try {
    if (input !== undefined) {
      stdin.write(input);
      yield* stdin.drain();
    }
  } catch (e) {
    // asyncio: the child may exit without reading its whole input; that is not an error.
    if (!(e instanceof BrokenPipeError || e instanceof ConnectionResetError)) throw e;
  }
  stdin.close();
  return null;
}

function* readAll(stream: StreamReader | null): Coroutine<Uint8Array | null> {
  if (stream === null) return null;
  const data = yield* stream.read();
  return data.length === 0 ? EMPTY : data;
}
