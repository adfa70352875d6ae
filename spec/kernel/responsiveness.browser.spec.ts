import { type Coroutine, createTask, Queue, run, sleep } from '../../src/index.js';

/**
 * Issue 21: a busy real-time loop must not freeze the page. While the loop is busy, a 10 ms
 * interval must never wait longer than 50 ms (a long task) because of the loop.
 *
 * Why the verdict cannot be tripped by a busy machine: the operating system may stop the whole
 * page for a while, which lengthens an interval's wait whatever the loop does. The loop's own
 * tasks note every such stop (a hole of more than 1 ms between two of their steps, which take
 * ~0.1 ms at most: the loop always has work ready, so only a stopped page or a host turn leaves
 * one), and a wait counts
 * only the time the loop was running through it. Main's loop failed this with the many-task
 * workload (its budget was only looked at every 64 iterations: waits of seconds), and yielded
 * through `MessageChannel` posts that Chromium runs ahead of due timers.
 */

const LONG_TASK = 50;
const BUSY_MS = 1500;
/** Samples per workload; the best one decides (see the spec). */
const ATTEMPTS = 3;

/** Holes in the loop's activity: [from, to] real-time spans with no step of the loop's tasks. */
class Activity {
  readonly holes: [number, number][] = [];
  /** When the last step ran. */
  last = performance.now();
  step(): void {
    const t = performance.now();
    if (t - this.last > 1) this.holes.push([this.last, t]);
    this.last = t;
  }
}

/** The interval's waits, each without the time the loop was not running. */
function loopWaits(ticks: number[], activity: Activity): number[] {
  const waits: number[] = [];
  for (let i = 1; i < ticks.length; i++) {
    const from = ticks[i - 1] as number;
    const to = ticks[i] as number;
    let idle = 0;
    for (const [a, b] of activity.holes) idle += Math.max(0, Math.min(b, to) - Math.max(a, from));
    waits.push(to - from - idle);
  }
  return waits;
}

/** Runs `busy(deadline, activity)` under run() while a 10 ms interval records its ticks. */
async function sampleWhileBusy(
  busy: (deadline: number, activity: Activity) => Coroutine<number>,
): Promise<{ waits: number[]; work: number }> {
  const ticks: number[] = [];
  const activity = new Activity();
  const id = setInterval(() => ticks.push(performance.now()), 10);
  try {
    ticks.push(performance.now());
    const work = await run(busy(performance.now() + BUSY_MS, activity), { handleSigint: false });
    // A wait still open at the last step counts too (not run()'s shutdown after it).
    if (activity.last > (ticks[ticks.length - 1] as number)) ticks.push(activity.last);
    return { waits: loopWaits(ticks, activity), work };
  } finally {
    clearInterval(id);
  }
}

/** Two tasks handing a number back and forth through two queues until the deadline. */
function* pingPong(deadline: number, activity: Activity): Coroutine<number> {
  const ping = new Queue<number>();
  const pong = new Queue<number>();
  let trips = 0;
  const echo = createTask(
    (function* () {
      for (let x = yield* ping.get(); x >= 0; x = yield* ping.get()) yield* pong.put(x);
    })(),
  );
  while (performance.now() < deadline) {
    activity.step();
    yield* ping.put(trips);
    yield* pong.get();
    trips++;
  }
  yield* ping.put(-1);
  yield* echo;
  return trips;
}

/** ~0.1 ms of arithmetic (on this kind of machine) that the optimiser cannot drop. */
function crunch(seed: number): number {
  let x = seed | 0;
  for (let i = 0; i < 20_000; i++) x = (x * 1103515245 + 12345) | 0;
  return x;
}

/** 100 tasks, each step a crunch then `sleep(0)`: one iteration is many ms of work. */
function* manyTasks(deadline: number, activity: Activity): Coroutine<number> {
  let steps = 0;
  let sink = 0;
  const tasks = Array.from({ length: 100 }, () =>
    createTask(
      (function* () {
        while (performance.now() < deadline) {
          activity.step();
          sink ^= crunch(steps++);
          yield* sleep(0);
        }
      })(),
    ),
  );
  for (const t of tasks) yield* t;
  return sink === 0.5 ? -1 : steps; // sink read, so the crunch stays
}

describe('a busy real-time loop in a page (issue 21)', () => {
  for (const [name, busy] of [
    ['two tasks ping-ponging through queues', pingPong],
    ['100 tasks with ~0.1 ms steps', manyTasks],
  ] as const) {
    it(`lets a 10 ms interval run within ${LONG_TASK} ms of loop work: ${name}`, async () => {
      // Up to ATTEMPTS samples, and the best one decides: a loop that freezes the page fails
      // every sample (main's waited seconds), while a machine too loaded to keep the page
      // running smoothly spoils one sample now and then in a way the holes cannot fully see
      // (a step stretched under 1 ms each time by preemption). One long wait is the verdict.
      const seen: string[] = [];
      let best = Number.POSITIVE_INFINITY;
      for (let attempt = 0; attempt < ATTEMPTS && best > LONG_TASK; attempt++) {
        const { waits, work } = await sampleWhileBusy(busy);
        expect(work).toBeGreaterThan(0);
        expect(waits.length).toBeGreaterThan(0);
        const longest = Math.max(...waits);
        best = Math.min(best, longest);
        seen.push(`sample ${attempt + 1}: ${waits.map((w) => w.toFixed(0))}`);
      }
      expect(best)
        .withContext(`the interval's waits (ms of loop work), per sample:\n${seen.join('\n')}`)
        .toBeLessThanOrEqual(LONG_TASK);
    }, 30_000);
  }
});
