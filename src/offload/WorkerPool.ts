import { ExecutorQueueFullError, ExecutorShutdownError, WorkerCrashedError } from '../errors.js';
import { LruMap } from '../internal/LruMap.js';
import type { EventLoop } from '../kernel/EventLoop.js';
import type { Executor, JobOptions, ShutdownOptions, WorkSpec } from '../kernel/Executor.js';
import type { Future } from '../kernel/Future.js';
import { CLAIM_CANCELLED, CLAIM_DONE, CLAIM_RUNNING, canShareMemory } from './claimBoard.js';
import { JobQueue } from './JobQueue.js';
import {
  FINISHED,
  HANDED_TO_WORKER,
  type Job,
  JobFuture,
  jobName,
  QUEUED,
  settle,
} from './poolJob.js';
import { checkWorkerUrl, defaultWorkerUrl } from './setWorkerUrl.js';
import { defaultPoolSize, loadSpawn, type Spawn } from './spawnWorker.js';
import { reportOn } from './strayError.js';
import {
  checkLimit,
  checkPrefetch,
  EXACT_PREFETCH,
  type WorkerPoolOptions,
} from './WorkerPoolOptions.js';
import { type SlotEvents, WorkerSlot } from './WorkerSlot.js';

export type { WorkerPoolOptions } from './WorkerPoolOptions.js';

let jobCounter = 0;

/** Functions a pool keeps ids for; the least recently used go (a worker re-learns one if used). */
const POOL_SPECS = 1024;

interface SpecEntry {
  id: number;
  label: string;
}

/**
 * A pool of worker threads (Node `worker_threads`; Web Workers in browsers): the executor behind
 * `toThread`. Workers start lazily, one per job up to `maxWorkers`, and stay for the next jobs;
 * in Node an idle worker never keeps the process alive.
 *
 * Semantics: each worker runs one job at a time; jobs start in FIFO order as workers free up
 * (up to `prefetch` of them wait on each worker, sent in batches). Cancelling a job's future
 * drops it if it has not started; if it is running, its worker is terminated at once and
 * replaced on demand (asyncio's threads cannot be stopped and run on; rx-asyncio stops the work). A
 * worker that dies (`process.exit()`, an out-of-memory abort) fails only the job it runs, with
 * `WorkerCrashedError`, and is replaced; if a job called `process.exit()`, the error names it.
 * An error no job awaits (a timer or callback a job left behind that throws, a Promise rejection
 * nobody handles) does not end the worker: it goes to the exception handler of the loop,
 * naming the job that left it (exactly in Node; in browsers, the job that started last on that
 * worker and the one before), with the pool as `context.executor`; the job running meanwhile is
 * not affected. `shutdown()` fails what is pending with `ExecutorShutdownError` and terminates the
 * workers; later submits throw.
 *
 * A worker sends the results of bulk tiny jobs together: once a function has returned within
 * 0.2 ms on each of its last 16 calls, its results wait for the calls of it that follow on the
 * same worker, about a millisecond at most, so one message carries many. The price: such a
 * result can also wait for one unexpectedly slow call of that function queued right behind it.
 * Any other result leaves at once.
 *
 * @example
 * ```ts
 * import { getRunningLoop, run, WorkerPool } from 'rx-asyncio';
 * const pool = new WorkerPool({ maxWorkers: 2, maxQueue: 100 });
 * run(function* () {
 *   const loop = getRunningLoop();
 *   const square = (n: number) => n * n;
 *   console.log(yield* loop.runInExecutor(pool, square, 7)); // 49
 * }()).finally(() => pool.shutdown());
 * ```
 * @see toThread
 */
export class WorkerPool implements Executor {
  private readonly _slots: WorkerSlot[] = [];
  private readonly _queue = new JobQueue();
  private _spawn: Spawn | null = null;
  private _loading = false;
  private _maxWorkers: number | undefined;
  private readonly _maxQueue: number;
  private readonly _prefetch: number;
  private readonly _shared: boolean;
  /** See {@link WorkerPoolOptions.workerUrl}; null: the built-in script. */
  private readonly _workerUrl: string | null;
  private _scheduled = false;
  private _closing: Promise<void> | null = null;
  private _drained: (() => void) | null = null;
  private readonly _terminations = new Set<PromiseLike<unknown>>();
  // Why ids: cloning the spec (a function's source) with every job was the main cost of a job.
  // Why bounded: a program can pass ever new functions (issue 14, item 6); ids are never reused.
  private readonly _specs = new LruMap<WorkSpec, SpecEntry>(POOL_SPECS);
  private _lastSpecId = 0;
  private readonly _slotEvents: SlotEvents = {
    freed: () => {
      this._dispatch();
      this._checkDrained();
    },
    crash: (slot, error) => this._onCrash(slot, error),
    stray: (loop, context) => reportOn(loop, { ...context, executor: this }),
  };

  constructor(options: WorkerPoolOptions = {}) {
    this._maxWorkers = checkLimit('maxWorkers', options.maxWorkers);
    this._maxQueue = checkLimit('maxQueue', options.maxQueue, 0) ?? Number.POSITIVE_INFINITY;
    this._shared = canShareMemory();
    this._prefetch = checkPrefetch(options.prefetch) ?? (this._shared ? EXACT_PREFETCH : 1);
    this._workerUrl =
      options.workerUrl === undefined
        ? defaultWorkerUrl()
        : checkWorkerUrl('WorkerPool option workerUrl', options.workerUrl);
  }

  /** True once {@link shutdown} was called. */
  isShutdown(): boolean {
    return this._closing !== null;
  }

  /** @see Executor.submit */
  submit<R>(loop: EventLoop, spec: WorkSpec, args: unknown[], options: JobOptions = {}): Future<R> {
    if (this._closing !== null) {
      throw new ExecutorShutdownError(
        `cannot run ${jobName(spec)}: the worker pool was shut down; create a new WorkerPool`,
      );
    }
    if (this._maxQueue !== Number.POSITIVE_INFINITY && this._waitingToStart() >= this._maxQueue) {
      throw new ExecutorQueueFullError(
        `cannot queue ${jobName(spec)}: ${this._waitingToStart()} jobs already wait for a ` +
          `worker (maxQueue ${this._maxQueue}); await some of them first`,
      );
    }
    let entry = this._specs.get(spec);
    if (entry === undefined) {
      entry = { id: ++this._lastSpecId, label: `job ${jobName(spec)}` };
      this._specs.set(spec, entry);
    }
    const future = new JobFuture<R>(loop);
    future._description = entry.label;
    const job: Job = {
      id: ++jobCounter,
      loop,
      future: future as JobFuture<unknown>,
      spec,
      fn: entry.id,
      args,
      transfer: options.transfer ?? [],
      state: QUEUED,
      slot: null,
      cell: -1,
      ticket: 0,
    };
    future._job = job;
    future._pool = this;
    this._queue.push(job);
    if (this._queue.size === 1 && this._spawn !== null && this._slots.some(isIdle)) {
      this._dispatch(); // a lone job and an idle worker: no batch to wait for (latency)
    } else if (!this._scheduled) {
      // Why later: jobs submitted in one loop iteration then travel to each worker in one
      // message. Through the loop, not a microtask: a microtask would wait for the loop's whole
      // batch of iterations (up to its budget), the next iteration comes at once.
      this._scheduled = true;
      loop._callSoon(this._dispatchLater, 0);
    }
    return future;
  }

  /**
   * Shuts the pool down; idempotent. By default jobs still queued or running fail at once with
   * `ExecutorShutdownError` and the workers are terminated; with `{ cancelPending: false }` they
   * finish first. The Promise settles once every worker is gone.
   */
  shutdown(options: ShutdownOptions = {}): Promise<void> {
    if (this._closing !== null) {
      if (options.cancelPending !== false) this._failPending();
      return this._closing;
    }
    const drained =
      options.cancelPending === false && !this._isIdle()
        ? new Promise<void>((resolve) => {
            this._drained = resolve;
          })
        : Promise.resolve(this._failPending());
    this._closing = drained.then(() => this._terminateAll());
    return this._closing;
  }

  toString(): string {
    const busy = this._slots.filter((s) => !s.isIdle()).length;
    const state = this._closing !== null ? ' shut down' : '';
    return `<WorkerPool${state} workers=${this._slots.length} busy=${busy} queued=${this._queue.size}>`;
  }

  /** @internal A job's future was cancelled. */
  _drop(job: Job): void {
    const slot = job.slot;
    const state = job.state;
    job.state = FINISHED;
    if (state === QUEUED) {
      this._queue.forget();
      return;
    }
    if (state !== HANDED_TO_WORKER || slot === null) return;
    const board = slot.board;
    if (board === null) {
      // Inexact: the first job in flight counts as running; one behind it runs, result dropped.
      if (slot.inFlight[0] === job) this._stop(slot, slot.inFlight.slice(1));
      return;
    }
    const seen = board.cancel(job.cell, job.ticket);
    if (seen === CLAIM_CANCELLED) {
      slot.unhand(job); // it will never run
      this._dispatch();
      this._checkDrained();
      return;
    }
    if (seen === CLAIM_DONE) return; // its result is on its way; dropped
    // Running: take back what the worker has not claimed, then stop it if the job still runs.
    const i = slot.inFlight.indexOf(job);
    const behind = slot.inFlight.length - i - 1;
    // Why the second look: if the worker claimed a job behind it, this one has just finished.
    if (
      this._takeBack(slot, i + 1, i + 1 + behind) === behind &&
      board.state(job.cell) === CLAIM_RUNNING
    ) {
      // The jobs ahead of it ran, but their results may still wait in the worker's outbox
      // (quick results travel together), which terminate() discards. They fail rather than
      // run again: a job runs at most once.
      for (const ahead of slot.inFlight.slice(0, i)) {
        if (ahead.state !== HANDED_TO_WORKER) continue;
        settle(
          ahead,
          false,
          new WorkerCrashedError(
            `${jobName(ahead.spec)} ran, but its result was lost: its worker was terminated to ` +
              `stop the cancelled ${jobName(job.spec)} before it sent the result (results of ` +
              'quick jobs travel together)',
          ),
        );
      }
      this._stop(slot, []);
    } else {
      this._dispatch();
      this._checkDrained();
    }
  }

  /** Jobs not started yet: queued here, or handed to a worker behind the job it runs. */
  private _waitingToStart(): number {
    let n = this._queue.size;
    let free = (this._maxWorkers ?? defaultPoolSize()) - this._slots.length;
    for (const s of this._slots) {
      if (s.isIdle()) free++;
      else n += s.inFlight.length - 1;
    }
    return Math.max(0, n - Math.max(0, free));
  }

  private _isIdle(): boolean {
    return this._queue.size === 0 && this._slots.every(isIdle);
  }

  private readonly _dispatchLater = (): void => {
    this._scheduled = false;
    if (this._closing === null || this._drained !== null) this._dispatch();
  };

  private _dispatch(): void {
    if (this._spawn === null) {
      this._load();
      return;
    }
    const spawn = this._spawn;
    this._maxWorkers ??= defaultPoolSize();
    const max = this._maxWorkers;
    const touched: WorkerSlot[] = [];
    for (;;) {
      while (this._queue.size > 0) {
        const slot = this._pickSlot(spawn, max);
        if (slot === undefined) break;
        const job = this._queue.shift();
        if (job === undefined) break;
        if (slot.hand(job)) touched.push(slot);
      }
      if (this._queue.size > 0 || !this._shared || !this._rebalance()) break;
    }
    for (const slot of touched) slot.send();
  }

  /**
   * Fairness: a worker with nothing to do takes back half of the jobs waiting unclaimed on the
   * busiest other worker (from the back: the worker claims from the front). True if it did.
   */
  private _rebalance(): boolean {
    let idle = false;
    let victim: WorkerSlot | undefined;
    for (const s of this._slots) {
      if (s.isIdle()) idle = true;
      else if (
        s.board !== null &&
        (victim === undefined || s.inFlight.length > victim.inFlight.length)
      ) {
        victim = s;
      }
    }
    if (!idle || victim === undefined || victim.inFlight.length < 2) return false;
    const n = victim.inFlight.length;
    return this._takeBack(victim, n - (n >> 1), n) > 0;
  }

  /** Takes back what a worker has not claimed of its jobs `from`..`to` and queues them again. */
  private _takeBack(slot: WorkerSlot, from: number, to: number): number {
    const taken = slot.takeBack(from, to);
    if (taken.length > 0) this._queue.requeue(taken);
    return taken.length;
  }

  /** An idle worker, else a new one while under the limit, else the least loaded with room. */
  private _pickSlot(spawn: Spawn, max: number): WorkerSlot | undefined {
    let best: WorkerSlot | undefined;
    for (const s of this._slots) {
      const n = s.inFlight.length;
      if (n === 0) return s;
      if (n < this._prefetch && (best === undefined || n < best.inFlight.length)) best = s;
    }
    if (this._slots.length < max) return this._newSlot(spawn);
    return best;
  }

  private _load(): void {
    if (this._loading) return;
    this._loading = true;
    const spawn = loadSpawn(this._workerUrl);
    if (typeof spawn === 'function') {
      this._spawn = spawn;
      this._dispatch();
      return;
    }
    spawn.then(
      (fn) => {
        this._spawn = fn;
        if (this._closing === null || this._drained !== null) this._dispatch();
      },
      (error: unknown) =>
        this._failQueued(error instanceof Error ? error : new Error(String(error))),
    );
  }

  private _newSlot(spawn: Spawn): WorkerSlot {
    const boardSize = this._shared ? this._prefetch : 0;
    const slot = new WorkerSlot(spawn, this._slotEvents, boardSize);
    this._slots.push(slot);
    return slot;
  }

  private _onCrash(slot: WorkerSlot, error: Error): void {
    this._remove(slot);
    const handed = slot.inFlight.length;
    const requeue = slot.salvage(error);
    this._queue.requeue(requeue);
    if (!slot.heard && requeue.length === handed) {
      // It died before it ran anything: its script cannot start here (a wrong workerUrl, a
      // Content-Security-Policy); another worker would die the same way, again and again.
      this._failQueued(error);
    } else if (this._closing === null || this._drained !== null) {
      this._dispatch();
    }
    this._checkDrained();
  }

  /** Workers cannot start: every queued job fails with `cause`. */
  private _failQueued(cause: Error): void {
    for (let job = this._queue.shift(); job !== undefined; job = this._queue.shift()) {
      settle(
        job,
        false,
        new WorkerCrashedError(`workers cannot start here: ${cause.message}`, { cause }),
      );
    }
  }

  private _remove(slot: WorkerSlot): void {
    const i = this._slots.indexOf(slot);
    if (i >= 0) this._slots.splice(i, 1);
  }

  /** Terminates a running job's worker (the job is over), queueing `requeue` again. */
  private _stop(slot: WorkerSlot, requeue: readonly Job[]): void {
    this._retire(slot);
    this._queue.requeue(requeue);
    this._dispatch();
    this._checkDrained();
  }

  /** Terminates a worker and forgets it and its jobs (the caller handles them). */
  private _retire(slot: WorkerSlot): void {
    this._remove(slot);
    const done = slot.terminate();
    if (done !== undefined) {
      this._terminations.add(done);
      const forget = (): void => {
        this._terminations.delete(done);
      };
      done.then(forget, forget);
    }
  }

  private _failPending(): void {
    const error = (spec: WorkSpec): Error =>
      new ExecutorShutdownError(`${jobName(spec)} did not finish: the worker pool was shut down`);
    const pending: Job[] = [];
    for (let job = this._queue.shift(); job !== undefined; job = this._queue.shift()) {
      pending.push(job);
    }
    for (const slot of [...this._slots]) {
      if (slot.isIdle()) continue;
      pending.push(...slot.inFlight);
      this._retire(slot);
    }
    for (const job of pending) {
      if (job.state === FINISHED) continue;
      settle(job, false, error(job.spec));
    }
  }

  private _checkDrained(): void {
    if (this._drained !== null && this._isIdle()) {
      const resolve = this._drained;
      this._drained = null;
      resolve();
    }
  }

  private async _terminateAll(): Promise<void> {
    for (const slot of [...this._slots]) this._retire(slot);
    await Promise.all([...this._terminations]);
  }
}

function isIdle(slot: WorkerSlot): boolean {
  return slot.isIdle();
}
