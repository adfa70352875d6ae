/**
 * Random programs for the property suites: a tree of tasks that sleep, spawn and await each
 * other, cancel each other (now or at a later virtual time), cancel themselves, throw, swallow
 * cancellation, clean up asynchronously (and sometimes throw from that cleanup), nest `yield*`
 * frames and await Observables. A program is plain data built from fast-check arbitraries, so a
 * failing case shrinks; `showProgram` prints it as readable pseudo-code.
 *
 * The interpreter instruments everything the invariants need: a per-task record (started, how
 * many times its `finally` ran), per-frame enter/exit counts, every error the program threw, the
 * errors it caught on purpose, and a trace of `time:task:event` lines for the determinism check.
 */
import fc from 'fast-check';
import { map, of, throwError, timer } from 'rxjs';
import {
  awaitable,
  CancelledError,
  type Coroutine,
  currentTask,
  type EventLoop,
  sleep,
  type Task,
} from '../../../src/index.js';

export type Op =
  | { k: 'sleep'; ms: number }
  | { k: 'spawn'; prog: Prog }
  | { k: 'await'; child: number; catchErrors: boolean }
  | { k: 'cancel'; child: number; after: number }
  | { k: 'cancelSelf' }
  | { k: 'throw' }
  | { k: 'nest'; ops: Op[] }
  | { k: 'observable'; ms: number; fail: boolean }
  | { k: 'future'; ms: number; settle: 'result' | 'error' | 'cancel' }
  | { k: 'uncancel' }
  | { k: 'throwingCallback'; child: number }
  | Extension;

/** An op contributed by a toolkit module (gather, locks, queues...): see {@link Extension}. */
export interface Extension {
  k: 'ext';
  name: string;
  args: readonly number[];
  /** A block of ops the extension runs inside its scope (a timeout's body). */
  ops?: Op[];
  /** Programs the extension starts as tasks (a TaskGroup's children). */
  progs?: Prog[];
}

export interface Prog {
  ops: Op[];
  /** Catch `CancelledError` around every op and carry on (a task that resists cancellation). */
  swallow: boolean;
  /** `yield* sleep(n)` inside the task's `finally` (async cleanup); null: no await there. */
  cleanupSleep: number | null;
  /** Throw a new error from the `finally` (after the cleanup sleep). */
  cleanupThrows: boolean;
}

/** An error the generated program raised on purpose; `cause` is what it replaced, if anything. */
export class ProgramError extends Error {
  override name = 'ProgramError';
}

export interface TaskRecord {
  id: number;
  task: Task<unknown>;
  started: boolean;
  finallies: number;
  /** How many times its done callback ran (must end at exactly 1). */
  doneCalls: number;
}

/** Everything one run of a program observed. */
export class Run {
  readonly trace: string[] = [];
  readonly tasks: TaskRecord[] = [];
  readonly frames = { entered: 0, exited: 0 };
  readonly thrown: ProgramError[] = [];
  /** Tasks whose error the program caught with an `await` op: those errors reached it. */
  readonly caughtFrom = new Set<Task<unknown>>();
  /** Tasks some other task awaited: their errors are retrieved by that await. */
  readonly awaited = new Set<Task<unknown>>();
  /**
   * Tasks cancel()ed after they finished: as in asyncio, that marks their error retrieved, so it
   * must not be reported.
   */
  readonly cancelledWhenDone = new Set<Task<unknown>>();
  /** Errors thrown by done callbacks: each must be reported exactly once. */
  readonly callbackErrors = new Set<ProgramError>();
  readonly violations: string[] = [];
  private nextError = 0;

  constructor(
    readonly loop: EventLoop,
    readonly extensions: ExtensionRuntime,
  ) {}

  log(rec: TaskRecord, event: string): void {
    this.trace.push(`${this.loop.time()}:t${rec.id}:${event}`);
  }

  error(where: string, cause?: unknown): ProgramError {
    const e = new ProgramError(`${where} #${this.nextError++}`, { cause });
    this.thrown.push(e);
    return e;
  }

  /** Starts `prog` as a new task; `create` makes the task (default `loop.createTask`). */
  spawn(prog: Prog, name: string, create?: Create): TaskRecord {
    return this.spawnWith(name, (rec) => taskBody(this, rec, prog), create);
  }

  spawnWith(
    name: string,
    body: (rec: TaskRecord) => Coroutine<unknown>,
    create: Create = (coro, options) => this.loop.createTask(coro, options),
  ): TaskRecord {
    const rec = { id: this.tasks.length, started: false, finallies: 0, doneCalls: 0 } as TaskRecord;
    this.tasks.push(rec);
    rec.task = create(body(rec), { name: `${name}${rec.id}` });
    rec.task.addDoneCallback(() => {
      rec.doneCalls++;
    });
    return rec;
  }
}

/** Makes a task (a TaskGroup's `createTask`, say). */
export type Create = (coro: Coroutine<unknown>, options: { name: string }) => Task<unknown>;

/** How toolkit modules plug their ops into the interpreter. */
export interface ExtensionRuntime {
  run(run: Run, rec: TaskRecord, op: Extension, children: Task<unknown>[]): Coroutine<void>;
  /** Checks the extension's own invariants after the run; reports each violation with `bad`. */
  finish?(run: Run, bad: (msg: string) => void): void;
}

/** One runtime for the ops of several: each op goes to the first runtime that names it. */
export function combineRuntimes(
  ...parts: Array<ExtensionRuntime & { names: ReadonlySet<string> }>
): ExtensionRuntime {
  return {
    *run(run, rec, op, children) {
      const part = parts.find((p) => p.names.has(op.name));
      if (part === undefined) throw new Error(`no runtime for extension op ${op.name}`);
      yield* part.run(run, rec, op, children);
    },
    finish(run, bad) {
      for (const p of parts) p.finish?.(run, bad);
    },
  };
}

export const noExtensions: ExtensionRuntime = {
  *run(_run, _rec, op) {
    throw new Error(`no runtime for extension op ${op.name}`);
  },
};

/** The main coroutine of a program: runs `prog` as task 0 and awaits it. */
export function* programMain(run: Run, prog: Prog): Coroutine<unknown> {
  const rec = run.spawn(prog, 'main');
  return yield* rec.task;
}

function* taskBody(run: Run, rec: TaskRecord, prog: Prog): Coroutine<string> {
  rec.started = true;
  run.log(rec, 'start');
  const children: Task<unknown>[] = [];
  let pending: unknown;
  try {
    yield* runOps(run, rec, prog.ops, prog.swallow, children);
    run.log(rec, 'return');
    return `r${rec.id}`;
  } catch (e) {
    pending = e;
    run.log(rec, `raise ${e instanceof Error ? e.name : typeof e}`);
    throw e;
  } finally {
    rec.finallies++;
    if (prog.cleanupSleep !== null) {
      yield* sleep(prog.cleanupSleep);
      run.log(rec, 'cleaned');
    }
    if (prog.cleanupThrows) throw run.error(`t${rec.id} finally`, pending);
  }
}

export function* runOps(
  run: Run,
  rec: TaskRecord,
  ops: readonly Op[],
  swallow: boolean,
  children: Task<unknown>[],
): Coroutine<void> {
  for (const op of ops) {
    if (!swallow) {
      yield* runOp(run, rec, op, swallow, children);
      continue;
    }
    try {
      yield* runOp(run, rec, op, swallow, children);
    } catch (e) {
      if (!(e instanceof CancelledError)) throw e;
      run.log(rec, 'swallowed');
    }
  }
}

function* runOp(
  run: Run,
  rec: TaskRecord,
  op: Op,
  swallow: boolean,
  children: Task<unknown>[],
): Coroutine<void> {
  switch (op.k) {
    case 'sleep': {
      const t0 = run.loop.time();
      yield* sleep(op.ms);
      const late = run.loop.time() - t0 - op.ms;
      if (late !== 0) run.violations.push(`t${rec.id}: sleep(${op.ms}) woke ${late} ms late`);
      return;
    }
    case 'spawn':
      children.push(run.spawn(op.prog, 'child').task);
      return;
    case 'await': {
      const child = children[op.child % Math.max(1, children.length)];
      if (child === undefined) return;
      run.awaited.add(child);
      try {
        yield* child;
        run.log(rec, `joined ${child.getName()}`);
      } catch (e) {
        if (e instanceof CancelledError || !op.catchErrors) throw e;
        run.caughtFrom.add(child);
        run.log(rec, `caught from ${child.getName()}`);
      }
      return;
    }
    case 'cancel': {
      const child = children[op.child % Math.max(1, children.length)];
      if (child === undefined) return;
      if (op.after === 0) cancelTask(run, child, `by t${rec.id}`);
      else run.spawnWith('canceller', (r) => cancelLater(run, r, op.after, child, rec.id));
      return;
    }
    case 'cancelSelf':
      currentTask()?.cancel('self');
      return;
    case 'throw':
      throw run.error(`t${rec.id} throw`);
    case 'nest':
      yield* nested(run, rec, op.ops, swallow, children);
      return;
    case 'observable': {
      const err = op.fail ? run.error(`t${rec.id} observable`) : null;
      const source =
        op.ms === 0
          ? err === null
            ? of(op.ms)
            : throwError(() => err) // errors synchronously on subscribe
          : timer(op.ms, run.loop.scheduler).pipe(
              map((v) => {
                if (err !== null) throw err;
                return v;
              }),
            );
      yield* awaitable(source);
      return;
    }
    case 'future':
      yield* awaitFuture(run, rec, op.ms, op.settle);
      return;
    case 'uncancel':
      currentTask()?.uncancel();
      return;
    case 'throwingCallback': {
      // A done callback that throws: must be reported once, and disturb nothing else.
      const target = children[op.child % Math.max(1, children.length)] ?? rec.task;
      const err = run.error(`callback on ${target.getName()}`);
      run.callbackErrors.add(err);
      target.addDoneCallback(() => {
        throw err;
      });
      return;
    }
    case 'ext':
      yield* run.extensions.run(run, rec, op, children);
      return;
  }
}

/** Awaits a plain Future that a timer settles; the timer is cancelled if the wait is. */
function* awaitFuture(
  run: Run,
  rec: TaskRecord,
  ms: number,
  settle: 'result' | 'error' | 'cancel',
): Coroutine<void> {
  const fut = run.loop.createFuture<number>();
  const err = settle === 'error' ? run.error(`t${rec.id} future`) : null;
  const h = run.loop.callLater(ms, () => {
    if (fut.done()) return;
    if (err !== null) fut.setException(err);
    else if (settle === 'cancel') fut.cancel('by its timer');
    else fut.setResult(ms);
  });
  try {
    yield* fut;
  } finally {
    h.cancel();
  }
}

function* nested(
  run: Run,
  rec: TaskRecord,
  ops: readonly Op[],
  swallow: boolean,
  children: Task<unknown>[],
): Coroutine<void> {
  run.frames.entered++;
  try {
    yield* runOps(run, rec, ops, swallow, children);
  } finally {
    run.frames.exited++;
  }
}

/** `target.cancel(msg)`, noting a cancel of a finished task (it retrieves the error, as asyncio). */
function cancelTask(run: Run, target: Task<unknown>, msg: string): void {
  if (target.done()) run.cancelledWhenDone.add(target);
  target.cancel(msg);
}

/** A program-level delayed cancel: a plain task, so `run()`'s shutdown owns it too. */
function* cancelLater(
  run: Run,
  rec: TaskRecord,
  ms: number,
  target: Task<unknown>,
  by: number,
): Coroutine<void> {
  rec.started = true;
  try {
    yield* sleep(ms);
    run.log(rec, `cancels ${target.getName()}`);
    cancelTask(run, target, `by t${by} after ${ms}`);
  } finally {
    rec.finallies++;
  }
}

// --- arbitraries ---------------------------------------------------------------------------------

export interface ProgramShape {
  /** Max nesting of spawned programs and `nest` frames. */
  depth: number;
  /** Max ops per body. */
  maxOps: number;
  /** Extra weight for `spawn` ops (more concurrent tasks contending for shared primitives). */
  spawnBoost?: number;
  /** Extra op arbitraries (toolkit modules), given the recursive op and program arbitraries. */
  extensions?: (op: fc.Arbitrary<Op>, prog: fc.Arbitrary<Prog>) => fc.Arbitrary<Op>[];
}

const smallMs = fc.constantFrom(0, 0, 1, 1, 2, 5);
const rarely = fc.constantFrom(false, false, false, false, false, true);

export function programArbitrary(shape: ProgramShape): fc.Arbitrary<Prog> {
  const { prog } = fc.letrec<{ prog: Prog; op: Op }>((tie) => ({
    prog: fc.record({
      ops: fc.array(tie('op'), { maxLength: shape.maxOps, size: 'medium' }),
      swallow: fc.boolean(),
      cleanupSleep: fc.option(smallMs, { freq: 3 }),
      cleanupThrows: fc.boolean(),
    }),
    op: fc.oneof(
      { depthSize: 'max', maxDepth: shape.depth, depthIdentifier: 'prog', withCrossShrink: true },
      { weight: 4, arbitrary: fc.record({ k: fc.constant('sleep' as const), ms: smallMs }) },
      { weight: 1, arbitrary: fc.record({ k: fc.constant('throw' as const) }) },
      { weight: 1, arbitrary: fc.record({ k: fc.constant('cancelSelf' as const) }) },
      {
        weight: 3,
        arbitrary: fc.record({
          k: fc.constant('await' as const),
          child: fc.nat(3),
          catchErrors: fc.boolean(),
        }),
      },
      {
        weight: 2,
        arbitrary: fc.record({
          k: fc.constant('cancel' as const),
          child: fc.nat(3),
          after: smallMs,
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          k: fc.constant('observable' as const),
          ms: smallMs,
          fail: rarely,
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          k: fc.constant('future' as const),
          ms: smallMs,
          settle: fc.constantFrom('result' as const, 'error' as const, 'cancel' as const),
        }),
      },
      { weight: 1, arbitrary: fc.record({ k: fc.constant('uncancel' as const) }) },
      {
        weight: 1,
        arbitrary: fc.record({ k: fc.constant('throwingCallback' as const), child: fc.nat(3) }),
      },
      ...(
        shape.extensions?.(tie('op') as fc.Arbitrary<Op>, tie('prog') as fc.Arbitrary<Prog>) ?? []
      ).map((arbitrary) => ({ weight: 1, arbitrary })),
      {
        weight: 4 + (shape.spawnBoost ?? 0),
        arbitrary: fc.record({
          k: fc.constant('spawn' as const),
          prog: tie('prog') as fc.Arbitrary<Prog>,
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          k: fc.constant('nest' as const),
          ops: fc.array(tie('op'), { maxLength: 3 }),
        }),
      },
    ),
  }));
  return prog.map(withToString);
}

function withToString(p: Prog): Prog {
  return Object.defineProperty(p, fc.toStringMethod, {
    value: () => `\n${showProgram(p)}`,
    enumerable: false,
  });
}

/** The program as indented pseudo-code, for failure messages. */
export function showProgram(p: Prog, indent = '  '): string {
  const flags = [
    p.swallow ? 'swallows CancelledError' : '',
    p.cleanupSleep !== null ? `finally sleeps ${p.cleanupSleep}` : '',
    p.cleanupThrows ? 'finally throws' : '',
  ].filter((s) => s !== '');
  const head = `${indent}task${flags.length > 0 ? ` (${flags.join(', ')})` : ''}:`;
  const body = p.ops.map((op) => showOp(op, `${indent}  `));
  return [head, ...(body.length > 0 ? body : [`${indent}  (empty)`])].join('\n');
}

function showOp(op: Op, indent: string): string {
  switch (op.k) {
    case 'sleep':
      return `${indent}sleep(${op.ms})`;
    case 'spawn':
      return `${indent}spawn\n${showProgram(op.prog, `${indent}  `)}`;
    case 'await':
      return `${indent}await child[${op.child}]${op.catchErrors ? ' (catch errors)' : ''}`;
    case 'cancel':
      return `${indent}cancel child[${op.child}]${op.after > 0 ? ` after ${op.after}` : ''}`;
    case 'cancelSelf':
      return `${indent}cancel self`;
    case 'throw':
      return `${indent}throw`;
    case 'nest':
      return [`${indent}yield* frame:`, ...op.ops.map((o) => showOp(o, `${indent}  `))].join('\n');
    case 'observable':
      return `${indent}await Observable(${op.ms}${op.fail ? ', errors' : ''})`;
    case 'future':
      return `${indent}await Future(${op.settle} after ${op.ms})`;
    case 'uncancel':
      return `${indent}uncancel self`;
    case 'throwingCallback':
      return `${indent}add a throwing done callback to child[${op.child}]`;
    case 'ext': {
      const lines = [`${indent}${op.name}(${op.args.join(', ')})${op.ops || op.progs ? ':' : ''}`];
      for (const o of op.ops ?? []) lines.push(showOp(o, `${indent}  `));
      for (const p of op.progs ?? []) lines.push(showProgram(p, `${indent}  `));
      return lines.join('\n');
    }
  }
}
