// The claim board alone, with this thread playing the worker's part (the same atomic swaps).

import { WorkerPool } from '../../src/index.js';
import {
  CLAIM_CANCELLED,
  CLAIM_DONE,
  CLAIM_RUNNING,
  ClaimBoard,
  canShareMemory,
} from '../../src/offload/claimBoard.js';

// Where threads cannot share memory (a browser page without cross-origin isolation, as the
// karma page is) the pool falls back to the inexact hand-off: that is what is checked there.
if (!canShareMemory()) {
  describe('ClaimBoard, without shared memory', () => {
    it('is not available, so a WorkerPool hands each worker one job at a time by default', () => {
      expect(typeof SharedArrayBuffer !== 'function' || globalThis.crossOriginIsolated === false)
        .withContext('canShareMemory() is false only without SharedArrayBuffer or isolation')
        .toBe(true);
      const pool = new WorkerPool();
      expect((pool as unknown as { _prefetch: number })._prefetch).toBe(1);
      void pool.shutdown();
    });
  });
}

if (canShareMemory()) {
  describe('ClaimBoard', () => {
    let board: ClaimBoard;
    let cells: Int32Array;

    beforeEach(() => {
      board = new ClaimBoard(2);
      cells = new Int32Array(board.buffer);
    });

    /** What the worker does before running a job. */
    const claim = (cell: number, ticket: number): boolean =>
      Atomics.compareExchange(cells, cell, ticket, ticket + 1) === ticket;

    it('lets exactly one side win: a job taken back first is never claimed', () => {
      const cell = board.take();
      const ticket = board.ticket(cell);
      expect(board.cancel(cell, ticket)).toBe(CLAIM_CANCELLED);
      expect(claim(cell, ticket)).toBe(false);
      expect(board.state(cell)).toBe(CLAIM_CANCELLED);
    });

    it('reports a claimed job as running, then done, and never takes it back', () => {
      const cell = board.take();
      const ticket = board.ticket(cell);
      expect(claim(cell, ticket)).toBe(true);
      expect(board.cancel(cell, ticket)).toBe(CLAIM_RUNNING);
      Atomics.store(cells, cell, ticket + 2);
      expect(board.cancel(cell, ticket)).toBe(CLAIM_DONE);
      expect(board.state(cell)).toBe(CLAIM_DONE);
    });

    it('gives a reused cell a new ticket: a stale hand-off cannot claim it', () => {
      const first = board.take();
      const stale = board.ticket(first);
      board.cancel(first, stale);
      board.release(first);
      board.take();
      const again = board.take(); // both cells in use now: one of them is the released one
      const reused = again === first ? again : first;
      expect(board.ticket(reused)).not.toBe(stale);
      expect(claim(reused, stale)).toBe(false);
      expect(claim(reused, board.ticket(reused))).toBe(true);
    });

    it('hands out distinct cells up to its size, then refuses', () => {
      const a = board.take();
      const b = board.take();
      expect(a).not.toBe(b);
      expect(() => board.take()).toThrowError(/claim board full/);
    });
  });
}
