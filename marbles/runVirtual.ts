import { TestScheduler } from 'rxjs/testing';
import { type Coroutine, type ExceptionContext, type RunOptions, type RunOutcome, Runner } from '../src/index.js';
import type { EventLoop } from '../src/index.js';

/**
 * A `TestScheduler` for running coroutines: no frame limit (a plain TestScheduler stops flushing
 * at 750 frames, which would silently drop every later timer) and, by default, an assertion
 * function using `JSON`-level equality that throws on mismatch.
 *
 * @example
 * ```ts
 * import { virtualScheduler } from 'rxio/marbles';
 * const scheduler = virtualScheduler();
 * scheduler.flush();
 * ```
 */
export function virtualScheduler(
  assertDeepEqual: (actual: unknown, expected: unknown) => boolean | undefined | void = defaultDeepEqual,
): TestScheduler {
  const scheduler = new TestScheduler(assertDeepEqual);
  scheduler.maxFrames = Number.POSITIVE_INFINITY;
  return scheduler;
}

function defaultDeepEqual(actual: unknown, expected: unknown): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`expected ${e}, got ${a}`);
}

/** What {@link runVirtual} observed. */
export interface VirtualRun<T> {
  /** How `main` ended; undefined if it never did (it still waits on something). */
  outcome: RunOutcome<T> | undefined;
  /** The virtual time (ms) at which the run ended (or the flush stopped). */
  time: number;
  /** Everything the loop reported to its exception handler, in order. */
  reports: ExceptionContext[];
  loop: EventLoop;
  scheduler: TestScheduler;
}

/**
 * Runs `main` with asyncio.run's semantics on a virtual-time scheduler and returns at once, with
 * no real time spent: a 10-second program takes microseconds. Reports that would go to the
 * console are collected in `reports` instead.
 *
 * @example
 * ```ts
 * import { sleep } from 'rxio';
 * import { runVirtual } from 'rxio/marbles';
 * const r = runVirtual(function* () { yield* sleep(10_000); return 'ok'; }());
 * console.log(r.outcome, r.time); // { ok: true, value: 'ok' } 10000
 * ```
 */
export function runVirtual<T>(
  main: Coroutine<T>,
  options: RunOptions & { scheduler?: TestScheduler } = {},
): VirtualRun<T> {
  const scheduler = options.scheduler ?? virtualScheduler();
  const reports: ExceptionContext[] = [];
  const runner = new Runner({
    exceptionHandler: (_loop, context) => {
      reports.push(context);
    },
    ...options,
    scheduler,
  });
  let outcome: RunOutcome<T> | undefined;
  let time = Number.NaN;
  runner.start(main, (o) => {
    outcome = o;
    time = scheduler.now();
  });
  scheduler.flush();
  return { outcome, time: outcome === undefined ? scheduler.now() : time, reports, loop: runner.loop, scheduler };
}
