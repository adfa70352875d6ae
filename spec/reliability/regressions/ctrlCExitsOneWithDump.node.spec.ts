/**
 * Issue 14, item 11: Ctrl-C cleaned up correctly but the process exited 1 with Node's
 * `triggerUncaughtException` dump of a `CancelledError`; and with a task that swallows
 * cancellation after `main` returned, the first Ctrl-C did not end the program. Now `run()`
 * rejects with `KeyboardInterrupt`; left unhandled it prints one line and exits 130 (Python's
 * status), and a Ctrl-C during the shutdown ends the run at once.
 */

import { virtualScheduler } from '../../../marbles/runVirtual.js';
import {
  CancelledError,
  type Coroutine,
  createTask,
  KeyboardInterrupt,
  Runner,
  sleep,
} from '../../../src/index.js';
import { CHILD_SPEC_TIMEOUT_MS, type ChildRun } from '../../support/childProcess.js';
import { faultChild as child } from '../support/faultChild.js';

describe('regression: Ctrl-C exited 1 with a dump of CancelledError', () => {
  describe('in a child process', () => {
    let during: Promise<ChildRun>;
    let afterMain: Promise<ChildRun>;
    beforeAll(() => {
      during = child('sigint', 'ready');
      afterMain = child('sigintAfterMain', 'swallowed');
      during.catch(() => {});
      afterMain.catch(() => {});
    });

    it(
      'Ctrl-C while main sleeps: cleanup runs, one line "KeyboardInterrupt", status 130',
      async () => {
        const { out, err, code } = await during;
        expect(out).toContain('cleanup');
        expect(out).not.toContain('result:');
        expect(err).toBe('KeyboardInterrupt\n');
        expect(code).toBe(130);
      },
      CHILD_SPEC_TIMEOUT_MS,
    );

    it(
      'Ctrl-C after main returned, while a task swallows cancels: the program still ends',
      async () => {
        const { out, err, code } = await afterMain;
        expect(out).toContain('swallowed');
        expect(err).toContain('KeyboardInterrupt\n');
        expect(err).toContain('Task was destroyed but it is pending!');
        expect(code).toBe(130);
      },
      CHILD_SPEC_TIMEOUT_MS,
    );
  });

  describe('Runner.interrupt (virtual time)', () => {
    it("cancels main; the run ends with the interrupt, after main's finally", () => {
      const scheduler = virtualScheduler();
      const runner = new Runner({ scheduler });
      const log: string[] = [];
      let outcome: unknown;
      runner.start(
        (function* (): Coroutine<string> {
          try {
            yield* sleep(1000);
            return 'slept';
          } finally {
            log.push(`finally@${scheduler.now()}`);
          }
        })(),
        (o) => {
          outcome = o;
        },
      );
      const ki = new KeyboardInterrupt();
      scheduler.schedule(() => runner.interrupt(ki), 10);
      scheduler.flush();
      expect(outcome).toEqual({ ok: false, error: ki });
      expect(log).toEqual(['finally@10']);
    });

    it('main that catches the cancellation and returns keeps its own outcome (asyncio)', () => {
      const scheduler = virtualScheduler();
      const runner = new Runner({ scheduler });
      let outcome: unknown;
      runner.start(
        (function* (): Coroutine<string> {
          try {
            yield* sleep(1000);
            return 'slept';
          } catch (e) {
            if (!(e instanceof CancelledError)) throw e;
            return 'caught';
          }
        })(),
        (o) => {
          outcome = o;
        },
      );
      scheduler.schedule(() => runner.interrupt(new KeyboardInterrupt()), 10);
      scheduler.flush();
      expect(outcome).toEqual({ ok: true, value: 'caught' });
    });

    it('an interrupt during the shutdown (main returned, a task swallows cancels) ends the run', () => {
      const scheduler = virtualScheduler();
      const reports: string[] = [];
      const runner = new Runner({
        scheduler,
        exceptionHandler: (_l, c) => void reports.push(c.message),
      });
      let outcome: unknown;
      runner.start(
        (function* (): Coroutine<string> {
          createTask(
            (function* () {
              for (;;) {
                try {
                  yield* sleep(60_000);
                } catch {
                  // swallows every cancellation
                }
              }
            })(),
          );
          yield* sleep(10);
          return 'main done';
        })(),
        (o) => {
          outcome = o;
        },
      );
      const ki = new KeyboardInterrupt();
      scheduler.schedule(() => runner.interrupt(ki), 20);
      scheduler.flush();
      expect(outcome).toEqual({ ok: false, error: ki });
      expect(runner.loop.isClosed()).toBe(true);
      expect(reports).toContain('Task was destroyed but it is pending!');
    });
  });
});
