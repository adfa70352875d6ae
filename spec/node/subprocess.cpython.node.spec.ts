// Ports of CPython 3.13's Lib/test/test_asyncio/test_subprocess.py (SubprocessMixin) to
// rx-asyncio/node. Children are `node -e` programs (CPython's run `sys.executable -c`); each `it`
// is named after its CPython test. Every child is waited for or killed, and every wait is bounded
// by the shared hang guard, never by a wall-clock window.
import {
  BrokenPipeError,
  CancelledError,
  ConnectionResetError,
  type Coroutine,
  createTask,
  gather,
  getRunningLoop,
  sleep,
} from '../../src/index.js';
import {
  createSubprocessExec,
  createSubprocessShell,
  DEVNULL,
  PIPE,
  type Process,
} from '../../src/node/index.js';
import { guarded, raised } from '../support/outcome.js';

const text = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));
const node = process.execPath;
const SPEC_MS = 60_000;

/** CPython's PROGRAM_BLOCKED: a child that runs until killed. */
const BLOCKED = ['-e', 'setInterval(() => {}, 3600_000)'];
/** CPython's PROGRAM_CAT: copies stdin to stdout. */
const CAT = ['-e', 'process.stdin.pipe(process.stdout)'];
/** Prints the length of what it read on stdin. */
const LEN = [
  '-e',
  'let n = 0; process.stdin.on("data", (d) => { n += d.length; }); process.stdin.on("end", () => console.log(n))',
];

type Stdio = typeof PIPE | typeof DEVNULL;

/**
 * Runs the LEN program with the given stdio, communicates `input`, and returns the trimmed
 * stdout (null if not a pipe), stderr (null if not a pipe) and the exit status.
 */
function lengthOf(stdin: Stdio, stdout: Stdio, stderr: Stdio, input?: string) {
  return guarded(function* () {
    const proc = yield* createSubprocessExec(node, LEN, { stdin, stdout, stderr });
    const [out, err] = yield* proc.communicate(input);
    return [text(out)?.trim() ?? null, err === null ? null : text(err), yield* proc.wait()];
  });
}

describe('subprocesses (CPython test_subprocess)', () => {
  it(
    'test_stdin_stdout',
    async () => {
      const out = await guarded(function* () {
        const proc = yield* createSubprocessExec(node, CAT, { stdin: PIPE, stdout: PIPE });
        proc.stdin!.write('some data');
        yield* proc.stdin!.drain();
        proc.stdin!.close();
        const data = text(yield* proc.stdout!.read());
        return [yield* proc.wait(), data];
      });
      expect(out).toEqual([0, 'some data']);
    },
    SPEC_MS,
  );

  it(
    'test_communicate',
    async () => {
      const out = await guarded(function* () {
        const proc = yield* createSubprocessExec(node, CAT, { stdin: PIPE, stdout: PIPE });
        const [stdout, stderr] = yield* proc.communicate('some data');
        return [proc.returncode, text(stdout), stderr];
      });
      expect(out).toEqual([0, 'some data', null]);
    },
    SPEC_MS,
  );

  it(
    'test_communicate_none_input',
    async () => {
      const out = await guarded(function* () {
        const proc = yield* createSubprocessExec(node, CAT, { stdin: PIPE, stdout: PIPE });
        const [stdout] = yield* proc.communicate();
        return [proc.returncode, text(stdout)];
      });
      expect(out).toEqual([0, '']);
    },
    SPEC_MS,
  );

  it(
    'test_shell',
    async () => {
      const code = await guarded(function* () {
        const proc = yield* createSubprocessShell('exit 7');
        return yield* proc.wait();
      });
      expect(code).toBe(7);
    },
    SPEC_MS,
  );

  it(
    'test_kill',
    async () => {
      const code = await guarded(function* () {
        const proc = yield* createSubprocessExec(node, BLOCKED);
        proc.kill();
        return yield* proc.wait();
      });
      expect(code).toBe(-9);
    },
    SPEC_MS,
  );

  it(
    'test_kill_issue43884',
    async () => {
      const code = await guarded(function* () {
        const proc = yield* createSubprocessShell('sleep 1; sleep 1', { stdout: PIPE });
        proc.kill();
        return yield* proc.wait();
      });
      expect(code).toBe(-9);
    },
    SPEC_MS,
  );

  it(
    'test_terminate',
    async () => {
      const code = await guarded(function* () {
        const proc = yield* createSubprocessExec(node, BLOCKED);
        proc.terminate();
        return yield* proc.wait();
      });
      expect(code).toBe(-15);
    },
    SPEC_MS,
  );

  it(
    'test_send_signal',
    async () => {
      const out = await guarded(function* () {
        const proc = yield* createSubprocessExec(
          node,
          ['-e', 'console.log("sleeping"); setInterval(() => {}, 3600_000)'],
          { stdout: PIPE },
        );
        try {
          // Waits until the program runs, so SIGHUP meets its default action.
          const line = text(yield* proc.stdout!.readline());
          proc.sendSignal('SIGHUP');
          return [line, yield* proc.wait()];
        } finally {
          if (proc.returncode === null) proc.kill();
          yield* proc.wait();
        }
      });
      expect(out).toEqual(['sleeping\n', -1]);
    },
    SPEC_MS,
  );

  it(
    'test_stdin_broken_pipe',
    async () => {
      const e = await guarded(function* () {
        // The program ends before its stdin can be fed.
        const proc = yield* createSubprocessExec(node, ['-e', '0'], { stdin: PIPE });
        yield* proc.wait();
        proc.stdin!.write(new Uint8Array(4 * 2 ** 20));
        return yield* raised(proc.stdin!.drain());
      });
      expect(e instanceof BrokenPipeError || e instanceof ConnectionResetError).toBeTrue();
    },
    SPEC_MS,
  );

  it(
    'test_communicate_ignore_broken_pipe',
    async () => {
      const out = await guarded(function* () {
        const proc = yield* createSubprocessExec(node, ['-e', '0'], { stdin: PIPE });
        const errors: unknown[] = [];
        getRunningLoop().setExceptionHandler((_loop, ctx) => errors.push(ctx));
        // communicate() ignores the BrokenPipeError of feeding stdin.
        const res = yield* proc.communicate(new Uint8Array(4 * 2 ** 20));
        return [res, yield* proc.wait(), errors.length];
      });
      expect(out).toEqual([[null, null], 0, 0]);
    },
    SPEC_MS,
  );

  it(
    'test_pause_reading (the output past twice the limit all arrives)',
    async () => {
      const limit = 10;
      const size = limit * 2 + 1;
      const out = await guarded(function* () {
        const proc = yield* createSubprocessExec(
          node,
          ['-e', `process.stdout.write("x".repeat(${size}))`],
          {
            stdin: PIPE,
            stdout: PIPE,
            limit,
          },
        );
        const [stdout] = yield* proc.communicate();
        return [text(stdout), proc.stdout!.limit];
      });
      expect(out).toEqual(['x'.repeat(size), limit]);
    },
    SPEC_MS,
  );

  it(
    'test_stdin_not_inheritable',
    async () => {
      expect(await lengthOf(PIPE, PIPE, PIPE, 'abc')).toEqual(['3', '', 0]);
    },
    SPEC_MS,
  );

  it(
    'test_empty_input',
    async () => {
      expect(await lengthOf(PIPE, PIPE, PIPE, '')).toEqual(['0', '', 0]);
    },
    SPEC_MS,
  );

  it(
    'test_devnull_input',
    async () => {
      expect(await lengthOf(DEVNULL, PIPE, PIPE)).toEqual(['0', '', 0]);
    },
    SPEC_MS,
  );

  it(
    'test_devnull_output',
    async () => {
      expect(await lengthOf(PIPE, DEVNULL, PIPE, 'abc')).toEqual([null, '', 0]);
    },
    SPEC_MS,
  );

  it(
    'test_devnull_error',
    async () => {
      expect(await lengthOf(PIPE, PIPE, DEVNULL, 'abc')).toEqual(['3', null, 0]);
    },
    SPEC_MS,
  );

  it(
    'test_cancel_process_wait',
    async () => {
      const out = await guarded(function* () {
        const proc = yield* createSubprocessExec(node, BLOCKED);
        const task = createTask(proc.wait());
        getRunningLoop().callSoon(() => task.cancel());
        const e = yield* raised(task);
        task.cancel();
        // The child outlived the cancelled wait; kill it and wait until it is done.
        const running = proc.returncode === null;
        proc.kill();
        return [e instanceof CancelledError, running, yield* proc.wait()];
      });
      expect(out).toEqual([true, true, -9]);
    },
    SPEC_MS,
  );

  it(
    'test_cancel_make_subprocess_transport_exec',
    async () => {
      // A token in the child's arguments finds it in `ps` (the Process never reaches the caller).
      const token = `rx-asyncio-cancelled-start-${process.pid}-${Date.now()}`;
      const out = await guarded(function* () {
        const task = createTask(createSubprocessExec(node, [...BLOCKED, token]));
        getRunningLoop().callSoon(() => task.cancel());
        const e = yield* raised(task);
        const ps = yield* createSubprocessExec('ps', ['-eo', 'pid=,args='], { stdout: PIPE });
        const [listing] = yield* ps.communicate();
        const left = (text(listing) ?? '')
          .split('\n')
          .filter((line) => line.includes(token) && !line.includes('ps -eo'))
          .map((line) => Number.parseInt(line.trim(), 10));
        for (const pid of left) process.kill(pid, 'SIGKILL'); // a failing run leaves nothing behind
        return [e instanceof CancelledError, left.length];
      });
      // The cancelled start killed (and reaped) the child: no process runs with the token.
      expect(out).toEqual([true, 0]);
    },
    SPEC_MS,
  );

  it(
    'test_read_stdout_after_process_exit',
    async () => {
      const out = await guarded(function* () {
        const proc = yield* createSubprocessExec(
          node,
          ['-e', 'process.stdout.write("x".repeat(64 * 4096), () => process.exit(1))'],
          { stdout: PIPE },
        );
        let total = 0;
        for (;;) {
          const data = yield* proc.stdout!.read(65536);
          if (data.length === 0) break;
          total += data.length;
          yield* sleep(30);
        }
        return [total, yield* proc.wait()];
      });
      expect(out).toEqual([64 * 4096, 1]);
    },
    SPEC_MS,
  );

  /** CPython's check_stdout_output: communicate, then wait() answers at once. */
  function* stdoutAndWait(proc: Process): Coroutine<unknown[]> {
    const [stdout] = yield* proc.communicate();
    const task = createTask(proc.wait());
    yield* sleep(0);
    return [text(stdout), proc.returncode, task.done() && task.result()];
  }

  it(
    'test_create_subprocess_env_shell',
    async () => {
      const out = await guarded(function* () {
        const proc = yield* createSubprocessShell(
          `"${node}" -e "process.stdout.write(process.env.FOO)"`,
          { env: { ...process.env, FOO: 'bar' }, stdout: PIPE },
        );
        return yield* stdoutAndWait(proc);
      });
      expect(out).toEqual(['bar', 0, 0]);
    },
    SPEC_MS,
  );

  it(
    'test_create_subprocess_env_exec',
    async () => {
      const out = await guarded(function* () {
        const proc = yield* createSubprocessExec(
          node,
          ['-e', 'process.stdout.write(process.env.FOO)'],
          {
            env: { ...process.env, FOO: 'baz' },
            stdout: PIPE,
          },
        );
        return yield* stdoutAndWait(proc);
      });
      expect(out).toEqual(['baz', 0, 0]);
    },
    SPEC_MS,
  );

  it(
    'test_subprocess_concurrent_wait',
    async () => {
      const out = await guarded(function* () {
        const proc = yield* createSubprocessExec(node, CAT, { stdin: PIPE, stdout: PIPE });
        const [stdout] = yield* proc.communicate('some data');
        const waits = yield* gather(...Array.from({ length: 10 }, () => proc.wait()));
        return [text(stdout), proc.returncode, waits];
      });
      expect(out).toEqual(['some data', 0, Array(10).fill(0)]);
    },
    SPEC_MS,
  );

  it(
    'test_subprocess_communicate_stdout',
    async () => {
      const outputs = Array.from({ length: 10 }, (_, i) => `foo${i}`);
      const got = await guarded(function* () {
        return yield* gather(
          ...outputs.map((o) =>
            (function* () {
              const proc = yield* createSubprocessExec(
                node,
                ['-e', `console.log(${JSON.stringify(o)})`],
                {
                  stdout: PIPE,
                },
              );
              const [stdout] = yield* proc.communicate();
              return text(stdout)?.trim();
            })(),
          ),
        );
      });
      expect(got).toEqual(outputs);
    },
    SPEC_MS,
  );
});
