import { spawn } from 'node:child_process';

/** How a child program ended. */
export interface ChildEnd {
  out: string;
  err: string;
  code: number | null;
  signal: string | null;
}

/**
 * Runs `node --import tsx <file> ...args`. With `interruptOn`, sends SIGINT once, as soon as
 * stdout contains that text. Bounded by outcome: resolves when the child exits; the guard
 * (generous, for a busy machine) only kills a child that hangs.
 */
export function runChild(
  file: string,
  args: string[],
  options: { interruptOn?: string; guardMs?: number } = {},
): Promise<ChildEnd> {
  const proc = spawn(process.execPath, ['--import', 'tsx', file, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let interrupted = false;
  proc.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (options.interruptOn !== undefined && !interrupted && out.includes(options.interruptOn)) {
      interrupted = true;
      proc.kill('SIGINT');
    }
  });
  proc.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  return new Promise((resolve, reject) => {
    const guardMs = options.guardMs ?? 60_000;
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(
        new Error(`the child did not exit within ${guardMs} ms; stdout: ${out}; stderr: ${err}`),
      );
    }, guardMs);
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ out, err, code, signal });
    });
  });
}
