/**
 * Issue 14, item 9: after a successful `readLine()` with stdin a pipe or socket that stays open,
 * the process did not exit when `main` returned (still alive after 15 s). Now a stdin nobody is
 * reading from holds nothing: the program exits once `main` is done, whether its `readLine()`
 * got its line or was given up while still waiting.
 *
 * The child's stdin is never ended, so only letting go of stdin lets it exit before the hang
 * guard (which would fail the spec); no verdict depends on how fast it does.
 */
import { CHILD_SPEC_TIMEOUT_MS, runChild } from '../../support/childProcess.js';

const program = new URL('./fixtures/faultProgram.ts', import.meta.url);

describe('regression: readLine() on an open pipe keeps the process alive', () => {
  it(
    'exits after main returns the line it read',
    async () => {
      let typed = false;
      const run = await runChild(program, {
        args: ['readLineThenReturn'],
        stdin: 'pipe', // never ended
        onStdout: (out, proc) => {
          if (!typed && out.includes('? ')) {
            typed = true;
            proc.stdin?.write('typed\nmore, never read\n');
          }
        },
        hangGuardMs: 60_000,
      });
      expect(run.out).toContain('result:got:typed');
      expect(run.signal).toBeNull();
      expect(run.code).toBe(0);
    },
    CHILD_SPEC_TIMEOUT_MS,
  );

  it(
    'exits after main gives up on a readLine() still waiting',
    async () => {
      const run = await runChild(program, {
        args: ['readLinePendingAtReturn'],
        stdin: 'pipe', // never written, never ended
        hangGuardMs: 60_000,
      });
      expect(run.out).toContain('result:gave up');
      expect(run.signal).toBeNull();
      expect(run.code).toBe(0);
    },
    CHILD_SPEC_TIMEOUT_MS,
  );
});
