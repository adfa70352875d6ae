/**
 * @internal A {@link WorkerPool} job: its record, its future, and how it completes.
 * @module
 */
import type { EventLoop } from '../kernel/EventLoop.js';
import type { TransferItem, WorkSpec } from '../kernel/Executor.js';
import { Future } from '../kernel/Future.js';
import type { WorkerSlot } from './WorkerSlot.js';

/**
 * A job's state. QUEUED: in the pool's queue. HANDED_TO_WORKER: posted to a worker, which may
 * still hold it in its own queue behind other jobs (so not necessarily running). FINISHED:
 * settled, dropped or cancelled.
 */
export type JobState = 'QUEUED' | 'HANDED_TO_WORKER' | 'FINISHED';
export const QUEUED = 'QUEUED';
export const HANDED_TO_WORKER = 'HANDED_TO_WORKER';
export const FINISHED = 'FINISHED';

export interface Job {
  readonly id: number;
  readonly loop: EventLoop;
  readonly future: JobFuture<unknown>;
  readonly spec: WorkSpec;
  /** The pool's id for `spec` (what travels to the worker instead of the spec). */
  readonly fn: number;
  readonly args: unknown[];
  readonly transfer: readonly TransferItem[];
  /** See {@link JobState}. */
  state: JobState;
  /** The worker it was handed to, or null. */
  slot: WorkerSlot | null;
  /** Its cell on the slot's claim board while handed to a worker, else -1. */
  cell: number;
  ticket: number;
}

/** The future of a pool job: cancelling it drops the job, or terminates the worker running it. */
export class JobFuture<T> extends Future<T> {
  /** @internal See displayName.ts. */
  static override readonly _displayName: string = 'JobFuture';
  /** @internal */ _job: Job | null = null;
  /** @internal */ _pool: { _drop(job: Job): void } | null = null;

  override cancel(msg?: string): boolean {
    if (!super.cancel(msg)) return false;
    if (this._job !== null) this._pool?._drop(this._job);
    return true;
  }
}

/** A worker's message: `done` holds flat `id, ok, value` triples (see workerSource). */
export interface Reply {
  done?: unknown[];
  rxio?: string;
  stray?: string;
}

/** Completes a job's future through its loop, never from outside it; a closed loop drops it. */
export function settle(job: Job, ok: boolean, value: unknown): void {
  const { loop, future } = job;
  job.state = FINISHED;
  if (future.done() || loop.isClosed()) return;
  // The kernel's closure-free path: one Handle per job and no closure (measured: GC mattered).
  loop._callSoon((ok ? completeOk : completeError) as never, 2, future, value);
}

function completeOk(future: Future<unknown>, value: unknown): void {
  if (!future.done()) future.setResult(value);
}

function completeError(future: Future<unknown>, error: unknown): void {
  if (!future.done()) future.setException(error);
}

/** @internal What names a job: its spec, or what a worker says of it (see strayError). */
export type Nameable =
  | { readonly kind: 'module'; readonly url: string; readonly exportName: string }
  | { readonly kind: 'source'; readonly name: string };

/** @internal A job's name for messages and dumps. */
export function jobName(spec: Nameable): string {
  return spec.kind === 'module' ? `${spec.exportName}() from ${spec.url}` : `${spec.name}()`;
}
