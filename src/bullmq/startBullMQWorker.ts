import {
  type ConnectionOptions,
  type Job,
  Relay,
  UnrecoverableError,
  Worker,
  type WorkerOptions,
} from 'bullmq';
import { JobRefusedError } from '../errors.js';
import { CANCELLED_REASON, cancelTopic, encodeFailure, type FleetJobData } from './fleetWire.js';
import { jsonSerializer, type Serializer } from './Serializer.js';

/** Options of {@link startBullMQWorker}. */
export interface BullMQWorkerOptions {
  /** Where Redis is: BullMQ's connection options (host, port, password, TLS...). */
  connection: ConnectionOptions;
  /** The queue to serve: the `queueName` of the `BullMQExecutor`s that send the jobs. */
  queueName: string;
  /**
   * The allowlist: the only modules this worker imports, by name. A job names one of them (by
   * name, or by exactly this URL) and one of its function exports; any other job is refused with
   * `JobRefusedError` before anything is imported.
   */
  modules: Readonly<Record<string, string | URL>>;
  /** How many jobs this process runs at once (they share its thread: for CPU work, use 1 and start more processes). Default 1. */
  concurrency?: number;
  /** BullMQ's key prefix; the same as the executors'. Default BullMQ's (`bull`). */
  prefix?: string;
  /** How arguments and results travel; the same as the executors'. Default `jsonSerializer`. */
  serializer?: Serializer;
  /**
   * How long (ms) a job's lock lasts without renewal: a worker that dies (or blocks its thread
   * this long) has its job failed with `WorkerCrashedError` once this expires. Default BullMQ's (30000).
   */
  lockDuration?: number;
  /** How often (ms) this worker looks for jobs whose worker died. Default BullMQ's (30000). */
  stalledInterval?: number;
  /**
   * How many times a job whose worker died is started again before it fails. Default 0: a job
   * runs at most once unless you ask for more.
   */
  maxStalledCount?: number;
  /** Other BullMQ `Worker` options. */
  workerOptions?: Omit<WorkerOptions, 'connection' | 'prefix' | 'concurrency' | 'autorun'>;
}

/** A running fleet worker (see {@link startBullMQWorker}). */
export interface BullMQWorkerHandle {
  /** The BullMQ worker, for its events (`completed`, `failed`, `error`...). */
  readonly worker: Worker;
  /**
   * Stops taking jobs and closes the connections. Running jobs finish first, unless `force`:
   * then their `AbortSignal`s are aborted and the worker does not wait for them.
   */
  close(force?: boolean): Promise<void>;
}

/**
 * What a job's function receives after its arguments: `fn(...args, context)`.
 */
export interface FleetJobContext {
  /** Aborted when the caller cancels the job (or the worker is force-closed): stop then. */
  readonly signal: AbortSignal;
  /** The BullMQ job id. */
  readonly jobId: string;
  /** 1 for the first run, 2 for the first retry... */
  readonly attempt: number;
}

/**
 * Starts a worker process's part of a fleet: a BullMQ `Worker` on `queueName` that runs the jobs
 * `BullMQExecutor`s add, calling `fn(...args, { signal, jobId, attempt })` for the named export of
 * an allowlisted module, and sending back its result (or error: class, message, stack). Start it
 * on as many hosts as you like, with the same Redis and queue; the `rx-asyncio-worker` command
 * does this from the command line.
 *
 * Security: the queue carries data, never code. Only the exports of the modules in `modules` can
 * run; a job naming anything else (another module, a URL, a missing or non-function export) fails
 * with `JobRefusedError` and nothing is imported for it. Anyone who can write to Redis can still
 * call those exports with arguments of their choosing: list only modules whose exports are safe
 * to call so, and protect Redis (password, TLS: connection options pass through to BullMQ).
 *
 * Cancellation: when the caller cancels a running job, its `signal` aborts; the function should
 * stop and throw. One that ignores it runs on (the caller's loop reports it). A job whose worker
 * dies is failed by the stalled-job check of the other workers after `lockDuration`, and with the
 * default `maxStalledCount` of 0 it never runs a second time.
 *
 * @example
 * ```ts
 * import { startBullMQWorker } from 'rx-asyncio/bullmq';
 * const handle = await startBullMQWorker({
 *   connection: { host: '127.0.0.1', port: 6379 },
 *   queueName: 'hashing',
 *   modules: { work: new URL('./work.js', import.meta.url) },
 *   concurrency: 1,
 * });
 * process.once('SIGTERM', () => void handle.close());
 * ```
 */
export async function startBullMQWorker(options: BullMQWorkerOptions): Promise<BullMQWorkerHandle> {
  if (options === null || typeof options !== 'object' || options.connection == null) {
    throw new TypeError('startBullMQWorker(options): options.connection is required');
  }
  if (typeof options.queueName !== 'string' || options.queueName === '') {
    throw new TypeError('startBullMQWorker(options): options.queueName must be a non-empty string');
  }
  const allow = allowlist(options.modules);
  const serializer = options.serializer ?? jsonSerializer;
  const prefix = options.prefix ?? 'bull';
  const loaded = new Map<string, Promise<Record<string, unknown>>>();

  const processor = async (job: Job, _token?: string, signal?: AbortSignal): Promise<string> => {
    const data = job.data as Partial<FleetJobData> | null;
    const abort = signal ?? new AbortController().signal;
    try {
      const fn = await resolveFunction(data, allow, loaded);
      const args = serializer.deserialize(data?.args as string);
      if (!Array.isArray(args)) throw new JobRefusedError("the job's args are not an array");
      const context: FleetJobContext = {
        signal: abort,
        jobId: String(job.id),
        attempt: job.attemptsMade + 1,
      };
      const result = await fn(...args, context);
      return serializer.serialize(result);
    } catch (e) {
      // Why unrecoverable: a refused or cancelled job must not be retried.
      if (abort.aborted) throw new UnrecoverableError(CANCELLED_REASON);
      const reason = encodeFailure(e);
      throw e instanceof JobRefusedError ? new UnrecoverableError(reason) : new Error(reason);
    }
  };

  const worker = new Worker(options.queueName, processor, {
    ...options.workerOptions,
    connection: options.connection,
    prefix,
    concurrency: options.concurrency ?? 1,
    maxStalledCount: options.maxStalledCount ?? 0,
    ...(options.lockDuration !== undefined ? { lockDuration: options.lockDuration } : {}),
    ...(options.stalledInterval !== undefined ? { stalledInterval: options.stalledInterval } : {}),
    autorun: false,
  });
  worker.on('error', (error) => {
    console.error(`rx-asyncio-worker (${options.queueName}): ${error.message}`);
  });
  const relay = new Relay({ connection: options.connection, prefix });
  relay.on('error', (error: Error) => {
    console.error(`rx-asyncio-worker (${options.queueName}) cancel channel: ${error.message}`);
  });
  const subscription = await relay.subscribe<{ jobId?: unknown }>(
    cancelTopic(prefix, options.queueName),
    (message) => {
      const jobId = message.data?.jobId;
      if (typeof jobId === 'string') worker.cancelJob(jobId, CANCELLED_REASON);
    },
  );
  void worker.run();
  await worker.waitUntilReady();
  let closing: Promise<void> | null = null;
  return {
    worker,
    close(force = false): Promise<void> {
      if (force) worker.cancelAllJobs('the worker is closing');
      closing ??= (async () => {
        await worker.close(force);
        await subscription.unsubscribe().catch(() => {});
        await relay.close();
      })();
      return closing;
    },
  };
}

type JobFunction = (...args: unknown[]) => unknown;

/** Allowlisted URLs by name and by URL text. */
function allowlist(
  modules: Readonly<Record<string, string | URL>> | undefined,
): Map<string, string> {
  if (modules === null || typeof modules !== 'object' || Object.keys(modules).length === 0) {
    throw new TypeError(
      "startBullMQWorker(options): options.modules must list the job modules, e.g. { work: new URL('./work.js', import.meta.url) }",
    );
  }
  const allow = new Map<string, string>();
  for (const [name, url] of Object.entries(modules)) {
    const text = String(url);
    if (!/^[a-z][a-z0-9+.-]*:/i.test(text)) {
      throw new TypeError(
        `startBullMQWorker(options): modules.${name} is not an absolute URL: ${text}`,
      );
    }
    allow.set(name, text);
    allow.set(text, text);
  }
  return allow;
}

/** The allowlisted function a job names; refuses anything else before importing it. */
async function resolveFunction(
  data: Partial<FleetJobData> | null,
  allow: Map<string, string>,
  loaded: Map<string, Promise<Record<string, unknown>>>,
): Promise<JobFunction> {
  if (
    data === null ||
    typeof data !== 'object' ||
    typeof data.module !== 'string' ||
    typeof data.export !== 'string' ||
    typeof data.args !== 'string'
  ) {
    throw new JobRefusedError(
      'the job is not an rx-asyncio job (expected { module, export, args })',
    );
  }
  const url = allow.get(data.module);
  if (url === undefined) {
    throw new JobRefusedError(
      `the job names the module ${JSON.stringify(data.module)}, which is not in this worker's ` +
        `allowlist (${[...new Set(allow.values())].length} modules); it was not loaded`,
    );
  }
  let pending = loaded.get(url);
  if (pending === undefined) {
    pending = import(url) as Promise<Record<string, unknown>>;
    loaded.set(url, pending);
  }
  const namespace = await pending;
  const fn = Object.hasOwn(namespace, data.export) ? namespace[data.export] : undefined;
  if (typeof fn !== 'function') {
    throw new JobRefusedError(
      `the module ${JSON.stringify(data.module)} has no function export named ${JSON.stringify(data.export)}`,
    );
  }
  return fn as JobFunction;
}
