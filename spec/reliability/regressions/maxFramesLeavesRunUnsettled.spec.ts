/**
 * Issue 14, item 13: a plain `TestScheduler` stops flushing at `maxFrames` (750). A program whose
 * next event lay beyond it was silently dropped: `run()` stayed unsettled and the test saw
 * nothing. Now the loop looks again at the last frame and, if its next event is still beyond,
 * halts with a `RuntimeError` that says what to do, so `run()` rejects.
 */

import { TestScheduler } from 'rxjs/testing';
import { Runner, type RunOutcome, run, sleep } from '../../../src/index.js';

function plainScheduler(): TestScheduler {
  return new TestScheduler(() => {}); // maxFrames = 750
}

describe('regression: reaching a TestScheduler maxFrames left run() unsettled', () => {
  it('run() rejects, naming maxFrames, when the next event lies past the last frame', async () => {
    const scheduler = plainScheduler();
    const log: string[] = [];
    const p = run(
      (function* () {
        try {
          yield* sleep(100);
          log.push('100');
          yield* sleep(5000);
          log.push('5100');
        } finally {
          log.push(`finally@${scheduler.now()}`);
        }
      })(),
      { scheduler, exceptionHandler: () => {} },
    );
    scheduler.flush();
    await expectAsync(p).toBeRejectedWithError(/maxFrames = 750/);
    expect(log[0]).toBe('100');
    expect(log).not.toContain('5100');
  });

  it('an event within the frames still runs; something else waking the loop first is fine', () => {
    const scheduler = plainScheduler();
    let outcome: RunOutcome<string> | undefined;
    const runner = new Runner({ scheduler });
    const loop = runner.loop;
    runner.start(
      (function* () {
        const fut = loop.createFuture<string>();
        const timer = loop.callLater(10_000, () => fut.setResult('late'));
        // An outside event at frame 500 (e.g. a hot Observable) completes it first.
        scheduler.schedule(() => {
          timer.cancel();
          fut.setResult('early');
        }, 500);
        return yield* fut;
      })(),
      (o) => {
        outcome = o;
      },
    );
    scheduler.flush();
    expect(outcome).toEqual({ ok: true, value: 'early' });
  });
});
