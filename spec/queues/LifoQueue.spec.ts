import { createTask, LifoQueue, QueueFull } from '../../src/index.js';
import { runOk, ticks } from '../sync/support.js';

describe('LifoQueue', () => {
  it('returns the most recent item first and honours maxsize', () => {
    const q = new LifoQueue<number>(3);
    for (const x of [1, 2, 3]) q.putNowait(x);
    expect(() => q.putNowait(4)).toThrowError(QueueFull);
    expect(String(q)).toBe('<LifoQueue maxsize=3 size=3 getters:0 putters:0>');
    expect([q.getNowait(), q.getNowait(), q.getNowait()]).toEqual([3, 2, 1]);
  });

  it("a cancelled getter's item goes back as the oldest (bottom of the stack)", () => {
    const out = runOk(function* () {
      const q = new LifoQueue<string>();
      const g = createTask(
        (function* () {
          return yield* q.get();
        })(),
      );
      yield* ticks(1);
      q.putNowait('x'); // handed to g
      g.cancel();
      q.putNowait('y');
      q.putNowait('z');
      yield* ticks(2);
      return [q.getNowait(), q.getNowait(), q.getNowait(), g.cancelled()];
    });
    expect(out).toEqual(['z', 'y', 'x', true]);
  });
});
