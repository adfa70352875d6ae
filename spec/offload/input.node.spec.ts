// input() and readLine() read the real stdin, so they run in a child process, with stdin set up
// as a user's would be: a shell pipe (a FIFO), /dev/null, or a socket (Node's spawn pipes).
// Children run a bundled fixture, a few at a time (spec/support/childProcess.ts); every verdict is
// an outcome (output, exit), never a wall-clock window, so a busy machine only makes them slower.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CHILD_SPEC_TIMEOUT_MS,
  type ChildOptions,
  type ChildRun,
  runChild,
} from '../support/childProcess.js';

const program = new URL('./fixtures/stdinProgram.ts', import.meta.url);

function child(mode: string, options: ChildOptions): Promise<ChildRun> {
  return runChild(program, { ...options, args: [mode] });
}

/** 'cancel' mode: the child cancels its input() when told, once its worker is reading. */
function cancelChild(stdin: ChildOptions['stdin']): Promise<ChildRun> {
  let told = false;
  return child('cancel', {
    stdin,
    onStdout: (out, proc) => {
      if (!told && out.includes('reading> ')) {
        told = true;
        proc.kill('SIGUSR2');
      }
    },
  });
}

// Queued together in beforeAll; each spec awaits its own.
let dir: string;
let fifoFd: number;
let runs: Record<string, Promise<ChildRun>>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rx-asyncio-input-'));
  const fifo = join(dir, 'stdin');
  execFileSync('mkfifo', [fifo]);
  fifoFd = openSync(fifo, 'r+'); // a reader and a writer: no EOF while we hold it
  runs = {
    lines: child('input', { input: 'Hello world\nsecond\n' }),
    devNull: child('input', { stdin: 'ignore' }),
    cancelFifo: cancelChild(fifoFd),
    cancelSocket: cancelChild('pipe'), // a socket we never end
    readLine: child('readLine', { input: 'typed\n' }),
    readLineEof: child('readLine', { input: '' }),
    idle: child('idle', { stdin: 'ignore' }),
  };
  // A rejection is reported by the spec that awaits it.
  for (const r of Object.values(runs)) r.catch(() => {});
});

afterAll(async () => {
  // The FIFO stays open until every child has ended: closing it early would hand them an EOF.
  await Promise.allSettled(Object.values(runs));
  closeSync(fifoFd);
  rmSync(dir, { recursive: true, force: true });
}, CHILD_SPEC_TIMEOUT_MS);

describe('input() on a worker (child process)', () => {
  it(
    'prints the prompt and reads one line at a time (socket stdin)',
    async () => {
      const { out } = await runs.lines!;
      expect(out).toContain('> ');
      expect(out).toContain('got:Hello world|second');
    },
    CHILD_SPEC_TIMEOUT_MS,
  );

  it(
    'raises EOFError when stdin is /dev/null',
    async () => {
      const { out, code } = await runs.devNull!;
      expect(out).toContain('EOFError: input(): end of input');
      expect(code).toBe(0);
    },
    CHILD_SPEC_TIMEOUT_MS,
  );

  it(
    'is stopped by cancellation while a pipe stays open',
    async () => {
      // We hold the FIFO's write end for the whole run, so no EOF ever comes: the child can only
      // exit (before the hang guard) if cancelling input() really let go of the read.
      const { out, code } = await runs.cancelFifo!;
      expect(out).toContain('cancelled:true');
      expect(code).toBe(0);
    },
    CHILD_SPEC_TIMEOUT_MS,
  );

  it(
    'is stopped by cancellation while a socket stays open, and the process exits with status 0',
    async () => {
      // No worker reads stdin (the main thread's one reader does, and only while a line is
      // awaited): nothing is stuck in a read, so exit needs no kill.
      const { out, err, code, signal } = await runs.cancelSocket!;
      expect(out).toContain('cancelled:true');
      expect(err).not.toContain('stuck in a blocking system call');
      expect(signal).toBeNull();
      expect(code).toBe(0);
    },
    CHILD_SPEC_TIMEOUT_MS,
  );
});

describe('readLine() on the main thread (child process)', () => {
  it(
    'reads one line',
    async () => {
      const { out } = await runs.readLine!;
      expect(out).toContain('got:typed');
    },
    CHILD_SPEC_TIMEOUT_MS,
  );

  it(
    'raises EOFError when stdin is closed at once',
    async () => {
      const { out } = await runs.readLineEof!;
      expect(out).toContain('EOFError: readLine(): end of input');
    },
    CHILD_SPEC_TIMEOUT_MS,
  );
});

describe('an idle WorkerPool (child process)', () => {
  it(
    'does not keep the process alive',
    async () => {
      const { out, code } = await runs.idle!;
      expect(out).toContain('idle:16');
      expect(code).toBe(0);
    },
    CHILD_SPEC_TIMEOUT_MS,
  );
});
