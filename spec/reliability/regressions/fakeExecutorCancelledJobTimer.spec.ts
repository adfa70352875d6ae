/**
 * Found by the operator/offload property suite: the testing kit's FakeExecutor kept the timer of
 * a scripted job after the job was cancelled with its task (or failed by shutdown), so a live
 * timer stayed in the loop until the job's scripted end: a leak, and a loop that did not look
 * idle. The timer is now cancelled as soon as the job is over.
 */
import { FakeExecutor } from '../../../marbles/FakeExecutor.js';
import { runVirtual } from '../../../marbles/runVirtual.js';
import { createTask, getRunningLoop, sleep, toThread } from '../../../src/index.js';

function double(n: number): number {
  return 2 * n;
}

describe('regression: FakeExecutor left the timer of a cancelled job', () => {
  it('cancelling the awaiting task cancels the job and its timer', () => {
    const fake = new FakeExecutor(() => ({ after: 1000, value: 0 }));
    const r = runVirtual(
      (function* () {
        const loop = getRunningLoop();
        loop.setDefaultExecutor(fake);
        const t = createTask(toThread(double, 21));
        yield* sleep(10);
        t.cancel();
        yield* sleep(0);
        return [t.cancelled(), loop._timers.size];
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: [true, 0] });
    expect(fake.jobs.map((j) => j.state)).toEqual(['cancelled']);
    expect(r.time).toBe(10);
  });
});
