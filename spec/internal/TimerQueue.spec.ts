import { TimerQueue } from '../../src/internal/TimerQueue.js';

class Timer {
  _cancelled = false;
  constructor(
    readonly when: number,
    readonly id: string,
  ) {}
}

function due(q: TimerQueue<Timer>, now: number): string[] {
  const out: string[] = [];
  q.popDue(now, (t) => out.push(t.id));
  return out;
}

describe('TimerQueue (the loop’s timers)', () => {
  it('pops timers due at or before now, by deadline, then in scheduling order', () => {
    const q = new TimerQueue<Timer>();
    for (const [when, id] of [
      [30, 'c1'],
      [10, 'a1'],
      [20, 'b1'],
      [10, 'a2'],
      [30, 'c2'],
    ] as const) {
      q.push(new Timer(when, id));
    }
    expect(q.size).toBe(5);
    expect(q.nextDeadline()).toBe(10);
    expect(due(q, 9)).toEqual([]);
    expect(due(q, 20)).toEqual(['a1', 'a2', 'b1']);
    expect(q.nextDeadline()).toBe(30);
    expect(due(q, 100)).toEqual(['c1', 'c2']);
    expect(q.size).toBe(0);
    expect(q.nextDeadline()).toBeUndefined();
  });

  it('skips cancelled timers: they do not count, are never popped, and do not set the deadline', () => {
    const q = new TimerQueue<Timer>();
    const early = new Timer(5, 'early');
    q.push(early);
    q.push(new Timer(8, 'late'));
    early._cancelled = true;
    q.noteCancelled();
    expect(q.size).toBe(1);
    expect(q.nextDeadline()).toBe(8);
    expect(due(q, 10)).toEqual(['late']);
  });

  it('compacts once most stored timers are cancelled, keeping the live ones in order', () => {
    const q = new TimerQueue<Timer>();
    const dead: Timer[] = [];
    for (let i = 0; i < 200; i++) {
      const t = new Timer(1000 + i, `dead${i}`);
      dead.push(t);
      q.push(t);
    }
    q.push(new Timer(50, 'x'));
    q.push(new Timer(50, 'y'));
    for (const t of dead) {
      t._cancelled = true;
      q.noteCancelled();
    }
    expect(q.size).toBe(2);
    expect([...q.live()].map((t) => t.id).sort()).toEqual(['x', 'y']);
    expect(due(q, 5000)).toEqual(['x', 'y']);
    expect(q.size).toBe(0);
  });

  it('compacts in place: buckets keep their live timers in order, emptied ones leave the heap', () => {
    const q = new TimerQueue<Timer>();
    const all: Timer[] = [];
    // Deadlines 100..109, ten timers each, pushed interleaved; timers 3 and 7 of the odd
    // deadlines stay live, everything else (all of the even deadlines) is cancelled.
    for (let k = 0; k < 10; k++) {
      for (let d = 109; d >= 100; d--) {
        const t = new Timer(d, `${d}.${k}`);
        all.push(t);
        q.push(t);
      }
    }
    const live = (t: Timer): boolean =>
      t.when % 2 === 1 && (t.id.endsWith('.3') || t.id.endsWith('.7'));
    for (const t of all) {
      if (live(t)) continue;
      t._cancelled = true;
      q.noteCancelled();
    }
    expect(q.size).toBe(10);
    expect(q.nextDeadline()).toBe(101);
    q.push(new Timer(101, 'late101'));
    q.push(new Timer(100, 'new100'));
    expect(due(q, 101)).toEqual(['new100', '101.3', '101.7', 'late101']);
    expect(q.nextDeadline()).toBe(103);
    expect(due(q, 1000)).toEqual([103, 105, 107, 109].flatMap((d) => [`${d}.3`, `${d}.7`]));
    expect(q.size).toBe(0);
    expect(q.nextDeadline()).toBeUndefined();
  });

  it('clear drops everything', () => {
    const q = new TimerQueue<Timer>();
    q.push(new Timer(1, 'a'));
    q.clear();
    expect(q.size).toBe(0);
    expect(q.nextDeadline()).toBeUndefined();
    expect(due(q, 10)).toEqual([]);
  });

  it('keeps the heap ordered across many interleaved pushes and pops', () => {
    const q = new TimerQueue<Timer>();
    const whens = Array.from({ length: 500 }, (_, i) => (i * 7919) % 211);
    for (const [i, w] of whens.entries()) q.push(new Timer(w, String(i)));
    let last = -1;
    for (let now = 0; now < 211 + 13; now += 13) {
      q.popDue(now, (t) => {
        expect(t.when).toBeGreaterThanOrEqual(last);
        expect(t.when).toBeLessThanOrEqual(now);
        last = t.when;
      });
    }
    expect(q.size).toBe(0);
  });
});
