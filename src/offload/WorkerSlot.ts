/**
 * @internal One worker of a {@link WorkerPool} and its books: the jobs handed to it, the batch
 * about to be posted, the functions it has loaded, and its claim board. The pool decides which
 * jobs go where; a slot carries that out, encodes the messages, and matches the replies.
 * @module
 */
import { WorkerCrashedError } from '../errors.js';
import { LruMap } from '../internal/LruMap.js';
import { describe } from '../kernel/Awaitable.js';
import type { EventLoop } from '../kernel/EventLoop.js';
import type { ExceptionContext } from '../kernel/EventLoopOptions.js';
import type { TransferItem } from '../kernel/Executor.js';
import { CLAIM_CANCELLED, CLAIM_DONE, CLAIM_RUNNING, ClaimBoard } from './claimBoard.js';
import { HANDED_TO_WORKER, type Job, jobName, type Reply, settle } from './poolJob.js';
import { reviveError, type WireError } from './reviveError.js';
import type { Spawn, WorkerLink } from './spawnWorker.js';
import { type LineRequest, type StdinReader, stdinReader } from './stdinReader.js';
import { exitBlame, idleDeathContext, type StrayReport, strayContext } from './strayError.js';
import { jobError } from './workSpec.js';

/** @internal What a {@link WorkerSlot} reports to its pool. */
export interface SlotEvents {
  /** Jobs of a worker finished (their futures are settled): it has room for more. */
  freed(): void;
  /** A worker died, or hit an error outside any job; see {@link WorkerSlot.salvage}. */
  crash(slot: WorkerSlot, error: Error): void;
  /** An error no job's future carries (see strayError.ts), for `loop`'s exception handler. */
  stray(loop: EventLoop, context: ExceptionContext): void;
}

const NOTHING: readonly Job[] = [];

/** @internal How many functions a worker keeps loaded; the least recently used are dropped. */
export const WORKER_FUNCTIONS = 512;

/** A worker's `input()` asks for a line of stdin (see input.ts); the answer goes to `port`. */
interface StdinAsk {
  rxio: 'stdin';
  prompt?: unknown;
  port: { postMessage(message: unknown): void };
}

/**
 * The lines of stdin handed to the job a worker runs now. Why kept: if that job does not finish
 * (cancelled, its worker stopped or dead), they go back to stdin's reader for the next one.
 */
interface StdinBook {
  readonly job: Job;
  request: LineRequest | null;
  readonly lines: string[];
}

/**
 * @internal A pool's worker and the jobs handed to it. Jobs come in through
 * {@link WorkerSlot.hand}, leave in batches through {@link WorkerSlot.send}, and are matched to
 * the worker's replies by position; with a claim board, jobs the worker has not claimed can be
 * taken back ({@link WorkerSlot.takeBack}).
 */
export class WorkerSlot {
  readonly link: WorkerLink;
  /** Exact hand-off (shared memory), or null: then the first job in flight counts as running. */
  readonly board: ClaimBoard | null;
  /**
   * Jobs handed to this worker, in order; the worker runs them in that order, one at a time, so
   * its replies come in that order too (it skips, silently, those the pool took back).
   */
  private _inFlight: Job[] = [];
  /** Jobs handed over by the current dispatch, posted together at its end. */
  private _outbox: Job[] = [];
  /**
   * Functions this worker has, by pool-wide id: their spec is not sent again. Bounded (issue 14,
   * item 6): an id dropped here goes in {@link _forget}, and the worker drops it too.
   */
  private readonly _known = new LruMap<number, true>(WORKER_FUNCTIONS, (fn) =>
    this._forget.add(fn),
  );
  /** Ids to tell the worker to drop with the next message (after that message's jobs). */
  private readonly _forget = new Set<number>();
  /** Whether the worker has its board already. */
  private _boardSent = false;
  /** stdin lines handed to the running job, or null (see {@link StdinBook}). */
  private _stdin: StdinBook | null = null;
  private readonly _events: SlotEvents;
  /** The loop of the job handed over last: where errors no job carries are reported. */
  private _lastLoop: EventLoop | null = null;
  /** The worker's report of a `process.exit()`, which it sends just before it dies. */
  private _exit: StrayReport | null = null;
  /** True once the worker sent anything: its script started. */
  heard = false;

  /**
   * Starts a worker. `boardSize` is the most jobs it may hold (the pool's prefetch), or 0 for
   * the inexact hand-off.
   */
  constructor(spawn: Spawn, events: SlotEvents, boardSize: number) {
    this.board = boardSize > 0 ? new ClaimBoard(boardSize) : null;
    this._events = events;
    this.link = spawn({
      message: (data) => {
        this.heard = true;
        if (this._receive(data as Reply)) events.freed();
      },
      crash: (error) => events.crash(this, error),
    });
  }

  /** The jobs handed to this worker and not reported yet, in order. */
  get inFlight(): readonly Job[] {
    return this._inFlight;
  }

  /** True when the worker holds no job. */
  isIdle(): boolean {
    return this._inFlight.length === 0;
  }

  /**
   * Hands a job to the worker; it is posted with the others of this dispatch by
   * {@link WorkerSlot.send}. True if it is the first of this dispatch (the caller then owes a
   * `send()`).
   */
  hand(job: Job): boolean {
    job.state = HANDED_TO_WORKER;
    job.slot = this;
    this._lastLoop = job.loop;
    if (this.board !== null) {
      job.cell = this.board.take();
      job.ticket = this.board.ticket(job.cell);
    }
    this._inFlight.push(job);
    if (this._inFlight.length === 1) this.link.setActive(true);
    this._outbox.push(job);
    return this._outbox.length === 1;
  }

  /** Posts the jobs handed to the worker: in one message, except those with a transfer list. */
  send(): void {
    const jobs = this._outbox;
    this._outbox = [];
    let start = 0;
    for (let i = 0; i < jobs.length; i++) {
      if (jobs[i]!.transfer.length === 0) continue;
      // Why alone: a transfer list applies to a whole message, and one failure fails it all.
      if (i > start) this._post(jobs.slice(start, i), []);
      this._post([jobs[i]!], jobs[i]!.transfer);
      start = i + 1;
    }
    if (start < jobs.length) this._post(start === 0 ? jobs : jobs.slice(start), []);
  }

  /** Forgets a job the worker will never run or report. */
  unhand(job: Job): void {
    const inFlight = this._inFlight;
    const i = inFlight.indexOf(job);
    if (i >= 0) inFlight.splice(i, 1);
    if (inFlight.length === 0) this.link.setActive(false);
    if (job.cell >= 0) this.board?.release(job.cell);
    job.cell = -1;
    job.slot = null;
  }

  /**
   * Takes back the jobs at `from`..`to` of the in-flight list that the worker has not claimed,
   * in order, stopping at the first one claimed; returns them (the caller queues them again).
   * Needs a board.
   */
  takeBack(from: number, to: number): readonly Job[] {
    const board = this.board!;
    const inFlight = this._inFlight;
    let end = from;
    while (
      end < to &&
      board.cancel(inFlight[end]!.cell, inFlight[end]!.ticket) === CLAIM_CANCELLED
    ) {
      end++;
    }
    if (end === from) return NOTHING;
    const taken = inFlight.splice(from, end - from);
    for (const job of taken) {
      board.release(job.cell);
      job.cell = -1;
      job.slot = null;
    }
    if (inFlight.length === 0) this.link.setActive(false);
    return taken;
  }

  /**
   * The worker died: fails the jobs it started with `WorkerCrashedError` (saying which job ended
   * the worker, if it called `process.exit()`) and forgets them all; if it had started none, the
   * death is reported to the loop's exception handler instead. Returns the jobs it never
   * started, for the pool to queue again.
   */
  salvage(error: Error): Job[] {
    this._closeStdin(false);
    const jobs = this._inFlight;
    this._inFlight = [];
    const board = this.board;
    const requeue: Job[] = [];
    let crashed = false;
    for (const job of jobs) {
      if (job.state !== HANDED_TO_WORKER) continue;
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
      const blame = this._exit === null ? '' : exitBlame(this._exit, job);
      settle(
        job,
        false,
        new WorkerCrashedError(
          `the worker that ${what} ${jobName(job.spec)} died (${error.message}) before it sent ` +
            `the result${blame}; only the jobs it had started failed, and the worker is replaced`,
          { cause: error },
        ),
      );
    }
    // Never heard from and no job started: it never ran, which the pool reports (_onCrash).
    if (!crashed && this._lastLoop !== null && this.heard) {
      this._events.stray(this._lastLoop, idleDeathContext(error, this._exit));
    }
    return requeue;
  }

  /**
   * Terminates the worker and forgets its jobs (the caller handles them). The result settles
   * once the worker is gone (Node) or is undefined (browsers).
   */
  terminate(): PromiseLike<unknown> | undefined {
    this._closeStdin(false);
    const jobs = this._inFlight;
    this._inFlight = [];
    for (const job of jobs) job.slot = null;
    this.link.setActive(false);
    return this.link.terminate();
  }

  private _post(jobs: Job[], transfer: readonly TransferItem[]): void {
    const flat: unknown[] = [];
    const known = this._known;
    let specs: unknown[] | undefined;
    for (const job of jobs) {
      const fn = job.fn;
      if (known.get(fn) === undefined) {
        known.set(fn, true);
        this._forget.delete(fn); // dropped and needed again in one message: the worker keeps it
        specs ??= [];
        specs.push(fn, job.spec);
      }
      flat.push(job.id, fn, job.args, job.cell, job.ticket);
    }
    const message: {
      jobs: unknown[];
      specs?: unknown[];
      forget?: number[];
      claims?: SharedArrayBuffer;
    } = { jobs: flat };
    if (specs !== undefined) message.specs = specs;
    if (this._forget.size > 0) message.forget = [...this._forget];
    if (!this._boardSent && this.board !== null) message.claims = this.board.buffer;
    try {
      this.link.post(message, transfer);
      this._boardSent = true;
      if (message.forget !== undefined) this._forget.clear();
    } catch (error) {
      if (specs !== undefined)
        for (let i = 0; i < specs.length; i += 2) known.delete(specs[i] as number);
      if (jobs.length > 1) {
        // Something cannot be cloned: post one by one, so that only its job fails.
        for (const job of jobs) this._post([job], []);
        return;
      }
      // The worker never saw the job.
      const job = jobs[0]!;
      this.unhand(job);
      settle(job, false, nameUnclonable(job, error));
    }
  }

  /**
   * Serves a worker's `input()`: the next line of stdin from the process's one reader, booked to
   * the job it runs now. Why that is `_inFlight[0]`: the worker runs one job at a time and sends
   * the results before it (input() awaits before it asks, and replies are flushed before any await).
   */
  private _readStdin(ask: StdinAsk): void {
    const port = ask.port;
    const job = this._inFlight[0];
    if (job === undefined) {
      port.postMessage({ error: 'no job of this worker is running' });
      return;
    }
    if (this._stdin?.job !== job) {
      this._closeStdin(true); // an earlier job's lines: it finished
      this._stdin = { job, request: null, lines: [] };
    }
    const book = this._stdin!;
    let reader: StdinReader;
    try {
      reader = stdinReader();
    } catch (error) {
      port.postMessage({ error: error instanceof Error ? error.message : String(error) });
      return;
    }
    book.request = reader.request(String(ask.prompt ?? ''), (outcome) => {
      book.request = null;
      if (this._stdin !== book) {
        // The job ended before its line came (the request was withdrawn too late): keep it.
        if (outcome.kind === 'line') reader.unread([outcome.line]);
        return;
      }
      if (outcome.kind === 'line') {
        book.lines.push(outcome.line);
        port.postMessage({ line: outcome.line });
      } else if (outcome.kind === 'eof') port.postMessage({ eof: true });
      else port.postMessage({ error: String(outcome.error) });
    });
  }

  /**
   * Ends the running job's stdin book: withdraws a pending request and, unless the job finished
   * (`kept`), gives its lines back to stdin's reader.
   */
  private _closeStdin(kept: boolean): void {
    const book = this._stdin;
    if (book === null) return;
    this._stdin = null;
    book.request?.cancel();
    if (!kept && book.lines.length > 0) stdinReader().unread(book.lines);
  }

  /**
   * An error a job left on the worker (see strayError.ts): reported on the loop of the job it
   * blames if that still runs, else of the job running now, else of the last job; an exit is
   * kept for {@link salvage}, as the worker dies next.
   */
  private _onStray(report: StrayReport): void {
    if (report.stray === 'exit') {
      this._exit = report;
      return;
    }
    // Why the first: the worker runs its jobs in the order handed, and reports them in order.
    const first = this._inFlight[0];
    const running = first?.state === HANDED_TO_WORKER ? first : undefined;
    const blamed = this._inFlight.find((job) => job.id === report.job?.id);
    const loop = blamed?.loop ?? running?.loop ?? this._lastLoop;
    if (loop !== null) this._events.stray(loop, strayContext(report, running));
  }

  /** Settles the jobs a reply reports; true if it reported any (not a retired worker's). */
  private _receive(reply: Reply): boolean {
    const done = reply.done;
    if (done === undefined) {
      if (reply.rxio === 'stdin') this._readStdin(reply as unknown as StdinAsk);
      else if (reply.stray !== undefined) this._onStray(reply as unknown as StrayReport);
      return false;
    }
    const inFlight = this._inFlight;
    const board = this.board;
    let k = 0;
    for (let i = 0; i < done.length; i += 3) {
      const job = inFlight[k];
      // Why by position: replies come in the order the jobs were sent (see _inFlight).
      if (job === undefined || job.id !== done[i]) break;
      k++;
      if (this._stdin?.job === job) this._closeStdin(job.state === HANDED_TO_WORKER);
      job.slot = null;
      if (board !== null) board.release(job.cell);
      job.cell = -1;
      if (job.state !== HANDED_TO_WORKER) continue; // cancelled: dropped
      if (done[i + 1] === true) settle(job, true, done[i + 2]);
      else {
        const error = reviveError(done[i + 2] as WireError, jobName(job.spec));
        settle(job, false, jobError(job.spec, error));
      }
    }
    if (k === 0) return false; // a retired worker's late reply
    if (k === inFlight.length) inFlight.length = 0;
    else inFlight.splice(0, k);
    if (inFlight.length === 0) this.link.setActive(false);
    return true;
  }
}

/**
 * A `DataCloneError` that names the argument that cannot travel (issue 14, item 13): the host's
 * message says only what failed to clone, not which of the job's arguments it was.
 */
function nameUnclonable(job: Job, error: unknown): unknown {
  const args = job.args as unknown[];
  if (typeof structuredClone !== 'function' || !Array.isArray(args)) return error;
  for (let i = 0; i < args.length; i++) {
    try {
      structuredClone(args[i]);
    } catch {
      const what = error instanceof Error ? error.message : String(error);
      const named = new DOMException(
        `${jobName(job.spec)}: argument ${i + 1} (${describe(args[i])}) cannot be sent to a worker ` +
          `(${what}); arguments are structured-cloned: pass plain data, not functions, class ` +
          'instances with methods or host objects',
        'DataCloneError',
      );
      (named as { cause?: unknown }).cause = error;
      return named;
    }
  }
  return error;
}
