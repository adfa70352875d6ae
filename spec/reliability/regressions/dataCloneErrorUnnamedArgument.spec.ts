/**
 * Issue 14, item 13: a `toThread` argument that cannot be structured-cloned failed the job with
 * the host's bare `DataCloneError` ("... could not be cloned"), which does not say which argument
 * it was. The error now names the function and the argument's position, and keeps the host's
 * error as its `cause`.
 */

import { getRunningLoop, run, WorkerPool } from '../../../src/index.js';

function pair(a: number, b: unknown): unknown {
  return [a, b];
}

describe('regression: a DataCloneError did not name the argument', () => {
  it('names the position of the argument that cannot be cloned', async () => {
    const pool = new WorkerPool({ maxWorkers: 1 });
    try {
      const message = await run(
        (function* () {
          try {
            yield* getRunningLoop().runInExecutor(pool, pair, 1, () => 2);
            return 'no error';
          } catch (e) {
            return `${(e as Error).name}: ${(e as Error).message}`;
          }
        })(),
        { handleSigint: false, detectDeadlock: false },
      );
      expect(message).toMatch(
        /^DataCloneError: pair\(\): argument 2 \(.*\) cannot be sent to a worker/,
      );
    } finally {
      await pool.shutdown();
    }
  }, 120_000);
});
