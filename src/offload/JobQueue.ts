/**
 * @internal The jobs of a {@link WorkerPool} that wait for a worker.
 * @module
 */
import { HANDED_TO_WORKER, type Job, QUEUED } from './poolJob.js';

/**
 * @internal A first-in first-out queue of pool jobs. A cancelled job stays where it is (no
 * search, no splice) and is skipped when its turn comes; {@link JobQueue.size} counts only live
 * ones.
 */
export class JobQueue {
  private _jobs: Job[] = [];
  private _head = 0;
  private _size = 0;

  /** How many jobs wait (cancelled ones not counted). */
  get size(): number {
    return this._size;
  }

  /** Queues a new job (state QUEUED) at the back. */
  push(job: Job): void {
    this._jobs.push(job);
    this._size++;
  }

  /**
   * A queued job was cancelled: it stays in place, skipped by {@link JobQueue.shift}, but no
   * longer counts.
   */
  forget(): void {
    this._size--;
  }

  /** Takes the next job still QUEUED, if any. */
  shift(): Job | undefined {
    while (this._head < this._jobs.length) {
      const job = this._jobs[this._head++]!;
      if (job.state !== QUEUED) continue;
      this._size--;
      // Why compact only now and then: the head moves instead of shifting the array each time.
      if (this._head > 1024 && this._head * 2 > this._jobs.length) {
        this._jobs = this._jobs.slice(this._head);
        this._head = 0;
      }
      return job;
    }
    return undefined;
  }

  /** Puts jobs that a worker never started back at the head, in order. */
  requeue(jobs: readonly Job[]): void {
    const live = jobs.filter((j) => j.state === HANDED_TO_WORKER);
    for (const j of live) {
      j.state = QUEUED;
      j.slot = null;
      j.cell = -1;
    }
    this._jobs.splice(this._head, 0, ...live);
    this._size += live.length;
  }
}
