/**
 * Issue 14, item 2: after a timed-out `input()` (`waitFor(toThread(input, ...), 500)`), its
 * worker stayed blocked in `read(0)` and the next `input()` competed with it byte by byte (the
 * second line came back as "ello", "hl" or was lost), and at exit rx-asyncio SIGKILLed its own
 * process, so the status the program chose became a SIGKILL. Now stdin has one reader (the main
 * thread): the timed-out `input()` leaves the bytes it had to the next `input()`/`readLine()`, no
 * byte is read twice or dropped, and the process exits with the status it chose.
 *
 * The child's stdin stays open all along (no EOF to end a stuck read). Every step waits for the
 * child's prompt, never for a guessed delay: "hel" goes out after 'first> ' (the first input()
 * may or may not have read it before it times out: the verdict is the same either way), the rest
 * after 'next> '. On a loaded machine the first input() can time out before its job reaches a
 * worker: the job is then cancelled unstarted (as concurrent.futures' cancel() of a job not yet
 * running) and 'first> ' is never printed, so 'next> ' alone starts the typing too.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHILD_SPEC_TIMEOUT_MS, type ChildRun, runChild } from '../../support/childProcess.js';

const program = new URL('./fixtures/faultProgram.ts', import.meta.url);

function typist(write: (text: string) => void): (out: string) => void {
  let step = 0;
  return (out) => {
    if (step === 0 && (out.includes('first> ') || out.includes('next> '))) {
      step = 1;
      write('hel');
    }
    if (step === 1 && out.includes('next> ')) {
      step = 2;
      write('lo\nworld\nthird\n');
    }
  };
}

function expectClean(run: ChildRun): void {
  expect(run.out).toContain('result:hello|world|third');
  expect(run.err).not.toContain('stuck in a blocking system call');
  expect(run.signal).toBeNull();
  expect(run.code).toBe(3);
}

describe('regression: a timed-out input() garbles the next line and exit SIGKILLs', () => {
  it(
    'socket stdin (Node spawn pipe): the next readers get whole lines, exit status 3',
    async () => {
      let type: ((out: string) => void) | undefined;
      const run = await runChild(program, {
        args: ['inputAfterTimeout'],
        stdin: 'pipe', // never ended: stays open
        onStdout: (out, proc) => {
          type ??= typist((t) => proc.stdin?.write(t));
          type(out);
        },
        hangGuardMs: 60_000,
      });
      expectClean(run);
    },
    CHILD_SPEC_TIMEOUT_MS,
  );

  it(
    'FIFO stdin (a shell pipe): the same',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'rx-asyncio-garble-'));
      const fifo = join(dir, 'stdin');
      execFileSync('mkfifo', [fifo]);
      const fd = openSync(fifo, 'r+'); // a reader and a writer: no EOF while we hold it
      try {
        const type = typist((t) => writeSync(fd, t));
        const run = await runChild(program, {
          args: ['inputAfterTimeout'],
          stdin: fd,
          onStdout: (out) => type(out),
          hangGuardMs: 60_000,
        });
        expectClean(run);
      } finally {
        closeSync(fd);
        rmSync(dir, { recursive: true, force: true });
      }
    },
    CHILD_SPEC_TIMEOUT_MS,
  );
});
