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
import {
  createTask,
  type EventLoop,
  ensureFuture,
  getRunningLoop,
  run,
  sleep,
} from '../../../src/index.js';

const SPIN_LIMIT = 20_000_000;

describe('regression: run() on queueScheduler failed to close its loop', () => {
  it('closes the loop and reports nothing when main ends while the host had turns', async () => {
    let loop: EventLoop | undefined;
    const reports: unknown[] = [];
    let hostRan = false;
    const value = await run(
      (function* () {
        loop = getRunningLoop();
        loop.setExceptionHandler((_loop, context) => reports.push(context.message));
        const spinner = createTask(
          (function* () {
            for (let n = 0; !hostRan && n < SPIN_LIMIT; n++) yield* sleep(0);
          })(),
        );
        // The host's timer settles this Promise: the loop's batches run from the host's turn.
        const resumed = yield* ensureFuture(
          new Promise<string>((resolve) =>
            setTimeout(() => {
              hostRan = true;
              resolve('resumed');
            }, 0),
          ),
        );
        yield* spinner;
        return resumed;
      })(),
      { scheduler: queueScheduler, handleSigint: false, detectDeadlock: false },
    );
    expect(value).toBe('resumed');
    expect(reports).toEqual([]);
    expect(loop?.isClosed()).toBeTrue();
  }, 120_000);
});
