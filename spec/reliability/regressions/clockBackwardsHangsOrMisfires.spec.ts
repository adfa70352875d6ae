/**
 * Issue 14, item 13: the loop orders its timers by its scheduler's `now()`. A clock that went
 * backwards was taken at its word: a step back of 1 s made a 100 ms sleep fire 1 s late, a clock
 * that kept going backwards left every timer unfired (`run()` unsettled, forever), and a busy
 * loop never spent its budget, so the host never had its turn. Now the loop halts with a
 * `RuntimeError` saying the clock went backwards, and `run()` rejects; a clock that returns
 * `NaN` did the same already (it hung before), pinned here too.
 */

import { type SchedulerLike, VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { RuntimeError, run, sleep } from '../../../src/index.js';

/** A virtual-time scheduler whose clock reads `clock(frame)`. */
function skewed(clock: (frame: number) => number): {
  scheduler: SchedulerLike;
  virtual: VirtualTimeScheduler;
} {
  const virtual = new VirtualTimeScheduler(VirtualAction, 100_000);
  const scheduler: SchedulerLike = {
    now: () => clock(virtual.now()),
    schedule: (work, delay, state) => virtual.schedule(work as never, delay, state),
  };
  return { scheduler, virtual };
}

/**
 * How `p` has settled once the microtasks after a virtual flush have run (all of run()'s own
 * settling is microtasks): its error, its value, or 'unsettled'.
 */
async function settled(p: Promise<unknown>): Promise<unknown> {
  const marker = new Promise((resolve) => setTimeout(() => resolve('unsettled'), 0));
  return Promise.race([
    p.then(
      (value) => ({ value }),
      (error: unknown) => error,
    ),
    marker,
  ]);
}

function* sleeper(log: string[]) {
  try {
    yield* sleep(100);
    log.push('woke');
    return 'slept';
  } finally {
    log.push('finally');
  }
}

/** Runs {@link sleeper} on `clock` (after `setup`) to the end of virtual time: outcome and log. */
async function sleepOn(
  clock: (frame: number) => number,
  setup: (virtual: VirtualTimeScheduler) => void = () => {},
): Promise<{ outcome: unknown; log: string[] }> {
  const { scheduler, virtual } = skewed(clock);
  setup(virtual);
  const log: string[] = [];
  const p = run(sleeper(log), { scheduler, exceptionHandler: () => {} });
  virtual.flush();
  return { outcome: await settled(p), log };
}

describe('regression: a scheduler clock going backwards misfired timers or hung the loop', () => {
  it('a step back (1 s at frame 50) halts the loop; the 100 ms sleep does not fire late', async () => {
    let back = 0;
    const { outcome, log } = await sleepOn(
      (frame) => frame - back,
      (virtual) =>
        virtual.schedule(() => {
          back = 1000;
        }, 50),
    );
    expect(outcome).toBeInstanceOf(RuntimeError);
    expect(String(outcome)).toMatch(/clock went backwards, from 0 to -900 ms/);
    expect(log).toEqual(['finally']);
  });

  const broken: ReadonlyArray<[string, (frame: number) => number, RegExp]> = [
    ['keeps going backwards', (frame) => -frame, /clock went backwards/],
    ['returns NaN', (frame) => (frame >= 50 ? Number.NaN : frame), /clock returned NaN/],
  ];
  for (const [what, clock, message] of broken) {
    it(`a clock that ${what} halts the loop instead of leaving run() unsettled`, async () => {
      const { outcome, log } = await sleepOn(clock);
      expect(outcome).toBeInstanceOf(RuntimeError);
      expect(String(outcome)).toMatch(message);
      expect(log).toEqual(['finally']);
    });
  }

  it('a clock that moves forwards is fine', async () => {
    const { outcome, log } = await sleepOn((frame) => frame);
    expect(outcome).toEqual({ value: 'slept' });
    expect(log).toEqual(['woke', 'finally']);
  });
});
