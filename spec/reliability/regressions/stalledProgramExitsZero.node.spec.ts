/**
 * Issue 14, item 1: a program whose `main` waited on something nothing could complete (here a
 * `Queue.get()` whose producer died) let Node empty its event loop and exit with status 0:
 * `run()` never settled, no `finally` ran, the producer's error was never printed. Now Node's
 * `beforeExit` while `run()` is unsettled means a deadlock: `main` is cancelled, the usual
 * shutdown runs, `run()` rejects with `DeadlockError` and its task dump, the status is 1. A
 * program parked on a real external event never gets `beforeExit` and is left alone.
 */

import { CHILD_SPEC_TIMEOUT_MS, type ChildRun } from '../../support/childProcess.js';
import { faultChild as child } from '../support/faultChild.js';

describe('regression: a stalled program exited 0 and lost its error', () => {
  // Both children are queued together; each spec awaits its own.
  let stalled: Promise<ChildRun>;
  let parked: Promise<ChildRun>;
  beforeAll(() => {
    stalled = child('stalled');
    parked = child('parked');
    stalled.catch(() => {});
    parked.catch(() => {});
  });

  it(
    'ends with DeadlockError and a task dump, runs finally, reports the dead producer, exits 1',
    async () => {
      const { out, err, code } = await stalled;
      expect(out).toContain('cleanup');
      expect(out).not.toContain('result:');
      expect(err).toContain('DeadlockError: run(): the program stalled');
      expect(err).toContain('<Task pending name="main" waiting on <Queue.get() pending>>');
      expect(err).toContain('Error: disk full');
      expect(code).toBe(1);
    },
    CHILD_SPEC_TIMEOUT_MS,
  );

  it(
    'leaves a program parked on a host timer alone',
    async () => {
      const { out, err, code } = await parked;
      expect(out).toContain('result:woke');
      expect(err).toBe('');
      expect(code).toBe(0);
    },
    CHILD_SPEC_TIMEOUT_MS,
  );
});
