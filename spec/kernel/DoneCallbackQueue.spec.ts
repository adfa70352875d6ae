import { virtualScheduler } from '../../marbles/index.js';
import { EventLoop, type Future } from '../../src/index.js';
import { DoneCallbackQueue } from '../../src/kernel/DoneCallbackQueue.js';

function newLoop(): { loop: EventLoop; flush: () => void } {
  const scheduler = virtualScheduler();
  const loop = new EventLoop(scheduler);
  loop.setExceptionHandler(() => {});
  return { loop, flush: () => scheduler.flush() };
}

describe('DoneCallbackQueue', () => {
  it('runs each callback exactly where a done callback added to each future would run', () => {
    // Reference: addDoneCallback on each future (one handle per future).
    const order = (useQueue: boolean): string[] => {
      const { loop, flush } = newLoop();
      const log: string[] = [];
      const futs = [0, 1, 2].map(() => loop.createFuture<number>());
      const onDone = (f: Future<number>): void => {
        log.push(`done ${f.result()}`);
      };
      const queue = new DoneCallbackQueue<Future<number>>(loop, onDone);
      for (const f of futs) {
        if (useQueue) queue.watch(f);
        else f.addDoneCallback(onDone);
      }
      loop.callSoon(() => {
        (futs[0] as Future<number>).setResult(0);
        loop.callSoon(() => log.push('between'));
        (futs[2] as Future<number>).setResult(2);
        loop.callSoon(() => {
          log.push('after');
          (futs[1] as Future<number>).setResult(1);
        });
      });
      flush();
      return log;
    };
    expect(order(true)).toEqual(['done 0', 'between', 'done 2', 'after', 'done 1']);
    expect(order(true)).toEqual(order(false));
  });

  it('schedules a done future at once, and unwatch stops a pending one', () => {
    const { loop, flush } = newLoop();
    const seen: number[] = [];
    const queue = new DoneCallbackQueue<Future<number>>(loop, (f) => seen.push(f.result()));
    const done = loop.createFuture<number>();
    done.setResult(1);
    const dropped = loop.createFuture<number>();
    queue.watch(done);
    queue.watch(dropped);
    queue.unwatch(dropped);
    dropped.setResult(2);
    expect(seen).toEqual([]); // never synchronous
    flush();
    expect(seen).toEqual([1]);
  });

  it('reports a callback that throws to the exception handler and runs the next one', () => {
    const { loop, flush } = newLoop();
    const errors: unknown[] = [];
    loop.setExceptionHandler((_l, ctx) => errors.push(ctx.exception));
    const seen: number[] = [];
    const queue = new DoneCallbackQueue<Future<number>>(loop, (f) => {
      if (f.result() === 1) throw new RangeError('boom');
      seen.push(f.result());
    });
    const a = loop.createFuture<number>();
    const b = loop.createFuture<number>();
    queue.watch(a);
    queue.watch(b);
    a.setResult(1);
    b.setResult(2);
    flush();
    expect(seen).toEqual([2]);
    expect(errors.length).toBe(1);
    expect(errors[0]).toBeInstanceOf(RangeError);
  });

  it('with keep, schedules only the kept callbacks, each where its own would run', () => {
    const { loop, flush } = newLoop();
    const log: string[] = [];
    const kept: number[] = [];
    const queue = new DoneCallbackQueue<Future<number>>(
      loop,
      (f) => log.push(`done ${f.result()}`),
      (f) => {
        kept.push(f.result());
        return f.result() !== 1;
      },
    );
    const futs = [0, 1, 2].map(() => loop.createFuture<number>());
    for (const f of futs) queue.watch(f);
    loop.callSoon(() => {
      (futs[0] as Future<number>).setResult(0);
      (futs[1] as Future<number>).setResult(1);
      loop.callSoon(() => log.push('between'));
      (futs[2] as Future<number>).setResult(2);
      expect(kept).toEqual([0, 1, 2]); // keep runs as each future finishes
    });
    flush();
    expect(log).toEqual(['done 0', 'between', 'done 2']);
  });
});
