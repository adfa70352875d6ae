// Real signals to a child process of the spec: its handlers (addSignalHandler) run as loop
// callbacks; after run() the handlers are gone. Bounded by a generous guard; the child is reaped.
import { fileURLToPath } from 'node:url';
import {
  addSignalHandler,
  type Coroutine,
  RuntimeError,
  removeSignalHandler,
} from '../../src/index.js';
import { createSubprocessExec, PIPE } from '../../src/node/index.js';
import { CHILD_SPEC_TIMEOUT_MS, runChild } from '../support/childProcess.js';
import { guarded as guardedRun } from '../support/outcome.js';

const child = fileURLToPath(new URL('./fixtures/signalChild.ts', import.meta.url));
const sigintChild = new URL('./fixtures/sigintChild.ts', import.meta.url);

const guarded = <T>(body: () => Coroutine<T>) => guardedRun(body, 60_000);

describe('addSignalHandler / removeSignalHandler', () => {
  it('runs the handler on the loop for each signal; the last handler set wins; removed at close', async () => {
    const out = await guarded(function* () {
      const proc = yield* createSubprocessExec(process.execPath, ['--import', 'tsx', child], {
        stdout: PIPE,
      });
      try {
        const lines: string[] = [];
        const next = function* () {
          const line = new TextDecoder().decode(yield* proc.stdout!.readline()).trim();
          lines.push(line);
          return line;
        };
        expect(yield* next()).toBe('ready');
        proc.sendSignal('SIGHUP');
        expect(yield* next()).toBe('hup 1');
        proc.sendSignal('SIGHUP');
        expect(yield* next()).toBe('hup 2');
        proc.sendSignal('SIGUSR2');
        expect(yield* next()).toBe('usr2');
        proc.sendSignal('SIGTERM');
        yield* next(); // removed
        yield* next(); // done
        return { lines, code: yield* proc.wait() };
      } finally {
        if (proc.returncode === null) proc.kill();
        yield* proc.wait();
      }
    });
    expect(out.lines).toEqual(['ready', 'hup 1', 'hup 2', 'usr2', 'removed true false', 'done 2']);
    expect(out.code).toBe(0);
  }, 60_000);

  it('refuses what is not a catchable signal', async () => {
    const errors = await guarded(function* () {
      const out: unknown[] = [];
      for (const sig of ['SIGKILL', 'nope', 42]) {
        try {
          addSignalHandler(sig as string, () => {});
        } catch (e) {
          out.push(e);
        }
      }
      out.push(removeSignalHandler('SIGHUP'));
      return out;
    });
    expect(errors[0]).toEqual(jasmine.any(RuntimeError));
    expect(errors[1]).toEqual(jasmine.any(TypeError));
    expect(errors[2]).toEqual(jasmine.any(TypeError));
    expect(errors[3]).toBeFalse();
    expect(process.listenerCount('SIGHUP')).toBe(0);
  }, 60_000);

  it(
    "a SIGINT handler replaces run()'s Ctrl-C handling until it is removed (asyncio)",
    async () => {
      // Each Ctrl-C is sent only once the child printed its answer to the one before, so the
      // verdict is the child's output and status, whatever the machine's speed.
      const sent = new Set<string>();
      const { out, err, code } = await runChild(sigintChild, {
        onStdout: (soFar, proc) => {
          for (const cue of ['ready', 'handled 1', 'removed true']) {
            if (soFar.includes(cue) && !sent.has(cue)) {
              sent.add(cue);
              proc.kill('SIGINT');
            }
          }
        },
      });
      expect(out.split('\n').filter(Boolean)).toEqual([
        'ready',
        'handled 1',
        'handled 2',
        'removed true',
        'cleanup',
      ]);
      expect(err).toBe('KeyboardInterrupt\n');
      expect(code).toBe(130);
    },
    CHILD_SPEC_TIMEOUT_MS,
  );
});
