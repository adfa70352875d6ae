import { macrotaskScheduler } from '../../src/index.js';

/** Resolves after `n` host macrotasks scheduled through macrotaskScheduler itself. */
function turns(n: number): Promise<void> {
  return new Promise((resolve) => {
    const step = (k: number): void => {
      if (k === 0) resolve();
      else macrotaskScheduler.schedule(() => step(k - 1));
    };
    step(n);
  });
}

describe('macrotaskScheduler', () => {
  it('runs zero-delay work after the microtasks queued before it (a macrotask)', async () => {
    const order: string[] = [];
    macrotaskScheduler.schedule(() => order.push('macrotask'));
    void Promise.resolve().then(() => order.push('microtask'));
    await turns(1);
    expect(order).toEqual(['microtask', 'macrotask']);
  });

  it('runs zero-delay work in the order it was scheduled, with its state', async () => {
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) macrotaskScheduler.schedule((s) => seen.push(s as number), 0, i);
    await turns(1);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });

  it('never runs work unsubscribed before its turn', async () => {
    let ran = false;
    const sub = macrotaskScheduler.schedule(() => {
      ran = true;
    });
    sub.unsubscribe();
    await turns(2);
    expect(ran).toBe(false);
    expect(sub.closed).toBe(true);
  });

  it('lets work re-schedule itself with new state (the SchedulerAction contract)', async () => {
    const seen: number[] = [];
    const sub = macrotaskScheduler.schedule<number>(
      function (n) {
        seen.push(n as number);
        if ((n as number) < 3) this.schedule((n as number) + 1);
      },
      0,
      0,
    );
    await turns(5);
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(sub.closed).toBe(true);
  });

  it('stops a re-scheduling action when it is unsubscribed', async () => {
    let n = 0;
    const sub = macrotaskScheduler.schedule(function () {
      n++;
      this.schedule();
    });
    await turns(3);
    sub.unsubscribe();
    const at = n;
    await turns(3);
    expect(at).toBeGreaterThan(0);
    expect(n).toBe(at);
  });

  it('waits a positive delay through a timer', async () => {
    const t0 = macrotaskScheduler.now();
    const waited = await new Promise<number>((resolve) => {
      macrotaskScheduler.schedule(() => resolve(macrotaskScheduler.now() - t0), 5);
    });
    expect(waited).toBeGreaterThanOrEqual(4); // timers may round the millisecond down
  });

  it('reads the same clock as asyncScheduler', () => {
    // Bracketed between two reads of Date.now(): true however long the thread is preempted.
    const before = Date.now();
    const now = macrotaskScheduler.now();
    const after = Date.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(after);
  });
});
