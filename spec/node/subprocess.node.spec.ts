// Subprocesses: real children (`node -e ...`, `cat`, `/bin/sh`). Every child is waited for (or
// killed in a finally), every wait is bounded by a generous guard, and no verdict depends on speed.
import {
  type Coroutine,
  createTask,
  gather,
  ProcessLookupError,
  sleep,
  TimeoutError,
  timeout,
} from '../../src/index.js';
import {
  createSubprocessExec,
  createSubprocessShell,
  DEVNULL,
  PIPE,
  type Process,
  STDOUT,
} from '../../src/node/index.js';
import { guarded } from '../support/outcome.js';

const text = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));
const node = process.execPath;

/** Kills `proc` if it is still running and waits for it (a spec never leaves a child behind). */
function* reap(proc: Process): Coroutine<void> {
  if (proc.returncode === null) {
    try {
      proc.kill();
    } catch {}
  }
  yield* proc.wait();
}

describe('subprocesses (rx-asyncio/node)', () => {
  it('createSubprocessExec: reads stdout line by line; wait() gives the exit status', async () => {
    const out = await guarded(function* () {
      const proc = yield* createSubprocessExec(
        node,
        ['-e', 'console.log("a"); console.log("b"); process.exit(3)'],
        {
          stdout: PIPE,
        },
      );
      const lines = [text(yield* proc.stdout!.readline()), text(yield* proc.stdout!.readline())];
      const code = yield* proc.wait();
      return { lines, code, returncode: proc.returncode, pid: proc.pid };
    });
    expect(out.lines).toEqual(['a\n', 'b\n']);
    expect(out.code).toBe(3);
    expect(out.returncode).toBe(3);
    expect(out.pid).toBeGreaterThan(0);
  }, 60_000);

  it('communicate() moves 8 MiB through cat both ways without a deadlock', async () => {
    const SIZE = 8 * 2 ** 20;
    const out = await guarded(function* () {
      const input = new Uint8Array(SIZE);
      for (let i = 0; i < SIZE; i += 1000) input[i] = i % 251;
      const proc = yield* createSubprocessExec('cat', [], { stdin: PIPE, stdout: PIPE });
      const [stdout, stderr] = yield* proc.communicate(input);
      let same = stdout !== null && stdout.length === SIZE;
      for (let i = 0; same && i < SIZE; i += 1000) same = stdout?.[i] === i % 251;
      return { same, stderr, code: proc.returncode };
    });
    expect(out).toEqual({ same: true, stderr: null, code: 0 });
  }, 60_000);

  it('stderr: PIPE keeps the streams apart; STDOUT merges them in order', async () => {
    const script =
      'process.stdout.write("out1\\n"); process.stderr.write("err\\n"); process.stdout.write("out2\\n")';
    const out = await guarded(function* () {
      const apart = yield* createSubprocessExec(node, ['-e', script], {
        stdout: PIPE,
        stderr: PIPE,
      });
      const [o, e] = yield* apart.communicate();
      const merged = yield* createSubprocessExec(node, ['-e', script], {
        stdout: PIPE,
        stderr: STDOUT,
      });
      const [m, none] = yield* merged.communicate();
      const shell = yield* createSubprocessShell('echo one; echo two >&2', {
        stdout: PIPE,
        stderr: STDOUT,
      });
      const [s] = yield* shell.communicate();
      return [text(o), text(e), text(m), none, text(s)];
    });
    expect(out).toEqual(['out1\nout2\n', 'err\n', 'out1\nerr\nout2\n', null, 'one\ntwo\n']);
  }, 60_000);

  it('DEVNULL and inherited streams are null; the shell, cwd and env are honoured', async () => {
    const out = await guarded(function* () {
      const quiet = yield* createSubprocessExec(node, ['-e', 'console.log("dropped")'], {
        stdout: DEVNULL,
      });
      const none = yield* quiet.communicate();
      const shell = yield* createSubprocessShell('echo $((6 * 7)) "$GREETING" "$(pwd)"', {
        stdout: PIPE,
        cwd: '/',
        env: { GREETING: 'hi', PATH: process.env.PATH },
      });
      const [s] = yield* shell.communicate();
      return { none, quiet: quiet.stdin === null && quiet.stdout === null, shell: text(s) };
    });
    expect(out).toEqual({ none: [null, null], quiet: true, shell: '42 hi /\n' });
  }, 60_000);

  it('terminate() and kill(): returncode is minus the signal number', async () => {
    const out = await guarded(function* () {
      const codes: number[] = [];
      for (const stop of ['terminate', 'kill'] as const) {
        const proc = yield* createSubprocessExec(node, ['-e', 'setInterval(() => {}, 1000)']);
        proc[stop]();
        codes.push(yield* proc.wait());
      }
      return codes;
    });
    expect(out).toEqual([-15, -9]);
  }, 60_000);

  it('sendSignal() after the exit raises ProcessLookupError', async () => {
    const e = await guarded(function* () {
      const proc = yield* createSubprocessExec(node, ['-e', '0']);
      yield* proc.wait();
      try {
        proc.sendSignal('SIGTERM');
        return null;
      } catch (e) {
        return e;
      }
    });
    expect(e).toEqual(jasmine.any(ProcessLookupError));
  }, 60_000);

  it('cancelling wait() or communicate() does not kill the child', async () => {
    const out = await guarded(function* () {
      // runs until SIGTERM, then says so and exits with 7
      const script =
        'setInterval(() => {}, 1000); process.on("SIGTERM", () => { console.log("term"); process.exit(7); }); console.log("up")';
      const proc = yield* createSubprocessExec(node, ['-e', script], { stdout: PIPE });
      try {
        const up = text(yield* proc.stdout!.readline());
        let timedOut = 0;
        try {
          yield* timeout(200, function* () {
            return yield* proc.wait();
          });
        } catch (e) {
          if (e instanceof TimeoutError) timedOut++;
        }
        const c = createTask(proc.communicate());
        yield* sleep(100);
        c.cancel();
        try {
          yield* c;
        } catch {}
        const alive = proc.returncode === null && isAlive(proc.pid);
        proc.terminate();
        const [code, rest] = yield* gather(proc.wait(), proc.stdout!.read());
        return { up, timedOut, alive, code, rest: text(rest) };
      } finally {
        yield* reap(proc);
      }
    });
    expect(out).toEqual({ up: 'up\n', timedOut: 1, alive: true, code: 7, rest: 'term\n' });
  }, 60_000);

  it('a program that does not exist raises ENOENT; bad stdio values raise TypeError', async () => {
    const e = (await guarded(function* () {
      try {
        yield* createSubprocessExec('/nonexistent/program-rx-asyncio');
        return null;
      } catch (e) {
        return e;
      }
    })) as { code?: string };
    expect(e?.code).toBe('ENOENT');
    const bad = await guarded(function* () {
      try {
        yield* createSubprocessExec(node, [], { stdout: 'pipe' as never });
        return null;
      } catch (e) {
        return e;
      }
    });
    expect(bad).toEqual(jasmine.any(TypeError));
  }, 60_000);
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
