// input() and readLine() read the real stdin, so they run in a child process, with stdin set up
// as a user's would be: a shell pipe (a FIFO), /dev/null, or a socket (Node's spawn pipes).
import { execFileSync, type StdioOptions, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const program = fileURLToPath(new URL('./fixtures/stdinProgram.ts', import.meta.url));

interface Ended {
  out: string;
  err: string;
  /** From the child's last output to its exit: how promptly it ended once done. */
  ms: number;
  code: number | null;
  signal: string | null;
}

/** Runs the fixture in `mode` with the given stdin; kills it if it has not exited within 8 s. */
function child(mode: string, stdin: 'pipe' | 'ignore' | number, input?: string): Promise<Ended> {
  let lastOutput = Date.now();
  const proc = spawn(process.execPath, ['--import', 'tsx', program, mode], {
    stdio: [stdin, 'pipe', 'pipe'] as StdioOptions,
  });
  if (input !== undefined) proc.stdin?.end(input);
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    lastOutput = Date.now();
  });
  let err = '';
  proc.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`the child did not exit within 8 s; output so far: ${out}`));
    }, 8000);
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ out, err, ms: Date.now() - lastOutput, code, signal });
    });
  });
}

// The children start together (each takes ~0.7 s to boot tsx); each spec awaits its own.
let dir: string;
let fifoFd: number;
let runs: Record<string, Promise<Ended>>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rx-asyncio-input-'));
  const fifo = join(dir, 'stdin');
  execFileSync('mkfifo', [fifo]);
  fifoFd = openSync(fifo, 'r+'); // a reader and a writer: no EOF while we hold it
  runs = {
    lines: child('input', 'pipe', 'Hello world\nsecond\n'),
    devNull: child('input', 'ignore'),
    cancelFifo: child('cancel', fifoFd),
    cancelSocket: child('cancel', 'pipe'),
    readLine: child('readLine', 'pipe', 'typed\n'),
    readLineEof: child('readLine', 'pipe', ''),
    idle: child('idle', 'ignore'),
  };
  // A rejection is reported by the spec that awaits it.
  for (const r of Object.values(runs)) r.catch(() => {});
});

afterAll(() => {
  closeSync(fifoFd);
  rmSync(dir, { recursive: true, force: true });
});

describe('input() on a worker (child process)', () => {
  it('prints the prompt and reads one line at a time (socket stdin)', async () => {
    const { out } = await runs.lines!;
    expect(out).toContain('> ');
    expect(out).toContain('got:Hello world|second');
  }, 10_000);

  it('raises EOFError when stdin is /dev/null', async () => {
    const { out, code } = await runs.devNull!;
    expect(out).toContain('EOFError: input(): end of input');
    expect(code).toBe(0);
  }, 10_000);

  it('is stopped at once by cancellation while a pipe stays open', async () => {
    const { out, ms, code } = await runs.cancelFifo!;
    expect(out).toContain('cancelled:true');
    expect(code).toBe(0);
    expect(ms).toBeLessThan(1000);
  }, 10_000);

  it('still lets the process end when stdin is a socket it cannot poll', async () => {
    // A blocking read cannot be interrupted: the exit guard kills the process instead of hanging.
    const { out, err, ms } = await runs.cancelSocket!;
    expect(out).toContain('cancelled:true');
    expect(err).toContain('stuck in a blocking system call');
    expect(ms).toBeLessThan(1000);
  }, 10_000);
});

describe('readLine() on the main thread (child process)', () => {
  it('reads one line', async () => {
    const { out } = await runs.readLine!;
    expect(out).toContain('got:typed');
  }, 10_000);

  it('raises EOFError when stdin is closed at once', async () => {
    const { out } = await runs.readLineEof!;
    expect(out).toContain('EOFError: readLine(): end of input');
  }, 10_000);
});

describe('an idle WorkerPool (child process)', () => {
  it('does not keep the process alive', async () => {
    const { out, code } = await runs.idle!;
    expect(out).toContain('idle:16');
    expect(code).toBe(0);
  }, 10_000);
});
