/**
 * Property-based tests of the kernel's invariants: random programs of tasks that sleep, spawn and
 * await each other, cancel each other at random virtual times, cancel themselves, throw, swallow
 * cancellation, clean up asynchronously, nest `yield*` frames and await Observables, run by
 * `run()` on a virtual-time scheduler. A failure prints fast-check's seed and the shrunk program.
 *
 * Set RXIO_PROPERTY_SCALE (Node) to run more cases (the stress mode does).
 */
import fc from 'fast-check';
import { assertInvariants, runAndCheck } from './support/invariants.js';
import { programArbitrary } from './support/program.js';
import { propertyRuns } from './support/runs.js';

const programs = programArbitrary({ depth: 3, maxOps: 6 });
const bigPrograms = programArbitrary({ depth: 4, maxOps: 9 });

describe('reliability: kernel properties', () => {
  it('every task ends in one state, every finally runs once, run() leaves nothing behind, every error is retrieved or reported once', () => {
    fc.assert(
      fc.property(programs, (prog) => {
        assertInvariants(prog, runAndCheck(prog));
      }),
      { numRuns: propertyRuns(300) },
    );
  });

  it('the invariants hold when same-instant timers fire in any order (seeded shuffle)', () => {
    fc.assert(
      fc.property(programs, fc.integer(), (prog, timerSeed) => {
        assertInvariants(prog, runAndCheck(prog, undefined, { timerSeed }));
      }),
      { numRuns: propertyRuns(200) },
    );
  });

  it('a shuffled order replays exactly from its seed', () => {
    fc.assert(
      fc.property(programs, fc.integer(), (prog, timerSeed) => {
        const a = runAndCheck(prog, undefined, { timerSeed });
        const b = runAndCheck(prog, undefined, { timerSeed });
        expect(b.run.trace).toEqual(a.run.trace);
      }),
      { numRuns: propertyRuns(60) },
    );
  });

  it('the invariants hold for larger trees of tasks', () => {
    fc.assert(
      fc.property(bigPrograms, (prog) => {
        assertInvariants(prog, runAndCheck(prog));
      }),
      { numRuns: propertyRuns(60) },
    );
  });

  it('the same program gives the same trace, outcome and reports (determinism)', () => {
    fc.assert(
      fc.property(programs, (prog) => {
        const a = runAndCheck(prog);
        const b = runAndCheck(prog);
        expect(b.run.trace).toEqual(a.run.trace);
        expect(b.virtual.time).toBe(a.virtual.time);
        expect(b.virtual.outcome?.ok).toBe(a.virtual.outcome?.ok);
        expect(b.virtual.reports.map((r) => r.message)).toEqual(
          a.virtual.reports.map((r) => r.message),
        );
      }),
      { numRuns: propertyRuns(100) },
    );
  });
});
