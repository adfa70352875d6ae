import { compareItems, createTask, PriorityQueue } from '../../src/index.js';
import { runOk, ticks } from '../sync/support.js';

function drain<T>(q: PriorityQueue<T>): T[] {
  const out: T[] = [];
  while (!q.empty()) out.push(q.getNowait());
  return out;
}

describe('PriorityQueue', () => {
  it('returns the smallest first, comparing arrays like Python tuples', () => {
    const q = new PriorityQueue<[number, string]>();
    for (const e of [
      [3, 'c'],
      [1, 'b'],
      [2, 'x'],
      [1, 'a'],
      [10, 'z'],
    ] as [number, string][])
      q.putNowait(e);
    expect(drain(q)).toEqual([
      [1, 'a'],
      [1, 'b'],
      [2, 'x'],
      [3, 'c'],
      [10, 'z'],
    ]);
  });

  it('keeps FIFO order among equal priorities (deterministic)', () => {
    const q = new PriorityQueue<{ p: number; id: string }>({ compare: (a, b) => a.p - b.p });
    const items = Array.from({ length: 40 }, (_, i) => ({ p: i % 3, id: `i${i}` }));
    for (const it of items) q.putNowait(it);
    const out = drain(q);
    const expected = [0, 1, 2].flatMap((p) => items.filter((it) => it.p === p));
    expect(out).toEqual(expected);
  });

  it('sorts many random numbers', () => {
    const q = new PriorityQueue<number>();
    let seed = 7;
    const xs = Array.from({ length: 500 }, () => {
      seed = (seed * 48271) % 2147483647;
      return seed % 1000;
    });
    for (const x of xs) q.putNowait(x);
    expect(drain(q)).toEqual([...xs].sort((a, b) => a - b));
  });

  it('an unorderable item raises TypeError at put and leaves the queue unchanged', () => {
    const q = new PriorityQueue<unknown>();
    q.putNowait([1, 'a']);
    q.putNowait([0, 'b']);
    expect(() => q.putNowait(['x'])).toThrowError(TypeError, /cannot order/);
    expect(() => q.putNowait({})).toThrowError(TypeError, /pass \{ compare \}/);
    expect(q.qsize()).toBe(2);
    expect(drain(q)).toEqual([
      [0, 'b'],
      [1, 'a'],
    ]);
  });

  it('a comparator that throws during get leaves the queue unchanged', () => {
    let armed = false;
    const q = new PriorityQueue<number>({
      compare: (a, b) => {
        if (armed) throw new SyntaxError('comparator failed');
        return a - b;
      },
    });
    for (const x of [5, 1, 4, 2, 3]) q.putNowait(x);
    armed = true;
    expect(() => q.getNowait()).toThrowError(SyntaxError);
    armed = false;
    expect(drain(q)).toEqual([1, 2, 3, 4, 5]);
  });

  it("a cancelled getter's item goes back ahead of equal priorities", () => {
    const out = runOk(function* () {
      const q = new PriorityQueue<[number, string]>();
      const g = createTask(
        (function* () {
          return yield* q.get();
        })(),
      );
      yield* ticks(1);
      q.putNowait([1, 'first']); // handed to g
      g.cancel();
      q.putNowait([1, 'first']);
      q.putNowait([0, 'urgent']);
      yield* ticks(2);
      return drain(q).map((e) => e[1]);
    });
    expect(out).toEqual(['urgent', 'first', 'first']);
  });

  it('compareItems orders numbers, bigints, strings and arrays; rejects mixes', () => {
    expect(compareItems(1, 2)).toBeLessThan(0);
    expect(compareItems(2n, 1)).toBeGreaterThan(0);
    expect(compareItems('b', 'a')).toBeGreaterThan(0);
    expect(compareItems([1, 2], [1, 2, 0])).toBeLessThan(0);
    expect(compareItems([1, 'x'], [1, 'x'])).toBe(0);
    const same = {};
    expect(compareItems([1, same], [1, same])).toBe(0);
    expect(() => compareItems(1, 'a')).toThrowError(TypeError);
    expect(() => compareItems([1, {}], [1, {}])).toThrowError(TypeError);
  });

  it('rejects a compare option that is not a function', () => {
    expect(() => new PriorityQueue({ compare: 3 as never })).toThrowError(TypeError, /compare/);
    expect(new PriorityQueue(4).maxsize).toBe(4);
  });
});
