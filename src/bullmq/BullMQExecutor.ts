import {
  type ConnectionOptions,
  type JobsOptions,
  Queue,
  QueueEvents,
  type QueueOptions,
  Relay,
} from 'bullmq';
import {
  CancelledError,
  ExecutorQueueFullError,
  ExecutorShutdownError,
  WorkerCrashedError,
} from '../errors.js';
import type { EventLoop } from '../kernel/EventLoop.js';
import type { Executor, ShutdownOptions, WorkSpec } from '../kernel/Executor.js';
import { Future } from '../kernel/Future.js';
import { reviveError } from '../offload/reviveError.js';
import { CANCELLED_REASON, cancelTopic, decodeFailure, type FleetJobData } from './fleetWire.js';
import { jsonSerializer, type Serializer } from './Serializer.js';

/** Options of {@link BullMQExecutor}. */
export interface BullMQExecutorOptions {
  /** Where Redis is: BullMQ's connection options (host, port, password, TLS...) or a client. */
  connection: ConnectionOptions;
  /** The BullMQ queue the workers serve (`startBullMQWorker` with the same name). */
  queueName: string;
  /** BullMQ's key prefix; the workers must use the same. Default BullMQ's (`bull`). */
  prefix?: string;
  /**
   * Names for job modules, as the workers' allowlist names them: a job of a function from one of
   * these URLs travels under its name, so workers on other hosts (other paths) can resolve it.
   * A module not listed travels as its URL, which a worker accepts only if its allowlist has
   * that exact URL.
   */
  modules?: Readonly<Record<string, string | URL>>;
  /**
   * How many of this executor's jobs may wait to start (queued in Redis, not yet taken by a
   * worker); one more makes `submit` throw `ExecutorQueueFullError`. Default: no limit.
   */
  maxQueue?: number;
  /** How arguments and results travel; the workers must use the same. Default {@link jsonSerializer}. */
  serializer?: Serializer;
  /**
   * BullMQ options of every job (`attempts`, `backoff`, `priority`, `removeOnFail`...). Retries
   * happen only if you set `attempts` > 1. Default `{ removeOnComplete: true, removeOnFail: 1000 }`.
   */
  jobOptions?: JobsOptions;
  /**
   * After cancelling a running job, how long (ms) its worker has to report that the job stopped
   * before the loop's exception handler is told that it did not (its function ignores its
   * `AbortSignal`). Default 10000.
   */
  stopTimeout?: number;
  /** Other BullMQ `Queue` options (e.g. `streams.events.maxLen`). */
  queueOptions?: Omit<QueueOptions, 'connection' | 'prefix'>;
}

const ADDING = 0;
const WAITING = 1;
const RUNNING = 2;
const FINISHED = 3;
/** The caller cancelled a running job: waiting for its worker to report that it stopped. */
const STOPPING = 4;

interface FleetJob {
  readonly id: string;
  readonly loop: EventLoop;
  readonly future: FleetJobFuture<unknown>;
  readonly label: string;
  state: number;
  cancelled: boolean;
  /** Settles once the job is in Redis (or could not be added). */
  added: Promise<unknown>;
}

let executorCounter = 0;

/**
 * An `Executor` whose jobs run on a fleet of worker processes, on this machine or others, through
 * a BullMQ queue on Redis: `loop.runInExecutor(executor, fn, ...args)`, `mapToThread(fn, items,
 * { executor })` and `setDefaultExecutor(executor)` work unchanged. Start workers with
 * `startBullMQWorker` (or the `rx-asyncio-worker` command) on as many hosts as you like, all
 * pointing at the same Redis and queue.
 *
 * Only module functions (`workerFunction(url, 'name')`) can be sent, and a worker runs them only
 * if their module is in its allowlist: the queue carries data, never code. Self-contained
 * functions (source text) are refused with a `TypeError`. Arguments and results must survive the
 * {@link Serializer} (JSON-safe by default); else `submit` throws a `TypeError`.
 *
 * Semantics, as the local `WorkerPool` where a network allows: a result or error comes back with
 * its class, message and stack; cancelling the future of a job still in Redis removes it (it never
 * runs; the removal is a round trip to Redis, and a worker that takes the job before it lands
 * gets it aborted, as a running one); cancelling a running one aborts the `AbortSignal` its
 * function received (a function that
 * ignores it runs on, and after `stopTimeout` the loop's exception handler says so); a worker that
 * dies mid-job fails that job with `WorkerCrashedError` once BullMQ's stalled-job check notices
 * (after the workers' `lockDuration`), and the job does not run again unless retries were asked
 * for (`jobOptions.attempts`, the workers' `maxStalledCount`). `shutdown()` fails pending jobs with
 * `ExecutorShutdownError` (removing or aborting them) or, with `{ cancelPending: false }`, waits
 * for them; it closes this executor's connections, not the workers.
 *
 * @example
 * ```ts
 * import { getRunningLoop, run, workerFunction } from 'rx-asyncio';
 * import { BullMQExecutor } from 'rx-asyncio/bullmq';
 * const hash = workerFunction<[string], string>(new URL('./work.js', import.meta.url), 'hash');
 * const executor = new BullMQExecutor({
 *   connection: { host: '127.0.0.1', port: 6379 },
 *   queueName: 'hashing',
 *   modules: { work: new URL('./work.js', import.meta.url) },
 * });
 * run(function* () {
 *   console.log(yield* getRunningLoop().runInExecutor(executor, hash, 'hello'));
 * }()).finally(() => executor.shutdown());
 * ```
 */
export class BullMQExecutor implements Executor {
  /** The BullMQ queue jobs are added to (for inspection; do not close it yourself). */
  readonly queue: Queue;
  private _events: QueueEvents | null = null;
  private readonly _ready: Promise<void>;
  private _readyError: Error | null = null;
  private readonly _connection: ConnectionOptions;
  private readonly _prefix: string;
  private readonly _queueName: string;
  private readonly _moduleNames = new Map<string, string>();
  private readonly _maxQueue: number;
  private readonly _serializer: Serializer;
  private readonly _jobOptions: JobsOptions;
  private readonly _stopTimeout: number;
  private readonly _jobs = new Map<string, FleetJob>();
  private readonly _idPrefix: string;
  private _counter = 0;
  private _waiting = 0;
  private _relay: Relay | null = null;
  private readonly _publishing = new Set<Promise<void>>();
  private _closing: Promise<void> | null = null;
  private _drained: (() => void) | null = null;

  constructor(options: BullMQExecutorOptions) {
    if (options === null || typeof options !== 'object' || options.connection == null) {
      throw new TypeError('new BullMQExecutor(options): options.connection is required');
    }
    if (typeof options.queueName !== 'string' || options.queueName === '') {
      throw new TypeError(
        'new BullMQExecutor(options): options.queueName must be a non-empty string',
      );
    }
    this._connection = options.connection;
    this._queueName = options.queueName;
    this._prefix = options.prefix ?? 'bull';
    this._maxQueue = checkCount('maxQueue', options.maxQueue, 0) ?? Number.POSITIVE_INFINITY;
    this._stopTimeout = checkCount('stopTimeout', options.stopTimeout, 0) ?? 10_000;
    this._serializer = options.serializer ?? jsonSerializer;
    this._jobOptions = options.jobOptions ?? { removeOnComplete: true, removeOnFail: 1000 };
    for (const [name, url] of Object.entries(options.modules ?? {})) {
      this._moduleNames.set(String(url), name);
    }
    this._idPrefix = `rx-${process.pid.toString(36)}-${Date.now().toString(36)}-${(++executorCounter).toString(36)}-`;
    const shared = { connection: this._connection, prefix: this._prefix };
    this.queue = new Queue(this._queueName, { ...options.queueOptions, ...shared });
    this._ready = this._listen(shared).then(
      () => undefined,
      (error: unknown) => {
        this._readyError = error instanceof Error ? error : new Error(String(error));
        throw this._readyError;
      },
    );
    this._ready.catch(() => {}); // reported to each job instead
  }

  /**
   * Settles once the executor's Redis connections are up (jobs submitted before wait for it);
   * rejects if Redis cannot be reached.
   */
  whenReady(): Promise<void> {
    return this._ready;
  }

  /**
   * Starts reading the queue's events. Why from a known position: a QueueEvents without one reads
   * from whenever its first blocking read reaches Redis ('$'), which can come after the first
   * jobs were added and finished: their events would be lost. Reading from the stream's last
   * entry before any add sees them all.
   */
  private async _listen(shared: { connection: ConnectionOptions; prefix: string }): Promise<void> {
    await this.queue.waitUntilReady();
    const events = new QueueEvents(this._queueName, {
      ...shared,
      autorun: false,
      lastEventId: await lastEventId(this.queue),
    });
    events.on('active', ({ jobId }) => this._onActive(jobId));
    events.on('completed', ({ jobId, returnvalue }) => this._onCompleted(jobId, returnvalue));
    events.on('failed', ({ jobId, failedReason }) => this._onFailed(jobId, failedReason));
    events.on('error', (error: Error) => {
      // Not fatal: ioredis reconnects and reading resumes where it stopped.
      console.error(`BullMQExecutor (${this._queueName}) events: ${error.message}`);
    });
    this._events = events;
    events.run().catch(() => {});
    await events.waitUntilReady();
  }

  /** True once {@link shutdown} was called. */
  isShutdown(): boolean {
    return this._closing !== null;
  }

  /** This executor's jobs not yet taken by a worker, and those running. */
  counts(): { waiting: number; running: number } {
    let running = 0;
    for (const job of this._jobs.values()) if (job.state === RUNNING) running++;
    return { waiting: this._waiting, running };
  }

  /** @see Executor.submit */
  submit<R>(loop: EventLoop, spec: WorkSpec, args: unknown[]): Future<R> {
    const label = spec.kind === 'module' ? `${spec.exportName}() from ${spec.url}` : spec.name;
    if (this._closing !== null) {
      throw new ExecutorShutdownError(
        `cannot run ${label}: the BullMQExecutor was shut down; create a new one`,
      );
    }
    if (spec.kind !== 'module') {
      throw new TypeError(
        `BullMQExecutor cannot run ${label}(): a self-contained function would travel as source ` +
          'code, and the queue carries data, never code; export it from a module in the ' +
          "workers' allowlist and pass workerFunction(new URL('./module.js', import.meta.url), " +
          "'name')",
      );
    }
    if (this._waiting >= this._maxQueue) {
      throw new ExecutorQueueFullError(
        `cannot queue ${label}: ${this._waiting} jobs already wait for a worker ` +
          `(maxQueue ${this._maxQueue}); await some of them first`,
      );
    }
    let payload: string;
    try {
      payload = this._serializer.serialize(args);
    } catch (e) {
      if (e instanceof TypeError) {
        throw new TypeError(
          `cannot send ${label} to a worker: ${e.message.replace(/^value/, 'args')}`,
        );
      }
      throw e;
    }
    const data: FleetJobData = {
      module: this._moduleNames.get(spec.url) ?? spec.url,
      export: spec.exportName,
      args: payload,
    };
    const id = this._idPrefix + (++this._counter).toString(36);
    const future = new FleetJobFuture<R>(loop);
    const job: FleetJob = {
      id,
      loop,
      future: future as FleetJobFuture<unknown>,
      label,
      state: ADDING,
      cancelled: false,
      added: Promise.resolve(),
    };
    future._fleet = { executor: this, job };
    this._jobs.set(id, job);
    this._waiting++;
    job.added = this._ready
      .then(() =>
        this.queue.add(`${data.module}#${data.export}`, data, { ...this._jobOptions, jobId: id }),
      )
      .then(
        () => {
          if (job.state === ADDING) {
            job.state = WAITING;
            if (job.cancelled) void this._withdraw(job);
          } else if (job.state === FINISHED && job.cancelled) {
            return this._removeQuietly(id); // failed by shutdown() while it was being added
          }
          return undefined;
        },
        (error: unknown) => {
          const cause = error instanceof Error ? error : new Error(String(error));
          this._finish(
            job,
            false,
            new WorkerCrashedError(`could not queue ${label} in Redis: ${cause.message}`, {
              cause,
            }),
          );
        },
      );
    return future;
  }

  /**
   * Stops the executor; idempotent. By default, jobs still pending fail at once with
   * `ExecutorShutdownError`: those waiting in Redis are removed, running ones are aborted. With
   * `{ cancelPending: false }` they finish first. Then this executor's Redis connections close
   * (the workers keep running: stop them where they run). Later `submit`s throw.
   */
  shutdown(options: ShutdownOptions = {}): Promise<void> {
    if (this._closing !== null) {
      if (options.cancelPending !== false) this._failPending();
      return this._closing;
    }
    const drained =
      options.cancelPending === false && this._jobs.size > 0
        ? new Promise<void>((resolve) => {
            this._drained = resolve;
          })
        : this._failPending();
    this._closing = drained.then(() => this._close());
    return this._closing;
  }

  toString(): string {
    const { waiting, running } = this.counts();
    const state = this._closing !== null ? ' shut down' : '';
    return `<BullMQExecutor ${this._queueName}${state} waiting=${waiting} running=${running}>`;
  }

  /** @internal The caller cancelled a job's future. */
  _cancel(job: FleetJob): void {
    job.cancelled = true;
    if (job.state === WAITING) {
      void this._withdraw(job);
    } else if (job.state === RUNNING) {
      this._abortRunning(job);
    }
    // ADDING: withdrawn once added (see submit).
  }

  /** Removes a job still in Redis; if a worker took it meanwhile, aborts it there. */
  private async _withdraw(job: FleetJob): Promise<void> {
    // Why a loop: `remove` is atomic and fails (0) only if a worker holds the job's lock; any
    // other failure (a dropped connection) is retried while Redis still says the job waits.
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        if ((await this.queue.remove(job.id)) === 1) {
          this._forget(job);
          return;
        }
      } catch {
        // judged by the job's state below
      }
      let state: string;
      try {
        state = await this.queue.getJobState(job.id);
      } catch {
        state = 'unreachable';
      }
      if (!/^(waiting|wait|prioritized|delayed|paused)$/.test(state)) break;
    }
    if (job.state !== FINISHED && job.state !== STOPPING) this._abortRunning(job);
  }

  private _abortRunning(job: FleetJob): void {
    if (job.state === WAITING) this._waiting--;
    job.state = STOPPING;
    this._publishCancel(job.id);
    if (job.loop.isClosed()) return;
    job.loop.callLater(this._stopTimeout, () => {
      if (job.state !== STOPPING) return;
      job.loop.callExceptionHandler({
        message:
          `BullMQExecutor: the cancelled job ${job.label} (job ${job.id} on queue ` +
          `${this._queueName}) did not stop within ${this._stopTimeout} ms: its function ignores ` +
          'the AbortSignal it receives; it still runs on its worker, and its result will be dropped',
        executor: this,
        jobId: job.id,
      });
    });
  }

  private _publishCancel(jobId: string): void {
    this._relay ??= new Relay({ connection: this._connection, prefix: this._prefix });
    const sent = this._relay.publish(cancelTopic(this._prefix, this._queueName), { jobId }).then(
      () => undefined,
      () => {
        // Redis is gone: the job's worker cannot hear it either; the stop timeout reports it.
      },
    );
    // Why kept: shutdown() must not close the relay before its cancel requests are out.
    this._publishing.add(sent);
    sent.then(() => this._publishing.delete(sent));
  }

  private _onActive(jobId: string): void {
    const job = this._jobs.get(jobId);
    if (job === undefined) return;
    if (job.state === ADDING || job.state === WAITING) {
      this._waiting--;
      job.state = RUNNING;
      if (job.cancelled) this._abortRunning(job);
    }
  }

  private _onCompleted(jobId: string, returnvalue: unknown): void {
    const job = this._jobs.get(jobId);
    if (job === undefined) return;
    if (job.future.done()) {
      this._forget(job);
      return;
    }
    let value: unknown;
    try {
      if (typeof returnvalue !== 'string') {
        throw new TypeError(`expected the serialized result, got ${typeof returnvalue}`);
      }
      value = this._serializer.deserialize(returnvalue);
    } catch (e) {
      this._finish(
        job,
        false,
        new TypeError(`the result of ${job.label} could not be read: ${(e as Error).message}`),
      );
      return;
    }
    this._finish(job, true, value);
  }

  private _onFailed(jobId: string, failedReason: string): void {
    const job = this._jobs.get(jobId);
    if (job === undefined) return;
    if (job.future.done()) {
      this._forget(job);
      return;
    }
    const wire = decodeFailure(failedReason);
    let error: Error;
    if (wire !== undefined) {
      error = reviveError(wire, job.label);
      error.stack = error.stack?.replace(/<worker thread>/, '<BullMQ worker>');
    } else if (/stalled/.test(failedReason)) {
      error = new WorkerCrashedError(
        `${job.label} failed: its worker stopped renewing the job's lock (it died, or was ` +
          `blocked for longer than its lockDuration) and BullMQ's stalled-job check failed the ` +
          `job ("${failedReason}"); it does not run again unless retries were requested`,
      );
    } else if (failedReason === CANCELLED_REASON) {
      error = new CancelledError(failedReason);
    } else {
      error = new Error(`${job.label} failed in BullMQ: ${failedReason}`);
    }
    this._finish(job, false, error);
  }

  /** Settles a job's future through its loop, never from outside it; a closed loop drops it. */
  private _finish(job: FleetJob, ok: boolean, value: unknown): void {
    this._forget(job);
    const { loop, future } = job;
    if (future.done() || loop.isClosed()) return;
    loop.callSoon(() => {
      if (future.done()) return;
      if (ok) future.setResult(value);
      else if (value instanceof CancelledError) future.cancel(value.message);
      else future.setException(value);
    });
  }

  private _forget(job: FleetJob): void {
    if (job.state === FINISHED) return;
    if (job.state === ADDING || job.state === WAITING) this._waiting--;
    job.state = FINISHED;
    this._jobs.delete(job.id);
    if (this._drained !== null && this._jobs.size === 0) {
      const resolve = this._drained;
      this._drained = null;
      resolve();
    }
  }

  /** Fails every pending job with ExecutorShutdownError; removes or aborts them in Redis. */
  private _failPending(): Promise<void> {
    const work: Promise<void>[] = [];
    for (const job of [...this._jobs.values()]) {
      const state = job.state;
      this._finish(
        job,
        false,
        new ExecutorShutdownError(`${job.label} did not finish: the BullMQExecutor was shut down`),
      );
      job.cancelled = true;
      if (state === RUNNING) this._publishCancel(job.id);
      else if (state === WAITING) work.push(this._removeQuietly(job.id));
      else if (state === ADDING) work.push(job.added.then(() => undefined)); // removes it (submit)
    }
    if (this._drained !== null) {
      const resolve = this._drained;
      this._drained = null;
      resolve();
    }
    return Promise.all(work).then(() => undefined);
  }

  private async _removeQuietly(id: string): Promise<void> {
    try {
      await this._ready;
      if ((await this.queue.remove(id)) !== 1) this._publishCancel(id);
    } catch {
      // Redis is unreachable: nothing more this executor can do for that job.
    }
  }

  private async _close(): Promise<void> {
    // Why wait for readiness: the QueueEvents is created then, and must not outlive the close.
    await this._ready.catch(() => {});
    await Promise.all([...this._publishing]);
    const relay = this._relay;
    await Promise.allSettled([
      ...(this._events !== null ? [this._events.close()] : []),
      this.queue.close(),
      ...(relay !== null ? [relay.close()] : []),
    ]);
  }
}

/** The future of a fleet job: cancelling it removes the job from Redis or aborts it. */
export class FleetJobFuture<T> extends Future<T> {
  /** @internal */ _fleet: { executor: BullMQExecutor; job: FleetJob } | null = null;

  override cancel(msg?: string): boolean {
    if (!super.cancel(msg)) return false;
    const fleet = this._fleet;
    if (fleet !== null) fleet.executor._cancel(fleet.job);
    return true;
  }
}

function checkCount(name: string, v: number | undefined, min: number): number | undefined {
  if (v === undefined || v === Number.POSITIVE_INFINITY) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new RangeError(
      `BullMQExecutor option ${name} must be an integer >= ${min}, got ${String(v)}`,
    );
  }
  return v;
}

/**
 * The id of the newest entry of the queue's event stream ('0-0' if empty), read through the raw
 * ioredis client; '0-0' too if the client is not ioredis (then the capped history is read once).
 */
async function lastEventId(queue: Queue): Promise<string> {
  try {
    const client = (await queue.backend.client) as unknown as {
      xrevrange?(
        key: string,
        end: string,
        start: string,
        count: 'COUNT',
        n: number,
      ): Promise<[string, string[]][]>;
    };
    if (typeof client.xrevrange !== 'function') return '0-0';
    const newest = await client.xrevrange(queue.keys.events ?? '', '+', '-', 'COUNT', 1);
    return newest[0]?.[0] ?? '0-0';
  } catch {
    return '0-0';
  }
}
