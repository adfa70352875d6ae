import { ExecutorQueueFullError, ExecutorShutdownError, WorkerCrashedError } from '../errors.js';
import type { EventLoop } from '../kernel/EventLoop.js';
import type { Future } from '../kernel/Future.js';
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
import { reviveError } from './reviveError.js';
import { defaultPoolSize, loadSpawn, type Spawn, type WorkerLink } from './spawnWorker.js';
import type { WorkSpec } from './workSpec.js';

/** Options of {@link WorkerPool}. */
export interface WorkerPoolOptions {
  /** How many workers may run at once: the concurrency limit. Default: the cores, 2 to 8. */
  maxWorkers?: number;
  /**
   * How many jobs may wait for a free worker (back-pressure); one more makes `submit` throw
   * `ExecutorQueueFullError`. Default: no limit.
   */
  maxQueue?: number;
  /**
   * How many jobs each worker may hold at once (it still runs them one after another). Default 1.
   * More hides the round trip between jobs, for many tiny jobs: 20,000 tiny jobs ran about
   * twice as fast with 32 (bench/offload.ts). The price: a job cancelled after it was handed to a busy worker still runs
   * there (its result is dropped), and when a running job is cancelled (its worker terminated)
   * the jobs handed to that worker behind it are queued again, so in a rare race one of them
   * may already have started and runs twice.
   */
  prefetch?: number;
}

let jobCounter = 0;

/**
 * A pool of worker threads (Node `worker_threads`; Web Workers in browsers): the executor behind
 * `toThread`. Workers start lazily, one per job up to `maxWorkers`, and stay for the next jobs;
 * in Node an idle worker never keeps the process alive.
 *
 * Semantics: each worker runs one job at a time; jobs wait in FIFO order for a free worker.
 * Cancelling a job's future drops it if it is still queued; if it is running, its worker is
 * terminated at once and replaced on demand (asyncio's threads cannot be stopped and run on;
 * rxio stops the work). A worker that dies (`process.exit()`, an uncaught error outside the job)
 * fails only its job, with `WorkerCrashedError`, and is replaced. `shutdown()` fails what is
 * pending with `ExecutorShutdownError` and terminates the workers; later submits throw.
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
  private _closing: Promise<void> | null = null;
  private _drained: (() => void) | null = null;
  private readonly _terminations = new Set<PromiseLike<unknown>>();
  // Why ids: cloning the spec (a function's source) with every job was the main cost of a job.
  private readonly _specIds = new Map<WorkSpec, number>();

  constructor(options: WorkerPoolOptions = {}) {
    this._maxWorkers = checkLimit('maxWorkers', options.maxWorkers);
    this._maxQueue = checkLimit('maxQueue', options.maxQueue, 0) ?? Number.POSITIVE_INFINITY;
    this._prefetch = checkLimit('prefetch', options.prefetch) ?? 1;
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
    if (this._waiting >= this._maxQueue && !this._hasRoom()) {
      throw new ExecutorQueueFullError(
        `cannot queue ${jobName(spec)}: ${this._waiting} jobs already wait for a worker ` +
          `(maxQueue ${this._maxQueue}); await some of them first`,
      );
    }
    const future = new JobFuture<R>(loop);
    future._description = `job ${jobName(spec)}`;
    const job: Job = {
      id: ++jobCounter,
      loop,
      future: future as JobFuture<unknown>,
      spec,
      args,
      transfer: options.transfer ?? [],
      state: QUEUED,
      slot: null,
    };
    future._job = job;
    future._pool = this;
    this._queue.push(job);
    this._waiting++;
    this._dispatch();
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
    if (job.state === QUEUED) {
      this._waiting--;
    } else if (job.state === RUNNING && slot !== null && slot.inFlight[0] === job) {
      this._retire(slot, true);
      this._dispatch();
    }
    // Else handed to a worker behind another job: it runs there; its result will be dropped.
    job.state = FINISHED;
  }

  private _hasRoom(): boolean {
    const max = this._maxWorkers ?? defaultPoolSize();
    return this._slots.length < max || this._slots.some((s) => s.inFlight.length < this._prefetch);
  }

  private _isIdle(): boolean {
    return this._waiting === 0 && this._slots.every((s) => s.inFlight.length === 0);
  }

  private _dispatch(): void {
    if (this._spawn === null) {
      this._load();
      return;
    }
    this._maxWorkers ??= defaultPoolSize();
    while (this._waiting > 0) {
      const slot = this._pickSlot(this._spawn, this._maxWorkers);
      if (slot === undefined) return;
      const job = this._nextJob();
      if (job === undefined) return;
      this._start(slot, job);
    }
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

  /** Puts jobs that a worker never got to back at the head of the queue, in order. */
  private _requeue(jobs: Job[]): void {
    const live = jobs.filter((j) => j.state === RUNNING);
    for (const j of live) {
      j.state = QUEUED;
      j.slot = null;
    }
    this._queue.splice(this._head, 0, ...live);
    this._waiting += live.length;
  }

  private _newSlot(spawn: Spawn): Slot {
    const slot: Slot = { link: null as unknown as WorkerLink, known: new Set(), inFlight: [] };
    slot.link = spawn({
      message: (data) => this._onMessage(slot, data as Reply),
      crash: (error) => this._onCrash(slot, error),
    });
    this._slots.push(slot);
    return slot;
  }

  private _start(slot: Slot, job: Job): void {
    job.state = RUNNING;
    job.slot = slot;
    slot.inFlight.push(job);
    if (slot.inFlight.length === 1) slot.link.setActive(true);
    let fn = this._specIds.get(job.spec);
    if (fn === undefined) {
      fn = this._specIds.size + 1;
      this._specIds.set(job.spec, fn);
    }
    const message = slot.known.has(fn)
      ? { id: job.id, fn, args: job.args }
      : { id: job.id, fn, spec: job.spec, args: job.args };
    try {
      slot.link.post(message, job.transfer);
      slot.known.add(fn);
    } catch (error) {
      // An argument that cannot be cloned: the worker never saw the job.
      slot.inFlight.pop();
      if (slot.inFlight.length === 0) slot.link.setActive(false);
      settle(job, false, error);
    }
  }

  private _onMessage(slot: Slot, reply: Reply): void {
    if ((reply as { rxio?: string }).rxio === 'blocking') {
      slot.link.markBlocking();
      return;
    }
    const job = slot.inFlight[0];
    if (job === undefined || reply.id !== job.id) return;
    slot.inFlight.shift();
    if (slot.inFlight.length === 0) slot.link.setActive(false);
    job.slot = null;
    if (job.state === RUNNING) {
      if (reply.ok) settle(job, true, reply.value);
      else settle(job, false, reviveError(reply.error, jobName(job.spec)));
    }
    this._dispatch();
    this._checkDrained();
  }

  private _onCrash(slot: Slot, error: Error): void {
    this._remove(slot);
    const [job, ...behind] = slot.inFlight;
    slot.inFlight = [];
    if (job !== undefined && job.state === RUNNING) {
      settle(
        job,
        false,
        new WorkerCrashedError(
          `the worker running ${jobName(job.spec)} died (${error.message}); only this job ` +
            'failed, and the worker is replaced',
          { cause: error },
        ),
      );
    }
    this._requeue(behind);
    if (this._closing === null || this._drained !== null) this._dispatch();
    this._checkDrained();
  }

  private _remove(slot: Slot): void {
    const i = this._slots.indexOf(slot);
    if (i >= 0) this._slots.splice(i, 1);
  }

  /**
   * Terminates a worker and forgets it. Its running job is over (cancelled or failed); the jobs
   * behind it are queued again when `requeue`, else left to the caller.
   */
  private _retire(slot: Slot, requeue: boolean): void {
    this._remove(slot);
    const [, ...behind] = slot.inFlight;
    slot.inFlight = [];
    slot.link.setActive(false);
    if (requeue) this._requeue(behind);
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
      this._retire(slot, false);
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
    for (const slot of [...this._slots]) this._retire(slot, false);
    await Promise.all([...this._terminations]);
  }
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
