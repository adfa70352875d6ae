import { ExecutorQueueFullError, ExecutorShutdownError, WorkerCrashedError } from '../errors.js';
import type { EventLoop } from '../kernel/EventLoop.js';
import { Future } from '../kernel/Future.js';
import type { Executor, JobOptions, ShutdownOptions } from './Executor.js';
import { reviveError, type WireError } from './reviveError.js';
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
}

const QUEUED = 0;
const RUNNING = 1;
const FINISHED = 2;

interface Job {
  readonly id: number;
  readonly loop: EventLoop;
  readonly future: JobFuture<unknown>;
  readonly spec: WorkSpec;
  readonly args: unknown[];
  readonly transfer: readonly Transferable[];
  state: number;
  slot: Slot | null;
}

interface Slot {
  link: WorkerLink;
  job: Job | null;
}

/** The future of a pool job: cancelling it drops the job, or terminates the worker running it. */
class JobFuture<T> extends Future<T> {
  /** @internal */ _job: Job | null = null;
  /** @internal */ _pool: WorkerPool | null = null;

  override cancel(msg?: string): boolean {
    if (!super.cancel(msg)) return false;
    if (this._job !== null) this._pool?._drop(this._job);
    return true;
  }
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
  private _closing: Promise<void> | null = null;
  private _drained: (() => void) | null = null;
  private readonly _terminations = new Set<PromiseLike<unknown>>();

  constructor(options: WorkerPoolOptions = {}) {
    this._maxWorkers = checkLimit('maxWorkers', options.maxWorkers);
    this._maxQueue = checkLimit('maxQueue', options.maxQueue, 0) ?? Number.POSITIVE_INFINITY;
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
    const busy = this._slots.filter((s) => s.job !== null).length;
    const state = this._closing !== null ? ' shut down' : '';
    return `<WorkerPool${state} workers=${this._slots.length} busy=${busy} queued=${this._waiting}>`;
  }

  /** @internal A job's future was cancelled. */
  _drop(job: Job): void {
    if (job.state === QUEUED) {
      this._waiting--;
    } else if (job.state === RUNNING && job.slot !== null) {
      this._retire(job.slot);
      this._dispatch();
    }
    job.state = FINISHED;
  }

  private _hasRoom(): boolean {
    const max = this._maxWorkers ?? defaultPoolSize();
    return this._slots.length < max || this._slots.some((s) => s.job === null);
  }

  private _isIdle(): boolean {
    return this._waiting === 0 && this._slots.every((s) => s.job === null);
  }

  private _dispatch(): void {
    if (this._spawn === null) {
      this._load();
      return;
    }
    this._maxWorkers ??= defaultPoolSize();
    const max = this._maxWorkers;
    while (this._waiting > 0) {
      let slot = this._slots.find((s) => s.job === null);
      if (slot === undefined) {
        if (this._slots.length >= max) return;
        slot = this._newSlot(this._spawn);
      }
      const job = this._nextJob();
      if (job === undefined) return;
      this._start(slot, job);
    }
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

  private _newSlot(spawn: Spawn): Slot {
    const slot = { job: null } as unknown as Slot;
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
    slot.job = job;
    slot.link.setActive(true);
    try {
      slot.link.post({ id: job.id, spec: job.spec, args: job.args }, job.transfer);
    } catch (error) {
      // An argument that cannot be cloned: the worker never saw the job.
      this._release(slot);
      settle(job, false, error);
    }
  }

  private _onMessage(slot: Slot, reply: Reply): void {
    if ((reply as { rxio?: string }).rxio === 'blocking') {
      slot.link.markBlocking();
      return;
    }
    const job = slot.job;
    if (job === null || reply.id !== job.id) return;
    this._release(slot);
    if (reply.ok) settle(job, true, reply.value);
    else settle(job, false, reviveError(reply.error, jobName(job.spec)));
    this._dispatch();
    this._checkDrained();
  }

  private _onCrash(slot: Slot, error: Error): void {
    const job = slot.job;
    this._remove(slot);
    if (job !== null) {
      const what = jobName(job.spec);
      settle(
        job,
        false,
        new WorkerCrashedError(
          `the worker running ${what} died (${error.message}); only this job failed, and the ` +
            'worker is replaced',
          { cause: error },
        ),
      );
    }
    if (this._closing === null || this._drained !== null) this._dispatch();
    this._checkDrained();
  }

  /** The slot's job is over: it may take another one, and stops keeping Node alive. */
  private _release(slot: Slot): void {
    const job = slot.job;
    if (job !== null) {
      job.state = FINISHED;
      job.slot = null;
    }
    slot.job = null;
    slot.link.setActive(false);
  }

  private _remove(slot: Slot): void {
    const i = this._slots.indexOf(slot);
    if (i >= 0) this._slots.splice(i, 1);
  }

  /** Terminates a worker (its job is over: cancelled or failed) and forgets it. */
  private _retire(slot: Slot): void {
    this._remove(slot);
    this._release(slot);
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
    for (let job = this._nextJob(); job !== undefined; job = this._nextJob()) {
      job.state = FINISHED;
      settle(job, false, error(job.spec));
    }
    for (const slot of [...this._slots]) {
      const job = slot.job;
      if (job === null) continue;
      this._retire(slot);
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

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WireError };

/** Completes a job's future through its loop, never from outside it; a closed loop drops it. */
function settle(job: Job, ok: boolean, value: unknown): void {
  const { loop, future } = job;
  job.state = FINISHED;
  if (future.done() || loop.isClosed()) return;
  loop.callSoon(() => {
    if (future.done()) return;
    if (ok) future.setResult(value);
    else future.setException(value);
  });
}

/** @internal A job's name for messages and dumps. */
export function jobName(spec: WorkSpec): string {
  return spec.kind === 'module' ? `${spec.exportName}() from ${spec.url}` : `${spec.name}()`;
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
