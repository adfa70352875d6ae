/**
 * Found by the issue-17 work: with `run(main, { scheduler: queueScheduler })`, when the loop's
 * last batch ran from the host's turn (outside queueScheduler's queue), the runner's "close the
 * loop after the shutdown" action ran at once, inside the loop's own callback: close() failed
 * with "cannot close a running event loop", reported to the exception handler, and the loop
 * stayed open. The close now waits until the callback has returned.
 *
 * Bounded by outcome: the spinner stops on its own after at most SPIN_LIMIT iterations.
 */
import { queueScheduler } from 'rxjs';
import { type EventLoop, getRunningLoop, run } from '../../../src/index.js';
import { spinUntilHostTimer } from '../support/hostTimerRace.js';

describe('regression: run() on queueScheduler failed to close its loop', () => {
  it('closes the loop and reports nothing when main ends while the host had turns', async () => {
    let loop: EventLoop | undefined;
    const reports: unknown[] = [];
    const value = await run(
      (function* () {
        loop = getRunningLoop();
        loop.setExceptionHandler((_loop, context) => reports.push(context.message));
        // The host's timer settles a Promise: the loop's batches run from the host's turn.
        return yield* spinUntilHostTimer();
      })(),
      { scheduler: queueScheduler, handleSigint: false, detectDeadlock: false },
    );
    expect(value).toEqual({ hostRan: true, resumed: 'resumed' });
    expect(reports).toEqual([]);
    expect(loop?.isClosed()).toBeTrue();
  }, 120_000);
});
