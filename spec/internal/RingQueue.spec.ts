import fc from 'fast-check';
import { RingQueue } from '../../src/internal/RingQueue.js';

describe('RingQueue (the loop’s ready queue)', () => {
  it('is a FIFO: shift returns items in push order, peek the oldest without removing it', () => {
    const q = new RingQueue<string>();
    q.push('a');
    q.push('b');
    expect(q.peek()).toBe('a');
    expect(q.size).toBe(2);
    expect(q.shift()).toBe('a');
    expect(q.shift()).toBe('b');
    expect(q.size).toBe(0);
    expect(q.peek()).toBeUndefined();
  });

  it('grows past its capacity while wrapped around, keeping the order', () => {
    const q = new RingQueue<number>(16);
    for (let i = 0; i < 10; i++) q.push(i);
    for (let i = 0; i < 8; i++) q.shift(); // head is now in the middle of the buffer
    for (let i = 10; i < 50; i++) q.push(i); // wraps, then grows twice
    expect([...q]).toEqual(Array.from({ length: 42 }, (_, k) => k + 8));
  });

  it('removeFirst removes only the first match and closes the gap', () => {
    const q = new RingQueue<string>();
    for (const x of ['a', 'b', 'c', 'b']) q.push(x);
    expect(q.removeFirst((x) => x === 'b')).toBeTrue();
    expect([...q]).toEqual(['a', 'c', 'b']);
    expect(q.removeFirst((x) => x === 'z')).toBeFalse();
    expect(q.size).toBe(3);
  });

  it('clear empties it, and it works as new afterwards', () => {
    const q = new RingQueue<number>();
    for (let i = 0; i < 20; i++) q.push(i);
    q.clear();
    expect(q.size).toBe(0);
    expect([...q]).toEqual([]);
    q.push(7);
    expect(q.shift()).toBe(7);
  });

  it('behaves as an array used as a queue, for any sequence of operations', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), value: fc.integer() }),
      fc.record({ kind: fc.constant('shift' as const) }),
      fc.record({ kind: fc.constant('remove' as const), value: fc.integer({ min: -3, max: 3 }) }),
      fc.record({ kind: fc.constant('clear' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const q = new RingQueue<number>(1);
        const model: number[] = [];
        for (const o of ops) {
          if (o.kind === 'push') {
            q.push(o.value);
            model.push(o.value);
          } else if (o.kind === 'shift') {
            if (model.length === 0) continue;
            expect(q.shift()).toBe(model.shift() as number);
          } else if (o.kind === 'remove') {
            const i = model.findIndex((x) => x % 4 === o.value);
            expect(q.removeFirst((x) => x % 4 === o.value)).toBe(i >= 0);
            if (i >= 0) model.splice(i, 1);
          } else {
            q.clear();
            model.length = 0;
          }
          expect(q.size).toBe(model.length);
        }
        expect([...q]).toEqual(model);
      }),
    );
  });
});
