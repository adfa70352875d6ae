import { asapScheduler, asyncScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { virtualScheduler } from '../../marbles/index.js';
import {
  EventLoop,
  type ExceptionContext,
  macrotaskScheduler,
  RuntimeError,
  SpinError,
  sleep,
} from '../../src/index.js';

function virtualLoop(options = {}): {
  loop: EventLoop;
  scheduler: TestScheduler;
  reports: ExceptionContext[];
} {
  const scheduler = virtualScheduler();
  const loop = new EventLoop(scheduler, options);
  const reports: ExceptionContext[] = [];
  loop.setExceptionHandler((_l, c) => {
    reports.push(c);
  });
  return { loop, scheduler, reports };
}

describe('EventLoop', () => {
  it('takes its clock from the scheduler (virtual ms)', () => {
    const { loop, scheduler } = virtualLoop();
    const seen: number[] = [];
    loop.callLater(1500, () => seen.push(loop.time()));
    loop.callAt(250, () => seen.push(loop.time()));
    expect(loop.time()).toBe(0);
    scheduler.flush();
    expect(seen).toEqual([250, 1500]);
  });

  it('runs callSoon callbacks FIFO, with their arguments', () => {
    const { loop, scheduler } = virtualLoop();
    const seen: string[] = [];
    loop.callSoon((a: string) => seen.push(a), 'a');
    loop.callSoon((a: string, b: string) => seen.push(a + b), 'b', 'c');
    loop.callSoon((...xs: string[]) => seen.push(xs.join('')), 'd', 'e', 'f');
    loop.callSoon(() => seen.push('g'));
    scheduler.flush();
    expect(seen).toEqual(['a', 'bc', 'def', 'g']);
  });

  it('runs in one iteration only the callbacks ready when it began; the rest run next iteration', () => {
    const { loop, scheduler } = virtualLoop();
    const seen: string[] = [];
    loop.callSoon(() => {
      seen.push('a1');
      loop.callSoon(() => seen.push('c (scheduled by a, next iteration)'));
    });
    loop.callSoon(() => seen.push('b1'));
    scheduler.flush();
    expect(seen).toEqual(['a1', 'b1', 'c (scheduled by a, next iteration)']);
  });

  it('lets due timers join the ready queue after the callbacks already there', () => {
    const { loop, scheduler } = virtualLoop();
    const seen: string[] = [];
    loop.callLater(0, () => seen.push('timer(0)'));
    loop.callSoon(() => seen.push('soon1'));
    loop.callSoon(() => {
      seen.push('soon2');
      loop.callSoon(() => seen.push('soon3'));
    });
    scheduler.flush();
    // The due timer joins the queue at the start of the iteration, after soon1 and soon2;
    // soon3, queued during that iteration, runs in the next one.
    expect(seen).toEqual(['soon1', 'soon2', 'timer(0)', 'soon3']);
  });

  it('runs timers due at the same instant in the order they were scheduled', () => {
    const { loop, scheduler } = virtualLoop();
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) loop.callLater(100, () => seen.push(i));
    loop.callLater(50, () => seen.push(-1));
    scheduler.flush();
    expect(seen).toEqual([-1, 0, 1, 2, 3, 4]);
  });

  it('drops cancelled handles and timers', () => {
    const { loop, scheduler } = virtualLoop();
    const seen: string[] = [];
    const h = loop.callSoon(() => seen.push('soon'));
    const t = loop.callLater(10, () => seen.push('timer'));
    h.cancel();
    t.cancel();
    expect(h.cancelled()).toBeTrue();
    expect(t.cancelled()).toBeTrue();
    scheduler.flush();
    expect(seen).toEqual([]);
  });

  it('keeps at most one pending scheduler action (its next wake-up)', () => {
    const { loop, scheduler } = virtualLoop();
    for (let i = 1; i <= 1000; i++) loop.callLater(i, () => {});
    for (let i = 0; i < 100; i++) loop.callSoon(() => {});
    expect(scheduler.actions.length).toBe(1);
    scheduler.flush();
    expect(scheduler.now()).toBe(1000);
  });

  it('compacts cancelled timers so long timeouts that are cancelled do not pile up', () => {
    const { loop } = virtualLoop();
    for (let i = 0; i < 10_000; i++) loop.callLater(1e9 + i, () => {}).cancel();
    const live = loop.callLater(5, () => {});
    expect(loop._timers.size).toBe(1);
    expect([...loop._timers.live()]).toEqual([live]);
  });

  it('sends an exception thrown by a callback to the exception handler, never into the scheduler', () => {
    const { loop, scheduler, reports } = virtualLoop();
    const seen: string[] = [];
    const boom = new Error('boom');
    loop.callSoon(function failing() {
      throw boom;
    });
    loop.callSoon(() => seen.push('still runs'));
    expect(() => scheduler.flush()).not.toThrow();
    expect(seen).toEqual(['still runs']);
    expect(reports.length).toBe(1);
    expect(reports[0]!.message).toBe('Exception in callback failing');
    expect(reports[0]!.exception).toBe(boom);
  });

  it('reports through the default handler when the exception handler itself throws', () => {
    const { loop, scheduler } = virtualLoop();
    const errors: unknown[][] = [];
    spyOn(console, 'error').and.callFake((...args: unknown[]) => errors.push(args));
    loop.setExceptionHandler(() => {
      throw new Error('handler broke');
    });
    loop.callSoon(() => {
      throw new Error('original');
    });
    scheduler.flush();
    const text = errors.map((a) => String(a[0])).join('\n');
    expect(text).toContain('Unhandled error in exception handler');
    expect(text).toContain('handler broke');
    expect(text).toContain('original');
  });

  it('rejects bad input at the call site', () => {
    const { loop } = virtualLoop();
    expect(() => loop.callSoon(42 as never)).toThrowError(TypeError, /expected a function, got 42/);
    expect(() => loop.callLater(Number.NaN, () => {})).toThrowError(RangeError, /NaN/);
    expect(() => loop.callLater('10' as never, () => {})).toThrowError(TypeError, /milliseconds/);
    expect(() => new EventLoop({} as never)).toThrowError(TypeError, /SchedulerLike/);
    expect(() => new EventLoop(asyncScheduler, { spinLimit: 0 })).toThrowError(
      RangeError,
      /spinLimit/,
    );
    expect(() => loop.setExceptionHandler('x' as never)).toThrowError(TypeError);
  });

  it('treats a negative delay as 0 and never fires an infinite one', () => {
    const { loop, scheduler } = virtualLoop();
    const seen: string[] = [];
    loop.callLater(-50, () => seen.push(`neg@${loop.time()}`));
    loop.callLater(Number.POSITIVE_INFINITY, () => seen.push('never'));
    scheduler.flush();
    expect(seen).toEqual(['neg@0']);
  });

  it('refuses work once closed, reports pending tasks on close, and cannot close from inside', () => {
    const { loop, scheduler, reports } = virtualLoop();
    let inner: unknown;
    loop.callSoon(() => {
      try {
        loop.close();
      } catch (e) {
        inner = e;
      }
    });
    scheduler.flush();
    expect(inner).toEqual(jasmine.any(RuntimeError));
    loop.createTask(
      (function* () {
        yield* sleep(10);
      })(),
    );
    loop.close();
    expect(loop.isClosed()).toBeTrue();
    expect(reports.map((r) => r.message)).toEqual(['Task was destroyed but it is pending!']);
    expect(() => loop.callSoon(() => {})).toThrowError(RuntimeError, /closed/);
    loop.close(); // idempotent
  });

  it('halts a same-instant spin with a SpinError and a task dump instead of hanging', () => {
    const { loop, scheduler, reports } = virtualLoop({ spinLimit: 10_000 });
    loop.createTask(
      (function* spinner() {
        for (;;) yield* sleep(0);
      })(),
      { name: 'spinner' },
    );
    scheduler.flush();
    const err = loop.haltedWith();
    expect(err).toEqual(jasmine.any(SpinError));
    expect(err!.message).toContain('spinner');
    expect(reports.length).toBe(1);
  });

  it('wakes an idle real-time loop through asapScheduler, not a clamped setInterval(0)', async () => {
    const loop = new EventLoop();
    const asap = spyOn(asapScheduler, 'schedule').and.callThrough();
    const async = spyOn(asyncScheduler, 'schedule').and.callThrough();
    const ran = new Promise<void>((resolve) => loop.callSoon(resolve));
    await ran;
    expect(asap).toHaveBeenCalledTimes(1);
    expect(async).not.toHaveBeenCalled();
    loop.close();
  });

  it('keeps one scheduler for wake-ups in virtual time, or when told to (wakeScheduler: null)', () => {
    const asap = spyOn(asapScheduler, 'schedule').and.callThrough();
    const { loop, scheduler } = virtualLoop();
    let n = 0;
    loop.callSoon(() => n++);
    scheduler.flush();
    new TestScheduler(() => {}).run(() => {
      const inRun = new EventLoop();
      inRun.callSoon(() => n++);
    });
    const plain = new EventLoop(asyncScheduler, { wakeScheduler: null });
    plain.callSoon(() => n++);
    plain.close();
    expect(n).toBe(2);
    expect(asap).not.toHaveBeenCalled();
    expect(() => new EventLoop(asyncScheduler, { wakeScheduler: 5 as never })).toThrowError(
      TypeError,
    );
  });

  it('hands the host a turn through macrotaskScheduler once its budget is spent (real time)', async () => {
    const loop = new EventLoop(asyncScheduler, { budget: 1 });
    const macro = spyOn(macrotaskScheduler, 'schedule').and.callThrough();
    const async = spyOn(asyncScheduler, 'schedule').and.callThrough();
    let hostTurns = 0;
    let busy = true;
    const host = (): void => {
      hostTurns++;
      if (busy) setTimeout(host, 0); // an ordinary host timer, queued behind the loop's turns
    };
    setTimeout(host, 0);
    const t = loop.createTask(
      (function* () {
        // Back-to-back steps that never wait: only the loop's budget lets the host timer run.
        // Bounded, so a loop that starves the host fails the spec instead of hanging it.
        const t0 = loop.time();
        while (hostTurns < 3 && loop.time() - t0 < 3000) yield* sleep(0);
        return hostTurns;
      })(),
    );
    const seen = await t;
    busy = false;
    // At least 3: in a browser one loop turn (a zero timer, then a posted task) may let two
    // host timers run.
    expect(seen).toBeGreaterThanOrEqual(3);
    expect(seen).toBeLessThan(10);
    expect(macro).toHaveBeenCalled();
    expect(async).not.toHaveBeenCalled(); // never the clamped zero-delay interval timer
    loop.close();
  });

  it('never uses macrotaskScheduler in virtual time, or when told not to (yieldScheduler: null)', () => {
    const macro = spyOn(macrotaskScheduler, 'schedule').and.callThrough();
    const { loop, scheduler } = virtualLoop({ budget: 1 });
    let steps = 0;
    loop.createTask(
      (function* () {
        for (let i = 0; i < 100_000; i++) {
          steps++;
          yield* sleep(0);
        }
      })(),
    );
    scheduler.flush();
    expect(steps).toBe(100_000);
    const own = new EventLoop(asyncScheduler, { yieldScheduler: null });
    own.close();
    expect(macro).not.toHaveBeenCalled();
    expect(() => new EventLoop(asyncScheduler, { yieldScheduler: {} as never })).toThrowError(
      TypeError,
      /yieldScheduler: expected a SchedulerLike or null/,
    );
  });

  it('may end a slice inside an iteration, and the order of callbacks stays the same (real time)', async () => {
    const spin = (ms: number): void => {
      const end = performance.now() + ms;
      while (performance.now() < end) {}
    };
    /** a0..a9 in one iteration (0.5 ms each, each queueing a b), a timer due at once, one later. */
    const program = async (budget: number): Promise<string[]> => {
      const order: string[] = [];
      const yieldScheduler = {
        now: () => macrotaskScheduler.now(),
        schedule: ((work: () => void, delay?: number) => {
          order.push('|'); // the host's turn
          return macrotaskScheduler.schedule(work, delay);
        }) as typeof macrotaskScheduler.schedule,
      };
      const loop = new EventLoop(asyncScheduler, { budget, yieldScheduler });
      loop.callLater(0, () => order.push('timer'));
      for (let i = 0; i < 10; i++) {
        loop.callSoon(() => {
          // Due 1 ms after a0, so at the iteration after the a's (they spin 5 ms) in any run.
          if (i === 0) loop.callLater(1, () => order.push('late'));
          spin(0.5);
          order.push(`a${i}`);
          loop.callSoon(() => order.push(`b${i}`));
        });
      }
      const done = new Promise<void>((resolve) => loop.callLater(50, resolve));
      await done;
      loop.close();
      return order;
    };
    const whole = await program(Number.POSITIVE_INFINITY);
    const cut = await program(1);
    const turnAmongAs = (order: string[]): boolean =>
      order.some(
        (x, i) => x === '|' && /^a\d$/.test(order[i - 1] ?? '') && /^a\d$/.test(order[i + 1] ?? ''),
      );
    // The 1 ms budget was spent within the a's (5 ms of them): a host turn came between two.
    expect(turnAmongAs(cut)).toBe(true);
    expect(turnAmongAs(whole)).toBe(false);
    const as = Array.from({ length: 10 }, (_, i) => `a${i}`);
    const bs = Array.from({ length: 10 }, (_, i) => `b${i}`);
    const withoutTurns = (order: string[]) => order.filter((x) => x !== '|');
    expect(withoutTurns(whole)).toEqual([...as, 'timer', ...bs, 'late']);
    expect(withoutTurns(cut)).toEqual(withoutTurns(whole));
  });

  it('runs ten virtual seconds without waiting on any real timer', () => {
    // An outcome, not a stopwatch: the flush returns synchronously with every callback fired at
    // virtual 10 s, and no real timer was ever armed, so no real time can have been waited.
    const { loop, scheduler } = virtualLoop();
    let fired = 0;
    for (let i = 1; i <= 10_000; i++) loop.callLater(i, () => fired++);
    const timeout = spyOn(globalThis, 'setTimeout').and.callThrough();
    const interval = spyOn(globalThis, 'setInterval').and.callThrough();
    scheduler.flush();
    expect(fired).toBe(10_000);
    expect(scheduler.now()).toBe(10_000);
    expect(timeout).not.toHaveBeenCalled();
    expect(interval).not.toHaveBeenCalled();
  });
});
