/**
 * Runs a generated program under `runVirtual` and checks the runtime's invariants afterwards.
 * Returns the list of violations (empty: all held), so a property can fail with all of them.
 */

import { runVirtual, type VirtualRun } from '../../../marbles/runVirtual.js';
import {
  type ExceptionContext,
  ExceptionGroup,
  type Handle,
  isCancelledError,
  TimerHandle,
} from '../../../src/index.js';
import {
  type ExtensionRuntime,
  noExtensions,
  type Prog,
  ProgramError,
  programMain,
  Run,
  showProgram,
} from './program.js';

/** Reports a program may cause: errors nobody else could receive. */
const EXPECTED_REPORTS = new Set([
  'Task exception was never retrieved',
  'unhandled exception during run() shutdown',
  // An operator's inner coroutine failed after its pipeline was unsubscribed: nobody else can
  // receive that error.
  'Exception in a coroutine of an unsubscribed pipeline',
]);

export interface Checked {
  run: Run;
  virtual: VirtualRun<unknown>;
  violations: string[];
}

/**
 * A tie-break policy that shuffles the timers due at the same instant (their relative order is
 * unspecified, as in asyncio; `callSoon` stays FIFO), with a seeded generator: the property
 * suites explore other interleavings, and a seed replays one.
 */
function shuffleTimers(seed: number): (batch: Handle[]) => void {
  let state = seed >>> 0 || 1;
  const random = (): number => {
    // xorshift32: small, fast, and the same sequence on every engine.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
  return (batch) => {
    const idx: number[] = [];
    for (let i = 0; i < batch.length; i++) if (batch[i] instanceof TimerHandle) idx.push(i);
    for (let j = idx.length - 1; j > 0; j--) {
      const k = Math.floor(random() * (j + 1));
      const a = idx[j] as number;
      const b = idx[k] as number;
      [batch[a], batch[b]] = [batch[b] as Handle, batch[a] as Handle];
    }
  };
}

/** Options of {@link runAndCheck}. */
export interface CheckOptions {
  /** Shuffle same-instant timers with this seed (null or undefined: FIFO). */
  timerSeed?: number | null;
}

/** Runs `prog` once on a fresh virtual scheduler and checks every invariant. */
export function runAndCheck(
  prog: Prog,
  extensions: ExtensionRuntime = noExtensions,
  options: CheckOptions = {},
): Checked {
  let run: Run | undefined;
  const atShutdown = { timers: -1, tasks: -1 };
  const virtual = runVirtual(
    (function* () {
      return yield* programMain(run as Run, prog);
    })(),
    {
      setup: (loop) => {
        run = new Run(loop, extensions);
        if (options.timerSeed != null) loop._tieBreak = shuffleTimers(options.timerSeed);
        // Runs after run()'s shutdown cancelled and awaited every task, before close() drops
        // whatever is left: a timer still live here is a leak.
        loop._shutdownHooks.push(function* () {
          atShutdown.timers = loop._timers.size;
          atShutdown.tasks = loop._pendingTasks.size;
        });
      },
    },
  );
  const r = run as Run;
  const violations = [...r.violations];
  const bad = (msg: string): void => {
    violations.push(msg);
  };
  checkEnd(virtual, atShutdown, bad);
  checkTasks(r, bad);
  checkErrors(r, virtual, bad);
  extensions.finish?.(r, bad);
  return { run: r, virtual, violations };
}

function checkEnd(
  v: VirtualRun<unknown>,
  atShutdown: { timers: number; tasks: number },
  bad: (msg: string) => void,
): void {
  if (v.outcome === undefined) bad(`run() never finished (deadlock: ${v.deadlock?.message})`);
  if (!v.loop.isClosed()) bad('the loop was not closed');
  if (v.loop._pendingTasks.size !== 0) bad(`${v.loop._pendingTasks.size} task(s) left pending`);
  if (v.scheduler.actions.length !== 0)
    bad(`${v.scheduler.actions.length} scheduler action(s) left`);
  if (v.loop._timers.size !== 0) bad(`${v.loop._timers.size} timer(s) left after close`);
  if (atShutdown.timers !== 0) bad(`${atShutdown.timers} live timer(s) after every task ended`);
  if (atShutdown.tasks !== 1) bad(`${atShutdown.tasks} task(s) pending at the shutdown hooks`);
}

function checkTasks(r: Run, bad: (msg: string) => void): void {
  if (r.frames.entered !== r.frames.exited) {
    bad(`${r.frames.entered} yield* frames entered but ${r.frames.exited} finally blocks ran`);
  }
  for (const rec of r.tasks) {
    const t = rec.task;
    const name = t.getName();
    if (!t.done()) {
      bad(`${name} is not done`);
      continue;
    }
    if (rec.doneCalls !== 1) bad(`${name}: done callback ran ${rec.doneCalls} times`);
    if (rec.finallies !== (rec.started ? 1 : 0)) {
      bad(`${name}: started=${rec.started} but its finally ran ${rec.finallies} times`);
    }
    if (!rec.started && !t.cancelled()) bad(`${name} never started but is not cancelled`);
    checkOneState(rec.id, name, t, bad);
  }
}

/** Exactly one of: cancelled, failed, returned; and the accessors agree with each other. */
function checkOneState(
  id: number,
  name: string,
  t: import('../../../src/index.js').Task<unknown>,
  bad: (msg: string) => void,
): void {
  if (t.cancelled()) {
    for (const get of [() => t.result(), () => t.exception()]) {
      try {
        get();
        bad(`${name} is cancelled but an accessor did not throw`);
      } catch (e) {
        if (!isCancelledError(e)) bad(`${name} is cancelled but an accessor threw ${e}`);
      }
    }
    return;
  }
  const exc = t.exception();
  if (exc !== null) {
    try {
      t.result();
      bad(`${name} failed but result() returned`);
    } catch (e) {
      if (e !== exc) bad(`${name}: result() threw something other than exception()`);
    }
    return;
  }
  const value = t.result();
  if (name.startsWith('canceller')) return;
  if (value !== `r${id}`) bad(`${name} returned ${String(value)}, expected r${id}`);
}

function checkErrors(r: Run, v: VirtualRun<unknown>, bad: (msg: string) => void): void {
  const perTask = new Map<unknown, number>();
  const perError = new Map<unknown, number>();
  for (const rep of v.reports) {
    if (r.callbackErrors.has(rep.exception as ProgramError)) {
      if (!rep.message.startsWith('Exception in callback'))
        bad(`callback error reported as ${rep.message}`);
      perError.set(rep.exception, (perError.get(rep.exception) ?? 0) + 1);
      continue;
    }
    if (!EXPECTED_REPORTS.has(rep.message) || !isProgramFailure(rep.exception)) {
      bad(`unexpected report: ${describeReport(rep)}`);
      continue;
    }
    perTask.set(rep.task, (perTask.get(rep.task) ?? 0) + 1);
    perError.set(rep.exception, (perError.get(rep.exception) ?? 0) + 1);
  }
  for (const [e, n] of perError) if (n > 1) bad(`${String(e)} reported ${n} times`);
  for (const e of r.callbackErrors) {
    if (!perError.has(e)) bad(`${String(e)} (thrown by a done callback) was never reported`);
  }
  const mainTask = r.tasks[0]?.task;
  for (const rec of r.tasks) {
    const t = rec.task;
    if (!t.done() || t.cancelled()) continue;
    const exc = t.exception();
    if (exc === null) continue;
    const reports = perTask.get(t) ?? 0;
    if (t === mainTask || r.caughtFrom.has(t)) {
      // The program (or run()'s caller) received this error: reporting it too is a double.
      if (reports !== 0) bad(`${t.getName()}'s error reached the program and yet was reported`);
    } else if (r.cancelledWhenDone.has(t)) {
      // cancel() of a finished task retrieves its error, as asyncio's (issue 16, item 4).
      if (reports !== 0) bad(`${t.getName()} was cancelled when done and yet was reported`);
    } else if (r.awaited.has(t)) {
      // Awaited through a combinator that may drop it (a cancelled gather raises
      // CancelledError): retrieved, or reported once.
      if (reports > 1) bad(`${t.getName()}'s error was reported ${reports} times`);
    } else if (reports !== 1) {
      bad(
        `${t.getName()} failed with ${String(exc)}, nobody awaited it, reported ${reports} times`,
      );
    }
  }
}

/** A ProgramError, or an ExceptionGroup (a TaskGroup's) made only of them. */
function isProgramFailure(e: unknown): boolean {
  if (e instanceof ExceptionGroup) return e.errors.every(isProgramFailure);
  return e instanceof ProgramError;
}

function describeReport(rep: ExceptionContext): string {
  return `${rep.message}: ${String(rep.exception)}${rep.task ? ` (${rep.task})` : ''}`;
}

/** Throws one error listing every violation, with the program, if any invariant failed. */
export function assertInvariants(prog: Prog, checked: Checked): void {
  if (checked.violations.length === 0) return;
  throw new Error(
    `invariants violated:\n  - ${checked.violations.join('\n  - ')}\nprogram:\n${showProgram(prog)}`,
  );
}
