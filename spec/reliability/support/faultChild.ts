import { type ChildRun, runChild } from '../../support/childProcess.js';

const program = new URL('../regressions/fixtures/faultProgram.ts', import.meta.url);

/**
 * Runs the issue-14 fault fixture in `mode` as a child process (see spec/support/childProcess.ts);
 * with `interruptOn`, sends one SIGINT as soon as stdout shows that text.
 */
export function faultChild(mode: string, interruptOn?: string): Promise<ChildRun> {
  let sent = false;
  return runChild(program, {
    args: [mode],
    onStdout: (out, proc) => {
      if (interruptOn !== undefined && !sent && out.includes(interruptOn)) {
        sent = true;
        proc.kill('SIGINT');
      }
    },
  });
}
