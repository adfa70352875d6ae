import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';
import type { Coroutine } from '../kernel/Awaitable.js';
import { attachSink, attachSource } from '../streams/adapters.js';
import { StreamReader } from '../streams/StreamReader.js';
import { StreamWriter } from '../streams/StreamWriter.js';
import { connectionError } from './connectionErrors.js';
import { onceEvent } from './onceEvent.js';
import { Process } from './Process.js';
import { DEVNULL, PIPE, STDOUT, type StdioSpec } from './stdio.js';

/** Options of {@link createSubprocessExec} and {@link createSubprocessShell}. */
export interface SubprocessOptions {
  /** `PIPE`, `DEVNULL`, a file descriptor, or null/omitted to inherit (default). */
  stdin?: StdioSpec;
  /** `PIPE`, `DEVNULL`, a file descriptor, or null/omitted to inherit (default). */
  stdout?: StdioSpec;
  /** As `stdout`, or `STDOUT` to merge it into stdout. */
  stderr?: StdioSpec;
  /** The child's working directory. */
  cwd?: string;
  /** The child's environment (default: the parent's). */
  env?: Record<string, string | undefined>;
  /** The buffer limit of the stdout/stderr readers (default 64 KiB). */
  limit?: number;
}

/**
 * Starts `program` with `args` (no shell: arguments are passed as they are), asyncio's
 * `create_subprocess_exec`, and returns its {@link Process} once it has started.
 *
 * @throws Node's system error if it cannot start (`code` `'ENOENT'`: no such program;
 *   `'EACCES'`: not executable).
 * @example
 * ```ts
 * import { run } from 'rx-asyncio';
 * import { createSubprocessExec, PIPE } from 'rx-asyncio/node';
 * run(function* () {
 *   const proc = yield* createSubprocessExec('node', ['-e', 'console.log(6 * 7)'], { stdout: PIPE });
 *   const line = yield* proc.stdout!.readline();
 *   console.log(new TextDecoder().decode(line).trim(), yield* proc.wait()); // 42 0
 * }());
 * ```
 */
export function* createSubprocessExec(
  program: string,
  args: readonly string[] = [],
  options: SubprocessOptions = {},
): Coroutine<Process> {
  if (typeof program !== 'string') {
    throw new TypeError(
      `createSubprocessExec(program, args): program must be a string, got ${typeof program}`,
    );
  }
  if (!Array.isArray(args) || args.some((a) => typeof a !== 'string')) {
    throw new TypeError('createSubprocessExec(program, args): args must be an array of strings');
  }
  if (options.stderr === STDOUT) {
    // Why a shell: Node cannot point two of a child's descriptors at one pipe; `exec ... 2>&1`
    // does exactly that and leaves the program itself as the process (same pid).
    return yield* start('/bin/sh', ['-c', 'exec "$0" "$@" 2>&1', program, ...args], options);
  }
  return yield* start(program, [...args], options);
}

/**
 * Runs `cmd` through the shell (`/bin/sh -c`), asyncio's `create_subprocess_shell`. Quote what
 * you put in `cmd`: the shell interprets it.
 * @example
 * ```ts
 * import { run } from 'rx-asyncio';
 * import { createSubprocessShell, PIPE } from 'rx-asyncio/node';
 * run(function* () {
 *   const proc = yield* createSubprocessShell('echo $HOME | wc -c', { stdout: PIPE });
 *   const [out] = yield* proc.communicate();
 *   console.log(new TextDecoder().decode(out ?? new Uint8Array()));
 * }());
 * ```
 */
export function* createSubprocessShell(
  cmd: string,
  options: SubprocessOptions = {},
): Coroutine<Process> {
  if (typeof cmd !== 'string') {
    throw new TypeError(`createSubprocessShell(cmd): cmd must be a string, got ${typeof cmd}`);
  }
  const script = options.stderr === STDOUT ? `exec 2>&1\n${cmd}` : cmd;
  return yield* start('/bin/sh', ['-c', script], options);
}

function* start(file: string, args: string[], options: SubprocessOptions): Coroutine<Process> {
  const stdio: StdioOptions = [
    stdioOf('stdin', options.stdin),
    stdioOf('stdout', options.stdout),
    options.stderr === STDOUT ? 'inherit' : stdioOf('stderr', options.stderr),
  ];
  const child: ChildProcess = spawn(file, args, {
    stdio,
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  // Attach the pipes before waiting: output may arrive as soon as the child runs.
  const limit = options.limit === undefined ? {} : { limit: options.limit };
  const pipeError = (e: unknown) => connectionError(e, 'subprocess pipe');
  let stdin: StreamWriter | null = null;
  if (child.stdin) {
    const protocol = attachSink(child.stdin, pipeError);
    stdin = new StreamWriter(protocol.transport, protocol);
  }
  const readerOf = (s: NodeJS.ReadableStream | null): StreamReader | null => {
    if (s === null) return null;
    const reader = new StreamReader(limit);
    attachSource(reader, s as never, pipeError);
    return reader;
  };
  const process = new Process(child, stdin, readerOf(child.stdout), readerOf(child.stderr));
  try {
    yield* onceEvent<void>(child, 'spawn');
  } catch (e) {
    // A child that failed to start has no pipes worth keeping.
    child.stdin?.destroy();
    child.stdout?.destroy();
    child.stderr?.destroy();
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      // Why (asyncio): a start cancelled after the spawn kills and reaps the child, which would
      // otherwise run on with nobody holding its Process.
      child.kill('SIGKILL');
      yield* process.wait();
    }
    throw e;
  }
  return process;
}

function stdioOf(which: string, spec: StdioSpec): 'pipe' | 'ignore' | 'inherit' | number {
  if (spec === PIPE) return 'pipe';
  if (spec === DEVNULL) return 'ignore';
  if (spec === null || spec === undefined) return 'inherit';
  if (typeof spec === 'number' && Number.isInteger(spec) && spec >= 0) return spec;
  throw new TypeError(
    `${which}: expected PIPE, DEVNULL${which === 'stderr' ? ', STDOUT' : ''}, null (inherit) or a file descriptor, got ${String(spec)}`,
  );
}
