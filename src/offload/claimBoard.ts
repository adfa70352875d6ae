/**
 * @internal Exact hand-off of prefetched jobs between a {@link WorkerPool} and one worker.
 *
 * Each job handed to a worker gets a cell of shared memory holding a ticket: its low two bits
 * are the job's state (QUEUED, RUNNING, DONE, CANCELLED), the rest a generation number that makes
 * every hand-off distinct. The worker claims a job before running it (compare-and-swap
 * QUEUED -> RUNNING) and marks it DONE before it replies; the pool cancels or takes back a job
 * with QUEUED -> CANCELLED. Exactly one of the two swaps wins, so a job the pool took back never
 * runs, and a job the worker claimed is known to have started.
 *
 * Why generations: the pool frees a cell as soon as it takes its job back, while the worker may
 * still find the old hand-off in its inbox; the old ticket no longer matches, so it skips it.
 *
 * Needs `SharedArrayBuffer`: always there in Node; in browsers only on cross-origin isolated
 * pages. Without it the pool falls back to the inexact hand-off (see `prefetch`).
 * @module
 */

/** The low bits of a ticket. */
export const CLAIM_QUEUED = 0;
export const CLAIM_RUNNING = 1;
export const CLAIM_DONE = 2;
export const CLAIM_CANCELLED = 3;

/** Whether this thread can share memory with its workers. */
export function canShareMemory(): boolean {
  const g = globalThis as { crossOriginIsolated?: boolean };
  return (
    typeof SharedArrayBuffer === 'function' &&
    typeof Atomics === 'object' &&
    g.crossOriginIsolated !== false
  );
}

/** @internal The claim cells of one worker. */
export class ClaimBoard {
  /** The memory the worker gets (once, with its first jobs). */
  readonly buffer: SharedArrayBuffer;
  private readonly _cells: Int32Array;
  /** Cells given back, reused first. */
  private readonly _free: number[] = [];
  /** Cells below this were handed out at least once. Why: memory grows with jobs in flight. */
  private _used = 0;
  private readonly _size: number;
  private _generation = 0;

  constructor(size: number) {
    // The OS commits the buffer's pages only when touched, so an unused cell costs nothing.
    this.buffer = new SharedArrayBuffer(4 * size);
    this._cells = new Int32Array(this.buffer);
    this._size = size;
  }

  /** Takes a free cell for a job about to be sent; its ticket is `this.ticket(cell)`. */
  take(): number {
    let cell = this._free.pop();
    if (cell === undefined && this._used < this._size) cell = this._used++;
    // Why it cannot run out: the pool hands a worker at most `size` (its prefetch) jobs.
    if (cell === undefined) throw new Error('rx-asyncio: claim board full (pool bookkeeping bug)');
    this._generation = (this._generation + 1) & 0x1fffffff;
    Atomics.store(this._cells, cell, this._generation << 2);
    return cell;
  }

  /** The QUEUED ticket of the job in `cell`, which the worker claims. */
  ticket(cell: number): number {
    return Atomics.load(this._cells, cell) & ~3;
  }

  /**
   * Takes a job back unless the worker claimed it: returns CLAIM_CANCELLED if it will never run,
   * else the state the worker left (CLAIM_RUNNING or CLAIM_DONE).
   */
  cancel(cell: number, ticket: number): number {
    const seen = Atomics.compareExchange(this._cells, cell, ticket, ticket | CLAIM_CANCELLED);
    return seen === ticket ? CLAIM_CANCELLED : seen & 3;
  }

  /** The state of the job in `cell`. */
  state(cell: number): number {
    return Atomics.load(this._cells, cell) & 3;
  }

  /** Gives a cell back once its job left the worker's books. */
  release(cell: number): void {
    this._free.push(cell);
  }
}
