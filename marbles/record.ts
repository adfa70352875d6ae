import type { Coroutine, EventLoop } from '../src/index.js';
import { runVirtual, type VirtualRun, type VirtualRunOptions } from './runVirtual.js';
import { Timeline } from './Timeline.js';

/** Options of {@link record}. */
export interface RecordOptions extends VirtualRunOptions {
  /** Also write each printed line here (e.g. `console.log`). */
  echo?: (line: string) => void;
}

/** What {@link record} observed: a {@link VirtualRun} plus its timeline. */
export interface RecordedRun<T> extends VirtualRun<T> {
  readonly timeline: Timeline;
}

/**
 * Runs a program in virtual time (asyncio.run's semantics, see `runVirtual`) while recording its
 * timeline. `scenario` receives the recorder: its tasks call `tl.print(...)` (in place of
 * `console.log`) or `tl.emit(value)`, and every task's start, suspensions, resumptions,
 * cancellation and ending are recorded too. The spin guard trips after 100,000 iterations at one
 * instant (the outcome is then a `SpinError` with a task dump); a deadlock leaves `outcome`
 * undefined and sets `deadlock` (a `DeadlockError` with a task dump).
 *
 * @example
 * ```ts
 * import { createTask, sleep } from 'rx-asyncio';
 * import { expectTimeline, record } from 'rx-asyncio/marbles';
 * const { timeline } = record((tl) => function* () {
 *   const t = createTask(function* () { yield* sleep(10); tl.print('x'); }(), { name: 'child' });
 *   yield* t;
 * }());
 * expectTimeline(timeline, { child: '10ms (x|)', main: '10ms |' }, { x: 'x' });
 * ```
 */
export function record<T>(
  scenario: (tl: Timeline) => Coroutine<T>,
  options: RecordOptions = {},
): RecordedRun<T> {
  const timeline = new Timeline(options.echo ? { echo: options.echo } : {});
  const setup = options.setup;
  const run = runVirtual(scenario(timeline), {
    spinLimit: 100_000,
    ...options,
    setup: (loop: EventLoop) => {
      timeline.attach(loop);
      setup?.(loop);
    },
  });
  timeline.detach();
  return { ...run, timeline };
}
