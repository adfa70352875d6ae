/**
 * Issue 14, item 4: `new WorkerPool({ prefetch: 1e9 })` was accepted, and the first job aborted
 * Node with a V8 fatal error (each worker's claim board asked for 4 GB of shared memory and its
 * free list for a billion numbers); `1e8` cost 2.6 GB and 13 s for one job. Now a prefetch above
 * 65,536 is a `RangeError` at construction, and a board hands out cells as jobs arrive.
 */

import { WorkerPool } from '../../../src/index.js';
import { ClaimBoard } from '../../../src/offload/claimBoard.js';
import { MAX_PREFETCH } from '../../../src/offload/WorkerPoolOptions.js';

describe('regression: a large prefetch crashed the process', () => {
  it('refuses a prefetch above the documented maximum at construction', () => {
    expect(MAX_PREFETCH).toBe(65_536);
    for (const prefetch of [1e9, 1e8, MAX_PREFETCH + 1, Number.POSITIVE_INFINITY]) {
      expect(() => new WorkerPool({ prefetch })).toThrowError(
        RangeError,
        /prefetch must be an integer from 1 to 65536/,
      );
    }
  });

  it('accepts the maximum; the pool starts no worker and allocates no board before a job', async () => {
    const pool = new WorkerPool({ prefetch: MAX_PREFETCH });
    await pool.shutdown();
  });

  it('a claim board of the maximum size keeps no per-cell bookkeeping until cells are taken', () => {
    if (typeof SharedArrayBuffer !== 'function') {
      pending(
        'claim boards need SharedArrayBuffer (not on a page that is not cross-origin isolated)',
      );
      return;
    }
    const board = new ClaimBoard(MAX_PREFETCH);
    const free = (board as unknown as { _free: number[] })._free;
    expect(free.length).toBe(0);
    const cells = [board.take(), board.take(), board.take()];
    expect(cells).toEqual([0, 1, 2]);
    board.release(1);
    expect(board.take()).toBe(1); // a given-back cell is reused first
    expect(board.take()).toBe(3);
  });
});
