/**
 * Issue 14, item 8: a custom scheduler whose `schedule()` threw while the loop re-armed let the
 * exception escape (uncaught in a real program, no `finally` ran), and one that threw during
 * `Runner`'s close left `run()` unsettled forever. Now the loop halts with the scheduler's
 * error: the tasks are cancelled, their cleanup that needs no timer runs, the loop closes, and
 * the run ends with that error.
 */

import type { SchedulerAction, SchedulerLike, Subscription } from 'rxjs';
import { virtualScheduler } from '../../../marbles/runVirtual.js';
import {
  type Coroutine,
  createTask,
  type ExceptionContext,
  Runner,
  type RunOutcome,
  run,
  sleep,
} from '../../../src/index.js';

/** A TestScheduler behind a switch: once `broken`, `schedule()` throws `error`. */
function breakable(error: unknown) {
  const ts = virtualScheduler();
  const state = { broken: false };
  const scheduler: SchedulerLike = {
    now: () => ts.now(),
    schedule<S>(
      work: (this: SchedulerAction<S>, s?: S) => void,
      delay?: number,
      s?: S,
    ): Subscription {
      if (state.broken) throw error;
      return ts.schedule(work, delay, s);
    },
  };
  return { ts, scheduler, state };
}

function start<T>(scheduler: SchedulerLike, main: Coroutine<T>) {
  const reports: ExceptionContext[] = [];
  const runner = new Runner({ scheduler, exceptionHandler: (_l, c) => void reports.push(c) });
  let outcome: RunOutcome<T> | undefined;
  runner.start(main, (o) => {
    outcome = o;
  });
  return { runner, reports, outcome: () => outcome };
}

describe('regression: a scheduler that throws killed the process or left run() unsettled', () => {
  it('schedule() throwing while the loop re-arms: the run ends with its error after cleanup', () => {
    const down = new Error('scheduler down');
    const { ts, scheduler, state } = breakable(down);
    const log: string[] = [];
    const r = start(
      scheduler,
      (function* () {
        createTask(
          (function* () {
            try {
              yield* sleep(1000);
            } finally {
              log.push('child finally');
            }
          })(),
        );
        try {
          yield* sleep(10);
          state.broken = true;
          yield* sleep(10); // the loop re-arms for this timer: schedule() throws
        } finally {
          log.push('main finally');
        }
      })(),
    );
    expect(() => ts.flush()).not.toThrow();
    expect(r.outcome()).toEqual({ ok: false, error: down });
    expect(log.sort()).toEqual(['child finally', 'main finally']);
    expect(r.runner.loop.isClosed()).toBe(true);
    expect(r.reports.map((c) => c.message)).toContain(
      'The scheduler threw: the event loop cannot run any more',
    );
  });

  it('schedule() throwing during the run() shutdown: the run still ends, with its error', () => {
    const down = new Error('scheduler down at close');
    const { ts, scheduler, state } = breakable(down);
    const r = start(
      scheduler,
      (function* () {
        yield* sleep(10);
        state.broken = true;
        return 'main done';
      })(),
    );
    expect(() => ts.flush()).not.toThrow();
    expect(r.outcome()).toEqual({ ok: false, error: down });
    expect(r.runner.loop.isClosed()).toBe(true);
  });

  it('run() rejects with a non-Error thrown by schedule() wrapped in a RuntimeError', async () => {
    const { ts, scheduler, state } = breakable('nope');
    const p = run(
      (function* () {
        yield* sleep(10);
        state.broken = true;
        yield* sleep(10);
      })(),
      { scheduler, exceptionHandler: () => {} },
    );
    ts.flush();
    await expectAsync(p).toBeRejectedWithError(/the scheduler threw "nope"/);
  });
});
