/**
 * Issue 14, item 11 (TTY part): `readLine()` on a terminal takes it raw, so Ctrl-C reached
 * readline as a keystroke, which closed the interface: the program saw `EOFError` instead of an
 * interrupt. Now readline's Ctrl-C is raised as a real SIGINT: `run()` ends with
 * `KeyboardInterrupt` (status 130) after `main`'s `finally`.
 *
 * The child runs under a pseudo-terminal made by util-linux `script`, which forwards our ^C byte.
 */

import { execFileSync, spawn } from 'node:child_process';
import { bundledEntry, CHILD_SPEC_TIMEOUT_MS } from '../../support/childProcess.js';

const program = new URL('./fixtures/faultProgram.ts', import.meta.url);

function hasScript(): boolean {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('regression: Ctrl-C during readLine() on a TTY read as EOFError', () => {
  it(
    'interrupts the program: cleanup runs, "KeyboardInterrupt", status 130',
    async () => {
      if (!hasScript()) {
        pending('needs util-linux `script` to give the child a pseudo-terminal');
        return;
      }
      const bundle = await bundledEntry(program);
      const child = spawn(
        'script',
        [
          '-qec',
          `${JSON.stringify(process.execPath)} ${JSON.stringify(bundle)} readLineTty`,
          '/dev/null',
        ],
        { stdio: ['pipe', 'pipe', 'pipe'] },
      );
      let out = '';
      let sent = false;
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (!sent && out.includes('? ')) {
          sent = true;
          child.stdin.write('\u0003'); // Ctrl-C, typed at the terminal
        }
      });
      const code = await new Promise<number | null>((resolve, reject) => {
        const guard = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`the child did not exit; output: ${out}`));
        }, 120_000);
        child.on('exit', (c) => {
          clearTimeout(guard);
          resolve(c);
        });
      });
      expect(out).toContain('cleanup');
      expect(out).toContain('KeyboardInterrupt');
      expect(out).not.toContain('EOFError');
      expect(code).toBe(130);
    },
    CHILD_SPEC_TIMEOUT_MS,
  );
});
