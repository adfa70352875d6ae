import {
  type EventLoop,
  type Executor,
  ExecutorShutdownError,
  type Future,
  type JobOptions,
  type TimerHandle,
  type WorkSpec,
} from '../src/index.js';
import { setFutureLabel } from '../src/kernel/internals.js';

/** How a scripted job ends: after `after` ms of loop time, with a value or an error. */
export type FakeOutcome =
  | { after: number; value: unknown }
  | { after: number; error: unknown }
  /** Only `after`: the job's own function runs then (self-contained functions only). */
  | { after: number };

/** What a {@link FakeExecutor} script returns for a job; `undefined` leaves it pending. */
export type FakeScript = (job: FakeJob) => FakeOutcome | undefined;

/** One job a {@link FakeExecutor} received, with what happened to it and when (loop time). */
export interface FakeJob {
  /** The function's name (`fib`), or the module export's name. */
  readonly name: string;
  readonly args: readonly unknown[];
  readonly submittedAt: number;
  /** `pending`, `result`, `error`, `cancelled` (the awaiting task cancelled it) or `shutdown`. */
  state: 'pending' | 'result' | 'error' | 'cancelled' | 'shutdown';
  /** When it left `pending`; NaN while pending. */
  endedAt: number;
  /** Completes a pending job now (through the loop), e.g. from a marble test's schedule. */
  resolve(value: unknown): void;
  /** Fails a pending job now (through the loop). */
  reject(error: unknown): void;
}

/**
 * A scripted executor for virtual-time tests: jobs never leave the thread; each completes at the
 * loop time its script chose, so offloading code can be tested with `runVirtual` and marble
 * diagrams, deterministically and in no real time. Install it with
 * `getRunningLoop().setDefaultExecutor(fake)` (then `toThread` uses it) or pass it to
 * `loop.runInExecutor(fake, fn, ...args)`. Every job is recorded in {@link jobs}, cancellations
 * and shutdowns included.
 *
 * @example
 * ```ts
 * import { getRunningLoop, toThread } from 'rx-asyncio';
 * import { FakeExecutor, runVirtual } from 'rx-asyncio/marbles';
 * const fake = new FakeExecutor((job) => ({ after: 1000, value: `${job.name} done` }));
 * const r = runVirtual(function* () {
 *   getRunningLoop().setDefaultExecutor(fake);
 *   return yield* toThread((n: number) => n * 2, 21);
 * }());
 * console.log(r.outcome, r.time); // { ok: true, value: 'anonymous done' } 1000
 * ```
 */
export class FakeExecutor implements Executor {
  /** Every job submitted, in order. */
  readonly jobs: FakeJob[] = [];
  private _shutdown = false;

  /** @param script decides each job's outcome; default: run its function at once (0 ms). */
  constructor(private readonly script: FakeScript = () => ({ after: 0 })) {}

  /** True once {@link shutdown} was called. */
  isShutdown(): boolean {
    return this._shutdown;
  }

  submit<R>(loop: EventLoop, spec: WorkSpec, args: unknown[], _options?: JobOptions): Future<R> {
    if (this._shutdown) {
      throw new ExecutorShutdownError('FakeExecutor: cannot submit after shutdown()');
    }
    const future = loop.createFuture<R>();
    const name = spec.kind === 'module' ? spec.exportName : spec.name;
    setFutureLabel(future as Future<unknown>, `fake job ${name}()`);
    const job = new Job(loop, future as Future<unknown>, name, args);
    future.addDoneCallback(() => job.noteCancel());
    this.jobs.push(job);
    const outcome = this.script(job);
    if (outcome !== undefined) {
      job._timer = loop.callLater(outcome.after, () => job.finish(outcome, spec));
    }
    return future;
  }

  /** Fails every pending job with `ExecutorShutdownError`; later submits throw. */
  shutdown(): undefined {
    this._shutdown = true;
    for (const job of this.jobs) if (job.state === 'pending') (job as Job).stop();
    return undefined;
  }
}

class Job implements FakeJob {
  state: FakeJob['state'] = 'pending';
  /** @internal The timer that ends the job as scripted; cancelled once the job is over. */
  _timer: TimerHandle | null = null;
  endedAt = Number.NaN;
  readonly submittedAt: number;

  constructor(
    private readonly loop: EventLoop,
    private readonly future: Future<unknown>,
    readonly name: string,
    readonly args: readonly unknown[],
  ) {
    this.submittedAt = loop.time();
  }

  resolve(value: unknown): void {
    this.later(() => this.end('result', () => this.future.setResult(value)));
  }

  reject(error: unknown): void {
    this.later(() => this.end('error', () => this.future.setException(error)));
  }

  /** @internal */
  finish(outcome: FakeOutcome, spec: WorkSpec): void {
    if ('error' in outcome) {
      this.end('error', () => this.future.setException(outcome.error));
    } else if ('value' in outcome) {
      this.end('result', () => this.future.setResult(outcome.value));
    } else {
      this.end('result', () => {
        try {
          this.future.setResult(runLocally(spec, this.args));
        } catch (error) {
          this.state = 'error';
          this.future.setException(error);
        }
      });
    }
  }

  /** @internal */
  stop(): void {
    const error = new ExecutorShutdownError(
      `${this.name}() did not finish: the executor was shut down`,
    );
    this.end('shutdown', () => this.future.setException(error));
  }

  /** @internal The future is done: if nobody else ended the job, it was cancelled. */
  noteCancel(): void {
    // A cancelled or shut-down job must not leave its timer behind in the loop.
    this._timer?.cancel();
    this._timer = null;
    if (this.state === 'pending' && this.future.cancelled()) {
      this.state = 'cancelled';
      this.endedAt = this.loop.time();
    }
  }

  private end(state: FakeJob['state'], complete: () => void): void {
    if (this.state !== 'pending' || this.future.done()) return;
    this.state = state;
    this.endedAt = this.loop.time();
    complete();
  }

  private later(fn: () => void): void {
    if (!this.loop.isClosed()) this.loop.callSoon(fn);
  }
}

/** Runs a shipped self-contained function on this thread (the fake's "worker"). */
function runLocally(spec: WorkSpec, args: readonly unknown[]): unknown {
  if (spec.kind === 'module') {
    throw new TypeError(
      `FakeExecutor: ${spec.exportName}() is a module function, which the fake cannot run; ` +
        'script its outcome with { after, value } or { after, error }',
    );
  }
  // `__name`: esbuild's keepNames helper, which tsx-compiled sources may call.
  const make = new Function('__name', `return (${spec.source}\n);`);
  const fn = make((f: unknown) => f) as (...a: unknown[]) => unknown;
  return fn(...args);
}
