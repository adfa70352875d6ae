/**
 * The kernel properties again, with the task toolkit in the generated programs: `gather` of a
 * task's children, `waitFor` a child with a random deadline, `timeout` around a random block
 * (which may swallow the cancellation), and `TaskGroup`s of random sub-programs. On top of the
 * kernel invariants: a timed-out `waitFor`'s child is done, a `TimeoutError`'s cause is the
 * `CancelledError` and the task's `cancelling()` is restored, a TaskGroup never exits with a
 * member pending, `gather` returns one result per child.
 */
import fc from 'fast-check';
import { assertInvariants, runAndCheck } from './support/invariants.js';
import { programArbitrary } from './support/program.js';
import { propertyRuns } from './support/runs.js';
import { taskToolkitOps, toolkitRuntime } from './support/toolkit.js';

const programs = programArbitrary({ depth: 3, maxOps: 6, extensions: taskToolkitOps });

describe('reliability: task toolkit properties', () => {
  it('gather, waitFor, timeout and TaskGroup keep the runtime invariants', () => {
    fc.assert(
      fc.property(programs, (prog) => {
        assertInvariants(prog, runAndCheck(prog, toolkitRuntime));
      }),
      { numRuns: propertyRuns(300) },
    );
  });

  it('the toolkit keeps the invariants when same-instant timers fire in any order', () => {
    fc.assert(
      fc.property(programs, fc.integer(), (prog, timerSeed) => {
        assertInvariants(prog, runAndCheck(prog, toolkitRuntime, { timerSeed }));
      }),
      { numRuns: propertyRuns(200) },
    );
  });

  it('programs using the toolkit are deterministic', () => {
    fc.assert(
      fc.property(programs, (prog) => {
        const a = runAndCheck(prog, toolkitRuntime);
        const b = runAndCheck(prog, toolkitRuntime);
        expect(b.run.trace).toEqual(a.run.trace);
        expect(b.virtual.reports.map((r) => r.message)).toEqual(
          a.virtual.reports.map((r) => r.message),
        );
      }),
      { numRuns: propertyRuns(60) },
    );
  });
});
