/**
 * Issue 14, item 10: on `asapScheduler` or `queueScheduler`, a task looping on `sleep(0)` starved
 * the host forever: the loop handed the host its turn through the loop's own scheduler, whose zero
 * delay is a microtask, so no timer, I/O or Promise settled from one could ever run. The host's
 * turn now goes through the macrotask scheduler on those schedulers too.
 *
 * Bounded by outcome: the spinner stops on its own after many iterations, and the verdict is
 * whether a host timer got to run before that (before the fix it never did; the spec then failed
 * instead of hanging).
 */

import { asapScheduler, queueScheduler, type SchedulerLike } from 'rxjs';
import { run } from '../../../src/index.js';
import { spinUntilHostTimer } from '../support/hostTimerRace.js';

function starves(scheduler: SchedulerLike): Promise<{ hostRan: boolean; resumed: string }> {
  return run(spinUntilHostTimer(), { scheduler, handleSigint: false, detectDeadlock: false });
}

describe('regression: a sleep(0) loop on asapScheduler/queueScheduler starved the host', () => {
  it('asapScheduler: a host timer runs while a task spins on sleep(0)', async () => {
    expect(await starves(asapScheduler)).toEqual({ hostRan: true, resumed: 'resumed' });
  }, 120_000);

  it('queueScheduler: a host timer runs while a task spins on sleep(0)', async () => {
    expect(await starves(queueScheduler)).toEqual({ hostRan: true, resumed: 'resumed' });
  }, 120_000);
});
