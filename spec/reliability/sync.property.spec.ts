/**
 * The runtime invariants again, with a shared Lock, Semaphore(2), Event and Queue(2) in the
 * generated programs, plus their own: mutual exclusion, FIFO grants without barging, no lost
 * wake-up, no lost or duplicated item and FIFO order (see support/syncOps.ts). Tasks holding or
 * waiting on them get cancelled at random times, time out, and swallow cancellation.
 */
import fc from 'fast-check';
import { assertInvariants, runAndCheck } from './support/invariants.js';
import { combineRuntimes, programArbitrary } from './support/program.js';
import { propertyRuns } from './support/runs.js';
import { syncOps, syncRuntime } from './support/syncOps.js';
import { taskToolkitOps, toolkitRuntime } from './support/toolkit.js';

const programs = programArbitrary({
  depth: 4,
  maxOps: 8,
  spawnBoost: 6,
  extensions: (op, prog) => [...syncOps(), ...taskToolkitOps(op, prog)],
});

describe('reliability: sync primitive and queue properties', () => {
  it('locks, semaphores, events and queues keep their invariants under random cancellation', () => {
    fc.assert(
      fc.property(programs, (prog) => {
        assertInvariants(prog, runAndCheck(prog, combineRuntimes(syncRuntime(), toolkitRuntime)));
      }),
      { numRuns: propertyRuns(300) },
    );
  });

  it('they keep their invariants when same-instant timers fire in any order', () => {
    fc.assert(
      fc.property(programs, fc.integer(), (prog, timerSeed) => {
        const runtime = combineRuntimes(syncRuntime(), toolkitRuntime);
        assertInvariants(prog, runAndCheck(prog, runtime, { timerSeed }));
      }),
      { numRuns: propertyRuns(200) },
    );
  });

  it('programs using them are deterministic', () => {
    fc.assert(
      fc.property(programs, (prog) => {
        const a = runAndCheck(prog, combineRuntimes(syncRuntime(), toolkitRuntime));
        const b = runAndCheck(prog, combineRuntimes(syncRuntime(), toolkitRuntime));
        expect(b.run.trace).toEqual(a.run.trace);
      }),
      { numRuns: propertyRuns(60) },
    );
  });
});
