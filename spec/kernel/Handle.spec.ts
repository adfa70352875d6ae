// Handle and TimerHandle: what loop.callSoon / callLater / callAt return.
import { expectTimeline, record, virtualScheduler } from '../../marbles/index.js';
import { EventLoop, getRunningLoop, type Handle, sleep, TimerHandle } from '../../src/index.js';

describe('Handle', () => {
  it('runs its callback once, with up to two arguments inline and more from an array', () => {
    const scheduler = virtualScheduler();
    const loop = new EventLoop(scheduler);
    const seen: unknown[][] = [];
    loop.callSoon((...args: unknown[]) => seen.push(args));
    loop.callSoon((a: number) => seen.push([a]), 1);
    loop.callSoon((a: number, b: number) => seen.push([a, b]), 1, 2);
    loop.callSoon((a: number, b: number, c: number) => seen.push([a, b, c]), 1, 2, 3);
    scheduler.flush();
    expect(seen).toEqual([[], [1], [1, 2], [1, 2, 3]]);
    loop.close();
  });

  it('cancel() drops the callback; cancelled() says so; a second cancel is a no-op', () => {
    const scheduler = virtualScheduler();
    const loop = new EventLoop(scheduler);
    let ran = false;
    const h = loop.callSoon(() => {
      ran = true;
    });
    expect(h.cancelled()).toBeFalse();
    h.cancel();
    h.cancel();
    expect(h.cancelled()).toBeTrue();
    scheduler.flush();
    expect(ran).toBeFalse();
    expect(String(h)).toBe('<Handle cancelled>');
    loop.close();
  });

  it('reports an exception of its callback to the loop’s handler, naming the callback', () => {
    const scheduler = virtualScheduler();
    const loop = new EventLoop(scheduler);
    const reports: Array<{ message: string; handle: unknown }> = [];
    loop.setExceptionHandler((_l, ctx) =>
      reports.push({ message: ctx.message, handle: ctx.handle }),
    );
    let h: Handle | null = null;
    h = loop.callSoon(function failing() {
      throw new Error('boom');
    });
    let after = false;
    loop.callSoon(() => {
      after = true;
    });
    scheduler.flush();
    expect(reports).toEqual([{ message: 'Exception in callback failing', handle: h }]);
    expect(after).toBeTrue(); // the loop goes on
    loop.close();
  });
});

describe('TimerHandle', () => {
  it('fires at its loop time; when() / getWhen() give it; cancelling drops it', () => {
    const { timeline } = record((tl) =>
      (function* () {
        const loop = getRunningLoop();
        const later = loop.callLater(3, () => tl.print('later'));
        const at = loop.callAt(5, () => tl.print('at'));
        const dropped = loop.callLater(4, () => tl.print('dropped'));
        expect(later).toBeInstanceOf(TimerHandle);
        expect([later.when, later.getWhen(), at.getWhen()]).toEqual([3, 3, 5]);
        dropped.cancel();
        expect(dropped.cancelled()).toBeTrue();
        yield* sleep(6);
      })(),
    );
    // Callbacks print in the loop's lane, not a task's.
    expectTimeline(timeline, { '(loop)': '---l-a', main: '------|' }, { l: 'later', a: 'at' });
  });

  it('a cancelled timer no longer counts as scheduled work', () => {
    const scheduler = virtualScheduler();
    const loop = new EventLoop(scheduler);
    const h = loop.callLater(1000, () => {});
    expect(loop.isIdle()).toBeFalse();
    h.cancel();
    expect(loop.isIdle()).toBeTrue();
    scheduler.flush();
    loop.close();
  });
});
