import { ExecutorQueueFullError, ExecutorShutdownError, WorkerCrashedError } from '../errors.js';
import type { EventLoop } from '../kernel/EventLoop.js';
import type { Future } from '../kernel/Future.js';
import {
  CLAIM_CANCELLED,
  CLAIM_DONE,
  CLAIM_RUNNING,
  ClaimBoard,
  canShareMemory,
} from './claimBoard.js';
import type { Executor, JobOptions, ShutdownOptions } from './Executor.js';
import {
  FINISHED,
  type Job,
  JobFuture,
  jobName,
  QUEUED,
  type Reply,
  RUNNING,
  type Slot,
  settle,
} from './poolJob.js';
import { reviveError, type WireError } from './reviveError.js';
import { defaultPoolSize, loadSpawn, type Spawn, type WorkerLink } from './spawnWorker.js';
import type { WorkSpec } from './workSpec.js';

/** Options of {@link WorkerPool}. */
export interface WorkerPoolOptions {
  /** How many workers may run at once: the concurrency limit. Default: the cores, 2 to 8. */
  maxWorkers?: number;
  /**
   * How many jobs may wait to start, queued in the pool or handed to a busy worker (back-pressure);
   * one more makes `submit` throw `ExecutorQueueFullError`. Default: no limit.
   */
  maxQueue?: number;
  /**
   * How many jobs each worker may hold at once; it still runs them one after another. Holding
   * several hides the round trip between jobs and lets a batch travel in one message, which is
   * what makes many tiny jobs fast. Default: 64 where the pool shares memory with its workers
   * (Node; browsers on cross-origin isolated pages), else 1.
   *
   * With shared memory, a job handed to a worker is still exactly like a queued one: the worker
   * claims it (an atomic swap) just before running it, so cancelling it before that means it never
   * runs, and a worker that goes idle takes back unclaimed jobs from a busy one, so no job waits
   * behind a long one while a worker is free. A job runs at most once: in the rare case that a
   * running job is cancelled (its worker terminated) while results of quick jobs run before it
   * wait to travel together, those jobs fail with `WorkerCrashedError` (their result was lost).
   * Without shared memory, and `prefetch` > 1, a job
   * cancelled after it was handed to a busy worker still runs there (its result is dropped), and
   * when a running job is cancelled the jobs behind it are queued again, so in a rare race one of
   * them may already have started and runs twice.
   */
  prefetch?: number;
}

/** The default `prefetch` when the hand-off is exact (see {@link WorkerPoolOptions.prefetch}). */
const EXACT_PREFETCH = 64;

let jobCounter = 0;

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
 * replaced on demand (asyncio's threads cannot be stopped and run on; rxio stops the work). A
 * worker that dies (`process.exit()`, an uncaught error outside the job) fails only its job, with
 * `WorkerCrashedError`, and is replaced. `shutdown()` fails what is pending with
 * `ExecutorShutdownError` and terminates the workers; later submits throw.
 *
 * A worker sends the results of bulk tiny jobs together: once a function has returned within
 * 0.2 ms on each of its last 16 calls, its results wait for the calls of it that follow on the
 * same worker, about a millisecond at most, so one message carries many. The price: such a
 * result can also wait for one unexpectedly slow call of that function queued right behind it.
 * Any other result leaves at once.
 *
 * @example
 * ```ts
 * import { getRunningLoop, run, WorkerPool } from 'rxio';
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
  private readonly _slots: Slot[] = [];
  private _queue: Job[] = [];
  private _head = 0;
  private _waiting = 0;
  private _spawn: Spawn | null = null;
  private _loading = false;
  private _maxWorkers: number | undefined;
  private readonly _maxQueue: number;
  private readonly _prefetch: number;
  private readonly _shared: boolean;
  private _scheduled = false;
  private _closing: Promise<void> | null = null;
  private _drained: (() => void) | null = null;
  private readonly _terminations = new Set<PromiseLike<unknown>>();
  // Why ids: cloning the spec (a function's source) with every job was the main cost of a job.
  private readonly _specs = new Map<WorkSpec, SpecEntry>();

  constructor(options: WorkerPoolOptions = {}) {
    this._maxWorkers = checkLimit('maxWorkers', options.maxWorkers);
    this._maxQueue = checkLimit('maxQueue', options.maxQueue, 0) ?? Number.POSITIVE_INFINITY;
    this._shared = canShareMemory();
    this._prefetch =
      checkLimit('prefetch', options.prefetch) ?? (this._shared ? EXACT_PREFETCH : 1);
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
      entry = { id: this._specs.size + 1, label: `job ${jobName(spec)}` };
      this._specs.set(spec, entry);
    }
    const future = new JobFuture<R>(loop);
    future._description = entry.label;
    const job: Job = {
      id: ++jobCounter,
      loop,
      future: future as JobFuture<unknown>,
      spec,
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
    this._waiting++;
    if (this._waiting === 1 && this._spawn !== null && this._slots.some(isIdle)) {
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
    const busy = this._slots.filter((s) => s.inFlight.length > 0).length;
    const state = this._closing !== null ? ' shut down' : '';
    return `<WorkerPool${state} workers=${this._slots.length} busy=${busy} queued=${this._waiting}>`;
  }

  /** @internal A job's future was cancelled. */
  _drop(job: Job): void {
    const slot = job.slot;
    const state = job.state;
    job.state = FINISHED;
    if (state === QUEUED) {
      this._waiting--;
      return;
    }
    if (state !== RUNNING || slot === null) return;
    const board = slot.board;
    if (board === null) {
      // Inexact: the first job in flight counts as running; one behind it runs, result dropped.
      if (slot.inFlight[0] === job) this._stop(slot, slot.inFlight.slice(1));
      return;
    }
    const seen = board.cancel(job.cell, job.ticket);
    if (seen === CLAIM_CANCELLED) {
      this._unhand(slot, job); // it will never run
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
        if (ahead.state !== RUNNING) continue;
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
    let n = this._waiting;
    let free = (this._maxWorkers ?? defaultPoolSize()) - this._slots.length;
    for (const s of this._slots) {
      if (s.inFlight.length === 0) free++;
      else n += s.inFlight.length - 1;
    }
    return Math.max(0, n - Math.max(0, free));
  }

  private _isIdle(): boolean {
    return this._waiting === 0 && this._slots.every((s) => s.inFlight.length === 0);
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
    const touched: Slot[] = [];
    for (;;) {
      while (this._waiting > 0) {
        const slot = this._pickSlot(spawn, max);
        if (slot === undefined) break;
        const job = this._nextJob();
        if (job === undefined) break;
        this._hand(slot, job);
        if (slot.outbox.length === 1) touched.push(slot);
      }
      if (this._waiting > 0 || !this._shared || !this._rebalance()) break;
    }
    for (const slot of touched) this._send(slot);
  }

  /**
   * Fairness: a worker with nothing to do takes back half of the jobs waiting unclaimed on the
   * busiest other worker (from the back: the worker claims from the front). True if it did.
   */
  private _rebalance(): boolean {
    let idle = false;
    let victim: Slot | undefined;
    for (const s of this._slots) {
      if (s.inFlight.length === 0) idle = true;
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

  /**
   * Takes back the jobs at `from`..`to` of a worker's in-flight list that it has not claimed, in
   * order, stopping at the first one claimed; queues them again at the head. Returns how many.
   */
  private _takeBack(slot: Slot, from: number, to: number): number {
    const board = slot.board!;
    const inFlight = slot.inFlight;
    let end = from;
    while (
      end < to &&
      board.cancel(inFlight[end]!.cell, inFlight[end]!.ticket) === CLAIM_CANCELLED
    ) {
      end++;
    }
    if (end === from) return 0;
    const taken = inFlight.splice(from, end - from);
    for (const job of taken) {
      board.release(job.cell);
      job.cell = -1;
      job.slot = null;
    }
    if (inFlight.length === 0) slot.link.setActive(false);
    this._requeue(taken);
    return taken.length;
  }

  /** An idle worker, else a new one while under the limit, else the least loaded with room. */
  private _pickSlot(spawn: Spawn, max: number): Slot | undefined {
    let best: Slot | undefined;
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
    const spawn = loadSpawn();
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
      (error: unknown) => {
        const cause = error instanceof Error ? error : new Error(String(error));
        for (let job = this._nextJob(); job !== undefined; job = this._nextJob()) {
          settle(
            job,
            false,
            new WorkerCrashedError(`workers cannot start here: ${cause.message}`, { cause }),
          );
        }
      },
    );
  }

  private _nextJob(): Job | undefined {
    while (this._head < this._queue.length) {
      const job = this._queue[this._head++]!;
      if (job.state !== QUEUED) continue;
      this._waiting--;
      if (this._head > 1024 && this._head * 2 > this._queue.length) {
        this._queue = this._queue.slice(this._head);
        this._head = 0;
      }
      return job;
    }
    return undefined;
  }

  /** Puts jobs that a worker never started back at the head of the queue, in order. */
  private _requeue(jobs: Job[]): void {
    const live = jobs.filter((j) => j.state === RUNNING);
    for (const j of live) {
      j.state = QUEUED;
      j.slot = null;
      j.cell = -1;
    }
    this._queue.splice(this._head, 0, ...live);
    this._waiting += live.length;
  }

  private _newSlot(spawn: Spawn): Slot {
    const slot: Slot = {
      link: null as unknown as WorkerLink,
      known: new Set(),
      inFlight: [],
      outbox: [],
      board: this._shared ? new ClaimBoard(this._prefetch) : null,
      boardSent: false,
    };
    slot.link = spawn({
      message: (data) => this._onMessage(slot, data as Reply),
      crash: (error) => this._onCrash(slot, error),
    });
    this._slots.push(slot);
    return slot;
  }

  /** Hands a job to a worker; it is posted with the others of this dispatch by `_send`. */
  private _hand(slot: Slot, job: Job): void {
    job.state = RUNNING;
    job.slot = slot;
    if (slot.board !== null) {
      job.cell = slot.board.take();
      job.ticket = slot.board.ticket(job.cell);
    }
    slot.inFlight.push(job);
    if (slot.inFlight.length === 1) slot.link.setActive(true);
    slot.outbox.push(job);
  }

  /** Posts the jobs handed to a worker: in one message, except those with a transfer list. */
  private _send(slot: Slot): void {
    const jobs = slot.outbox;
    slot.outbox = [];
    let start = 0;
    for (let i = 0; i < jobs.length; i++) {
      if (jobs[i]!.transfer.length === 0) continue;
      // Why alone: a transfer list applies to a whole message, and one failure fails it all.
      if (i > start) this._post(slot, jobs.slice(start, i), []);
      this._post(slot, [jobs[i]!], jobs[i]!.transfer);
      start = i + 1;
    }
    if (start < jobs.length) this._post(slot, start === 0 ? jobs : jobs.slice(start), []);
  }

  private _post(slot: Slot, jobs: Job[], transfer: readonly Transferable[]): void {
    const flat: unknown[] = [];
    let specs: unknown[] | undefined;
    for (const job of jobs) {
      const fn = this._specs.get(job.spec)!.id;
      if (!slot.known.has(fn)) {
        slot.known.add(fn);
        specs ??= [];
        specs.push(fn, job.spec);
      }
      flat.push(job.id, fn, job.args, job.cell, job.ticket);
    }
    const message: { jobs: unknown[]; specs?: unknown[]; claims?: SharedArrayBuffer } = {
      jobs: flat,
    };
    if (specs !== undefined) message.specs = specs;
    if (!slot.boardSent && slot.board !== null) message.claims = slot.board.buffer;
    try {
      slot.link.post(message, transfer);
      slot.boardSent = true;
    } catch (error) {
      if (specs !== undefined)
        for (let i = 0; i < specs.length; i += 2) slot.known.delete(specs[i] as number);
      if (jobs.length > 1) {
        // Something cannot be cloned: post one by one, so that only its job fails.
        for (const job of jobs) this._post(slot, [job], []);
        return;
      }
      // The worker never saw the job.
      const job = jobs[0]!;
      this._unhand(slot, job);
      settle(job, false, error);
    }
  }

  /** Forgets a job the worker will never run or report. */
  private _unhand(slot: Slot, job: Job): void {
    const i = slot.inFlight.indexOf(job);
    if (i >= 0) slot.inFlight.splice(i, 1);
    if (slot.inFlight.length === 0) slot.link.setActive(false);
    if (job.cell >= 0) slot.board?.release(job.cell);
    job.cell = -1;
    job.slot = null;
  }

  private _onMessage(slot: Slot, reply: Reply): void {
    const done = reply.done;
    if (done === undefined) {
      if (reply.rxio === 'blocking') slot.link.markBlocking();
      return;
    }
    const inFlight = slot.inFlight;
    const board = slot.board;
    let k = 0;
    for (let i = 0; i < done.length; i += 3) {
      const job = inFlight[k];
      // Why by position: replies come in the order the jobs were sent (see Slot.inFlight).
      if (job === undefined || job.id !== done[i]) break;
      k++;
      job.slot = null;
      if (board !== null) board.release(job.cell);
      job.cell = -1;
      if (job.state !== RUNNING) continue; // cancelled: dropped
      if (done[i + 1] === true) settle(job, true, done[i + 2]);
      else settle(job, false, reviveError(done[i + 2] as WireError, jobName(job.spec)));
    }
    if (k === 0) return; // a retired worker's late reply
    if (k === inFlight.length) inFlight.length = 0;
    else inFlight.splice(0, k);
    if (inFlight.length === 0) slot.link.setActive(false);
    this._dispatch();
    this._checkDrained();
  }

  private _onCrash(slot: Slot, error: Error): void {
    this._remove(slot);
    const jobs = slot.inFlight;
    slot.inFlight = [];
    const board = slot.board;
    const requeue: Job[] = [];
    let crashed = false;
    for (const job of jobs) {
      if (job.state !== RUNNING) continue;
      // Without a board, the first job in flight is the one that was running.
      const state =
        board === null
          ? crashed
            ? CLAIM_CANCELLED
            : CLAIM_RUNNING
          : board.cancel(job.cell, job.ticket);
      if (state === CLAIM_CANCELLED) {
        requeue.push(job);
        continue;
      }
      crashed = true;
      const what = state === CLAIM_DONE ? 'ran' : 'was running';
      settle(
        job,
        false,
        new WorkerCrashedError(
          `the worker that ${what} ${jobName(job.spec)} died (${error.message}) before it sent ` +
            'the result; only the jobs it had started failed, and the worker is replaced',
          { cause: error },
        ),
      );
    }
    this._requeue(requeue);
    if (this._closing === null || this._drained !== null) this._dispatch();
    this._checkDrained();
  }

  private _remove(slot: Slot): void {
    const i = this._slots.indexOf(slot);
    if (i >= 0) this._slots.splice(i, 1);
  }

  /** Terminates a running job's worker (the job is over), queueing `requeue` again. */
  private _stop(slot: Slot, requeue: Job[]): void {
    this._retire(slot);
    this._requeue(requeue);
    this._dispatch();
    this._checkDrained();
  }

  /** Terminates a worker and forgets it and its jobs (the caller handles them). */
  private _retire(slot: Slot): void {
    this._remove(slot);
    const jobs = slot.inFlight;
    slot.inFlight = [];
    for (const job of jobs) job.slot = null;
    slot.link.setActive(false);
    const done = slot.link.terminate();
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
    for (let job = this._nextJob(); job !== undefined; job = this._nextJob()) pending.push(job);
    for (const slot of [...this._slots]) {
      if (slot.inFlight.length === 0) continue;
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

function isIdle(slot: Slot): boolean {
  return slot.inFlight.length === 0;
}

function checkLimit(name: string, v: number | undefined, min = 1): number | undefined {
  if (v === undefined || v === Number.POSITIVE_INFINITY) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new RangeError(
      `WorkerPool option ${name} must be an integer >= ${min}, got ${String(v)}`,
    );
  }
  return v;
}
