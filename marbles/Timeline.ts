/**
 * The timeline recorder: what tasks print, emit, return and raise, and when they start, suspend,
 * resume, get cancelled and finish, each with its virtual timestamp.
 *
 * @module
 */

import { type Observable, Subject } from 'rxjs';
import {
  CancelledError,
  currentTask,
  type EventLoop,
  RuntimeError,
  type Task,
} from '../src/index.js';
import { getStepObserver, setStepObserver, taskSnapshot } from '../src/kernel/internals.js';
import { type MarbleOptions, type RenderedMarbles, renderMarbles } from './marbleText.js';
import { showValue } from './showValue.js';
import { OUTPUT_KINDS, type TimelineEvent, type TimelineEventKind } from './TimelineEvent.js';

/** Task names the kit never shows as lanes (asyncio.run's own shutdown task). */
const HIDDEN = new Set(['run() shutdown']);
const DEFAULT_NAME = /^Task-\d+$/;
const attached = new WeakMap<EventLoop, Timeline>();

/**
 * Records a timeline of the tasks of one loop. Attach it with {@link Timeline.attach} (the kit's
 * `record()` and `CoroutineHarness` do it), and have tasks call {@link Timeline.print} or
 * {@link Timeline.emit}. Recording costs nothing when no Timeline is attached.
 *
 * Lane names are task names; unnamed tasks get `Task-1`, `Task-2`... in the order they first run,
 * so a lane's name does not depend on how many tasks earlier tests created.
 *
 * @example
 * ```ts
 * import { sleep } from 'rx-asyncio';
 * import { record } from 'rx-asyncio/marbles';
 * const { timeline } = record((tl) => function* () {
 *   yield* sleep(1000);
 *   tl.print('tick');
 * }());
 * console.log(timeline.toMarbles().lanes.main); // "1000ms (a|)"
 * ```
 */
export class Timeline {
  /** Every event, in the order it happened. */
  readonly events: TimelineEvent[] = [];
  private loop: EventLoop | null = null;
  private readonly names = new WeakMap<Task<unknown>, string>();
  private readonly started = new WeakSet<Task<unknown>>();
  private unnamed = 0;
  private readonly subjects = new Map<string, Subject<unknown>>();
  private readonly echo: ((line: string) => void) | null;

  /** @param options.echo also write each printed line here (e.g. `console.log`). */
  constructor(options: { echo?: (line: string) => void } = {}) {
    this.echo = options.echo ?? null;
  }

  /** The Timeline recording `loop`, if any. */
  static attachedTo(loop: EventLoop): Timeline | null {
    return attached.get(loop) ?? null;
  }

  /**
   * Starts recording the tasks of `loop`.
   * @throws {RuntimeError} if another recorder (or step observer) is attached to it.
   */
  attach(loop: EventLoop): this {
    const installed = getStepObserver(loop);
    if (installed !== null && installed !== this.observer) {
      throw new RuntimeError(
        'Timeline.attach(loop): this loop already has a recorder; detach it first',
      );
    }
    this.loop = loop;
    setStepObserver(loop, this.observer);
    attached.set(loop, this);
    return this;
  }

  /** Stops recording. */
  detach(): void {
    const loop = this.loop;
    if (loop !== null && getStepObserver(loop) === this.observer) {
      setStepObserver(loop, null);
      attached.delete(loop);
    }
    this.loop = null;
  }

  /**
   * Records a line printed by the current task (what Python's `print` would show), joining the
   * arguments with spaces. Pass it to the code under test in place of `console.log`.
   */
  readonly print = (...args: unknown[]): void => {
    const line = args.map((a) => (typeof a === 'string' ? a : String(a))).join(' ');
    this.echo?.(line);
    this.note(this.currentLane(), 'print', line);
  };

  /** Records a value emitted by the current task (any value; compared structurally). */
  readonly emit = (value: unknown): void => {
    this.note(this.currentLane(), 'emit', value);
  };

  /** The lane names, in the order their tasks first ran. */
  lanes(): string[] {
    const seen = new Set<string>();
    for (const e of this.events) seen.add(e.task);
    return [...seen];
  }

  /** The events of some kinds (default: outputs and endings), optionally of one lane. */
  select(kinds: readonly TimelineEventKind[] = OUTPUT_KINDS, lane?: string): TimelineEvent[] {
    return this.events.filter(
      (e) => kinds.includes(e.kind) && (lane === undefined || e.task === lane),
    );
  }

  /**
   * A live Observable of one lane: it emits what the task prints or emits, completes when the
   * task returns, and errors when it raises or is cancelled (with the `CancelledError`). Made for
   * `expectObservable(timeline.lane('worker')).toBe('10ms a 9ms |', ...)`.
   */
  lane(name: string): Observable<unknown> {
    let s = this.subjects.get(name);
    if (s === undefined) {
      s = new Subject<unknown>();
      this.subjects.set(name, s);
    }
    return s.asObservable();
  }

  /**
   * The lanes as marble text (RxJS run-mode syntax: `1000ms a 999ms (a|)`), with the letters
   * used: prints and emits are letters, a return is `|`, a raise or cancellation is `#`.
   * Lifecycle kinds (`start`, `resume`...) can be added with `options.kinds`. RxJS counts one
   * frame per glyph, so two instants of one lane closer than a group's width (`(ab)` at 0 and
   * `c` at 2) cannot be written exactly; {@link expectTimeline} compares times, not text, and
   * is exact either way.
   */
  toMarbles(options?: MarbleOptions): RenderedMarbles {
    return renderMarbles(this, options);
  }

  /** One line per event: `  1000ms coro1 print "coro1()"`; for logs and failure messages. */
  toString(): string {
    return this.events
      .map((e) => {
        const v = e.value === undefined ? '' : ` ${showValue(e.value)}`;
        return `${String(e.time).padStart(8)}ms ${e.task} ${e.kind}${v}`;
      })
      .join('\n');
  }

  /** @internal The name of `task`'s lane (stable within one recording). */
  laneOf(task: Task<unknown>): string {
    let name = this.names.get(task);
    if (name === undefined) {
      const given = task.getName();
      name =
        DEFAULT_NAME.test(given) && taskSnapshot(task).defaultName
          ? `Task-${++this.unnamed}`
          : given;
      this.names.set(task, name);
    }
    return name;
  }

  private currentLane(): string {
    const task = this.loop === null ? null : currentTask(this.loop);
    return task === null ? '(loop)' : this.laneOf(task);
  }

  private note(task: string, kind: TimelineEventKind, value?: unknown): void {
    if (HIDDEN.has(task)) return;
    const time = this.loop === null ? Number.NaN : this.loop.time();
    const event: TimelineEvent =
      value === undefined
        ? { time, seq: this.events.length, task, kind }
        : { time, seq: this.events.length, task, kind, value };
    this.events.push(event);
    const s = this.subjects.get(task);
    if (s === undefined) return;
    if (kind === 'print' || kind === 'emit') s.next(value);
    else if (kind === 'return') s.complete();
    else if (kind === 'raise' || kind === 'cancelled') s.error(value);
  }

  private readonly observer = {
    stepStart: (task: Task<unknown>, exc: unknown): void => {
      const lane = this.laneOf(task);
      if (!this.started.has(task)) {
        this.started.add(task);
        this.note(lane, 'start');
      } else {
        this.note(lane, 'resume');
      }
      if (exc instanceof CancelledError || taskSnapshot(task).cancelPending)
        this.note(lane, 'cancel');
    },
    stepEnd: (task: Task<unknown>): void => {
      const lane = this.laneOf(task);
      const snap = taskSnapshot(task);
      const outcome = snap.outcome;
      if (outcome.kind === 'pending') {
        const w = snap.waitingOn;
        this.note(lane, 'suspend', w === null ? 'sleep(0)' : String(w));
      } else if (outcome.kind === 'cancelled') {
        this.note(lane, 'cancelled', outcome.error);
      } else if (outcome.kind === 'return') {
        this.note(lane, 'return', outcome.value);
      } else {
        this.note(lane, 'raise', outcome.error);
      }
    },
  };
}
