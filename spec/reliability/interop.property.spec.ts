/**
 * The runtime invariants with RxJS operators (merge/concat/switch/exhaust coroutines over an
 * interval on the loop's scheduler) and offloaded jobs (`toThread` on a scripted FakeExecutor) in
 * the generated programs: every projected coroutine's `finally` runs once, whatever cancels it,
 * and no offloaded job is left pending after `run()` (see support/interopOps.ts).
 */
import fc from 'fast-check';
import { interopOps, interopRuntime } from './support/interopOps.js';
import { assertInvariants, runAndCheck } from './support/invariants.js';
import { combineRuntimes, programArbitrary } from './support/program.js';
import { propertyRuns } from './support/runs.js';
import { taskToolkitOps, toolkitRuntime } from './support/toolkit.js';

const programs = programArbitrary({
  depth: 3,
  maxOps: 6,
  spawnBoost: 2,
  extensions: (op, prog) => [...interopOps(), ...taskToolkitOps(op, prog)],
});

describe('reliability: operator and offload properties', () => {
  it('coroutine operators and offloaded jobs keep the invariants under random cancellation', () => {
    fc.assert(
      fc.property(programs, fc.option(fc.integer(), { nil: null }), (prog, timerSeed) => {
        const runtime = combineRuntimes(interopRuntime(), toolkitRuntime);
        assertInvariants(prog, runAndCheck(prog, runtime, { timerSeed }));
      }),
      { numRuns: propertyRuns(200) },
    );
  });
});
