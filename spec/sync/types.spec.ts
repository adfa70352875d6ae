// Type-level checks: `yield*` on a primitive infers the right type (this file must typecheck).
import {
  Barrier,
  Condition,
  Event,
  LifoQueue,
  Lock,
  PriorityQueue,
  Queue,
  Semaphore,
  withLock,
} from '../../src/index.js';
import { runOk } from './support.js';

type Equals<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_ok: T): void {}

describe('types', () => {
  it('yield* infers result types', () => {
    const out = runOk(function* () {
      const lock = new Lock();
      const a = yield* lock.acquire();
      assertType<Equals<typeof a, true>>(true);
      lock.release();
      const ev = new Event();
      ev.set();
      const e = yield* ev.wait();
      assertType<Equals<typeof e, true>>(true);
      const q = new Queue<{ id: number }>();
      q.putNowait({ id: 1 });
      const item = yield* q.get();
      assertType<Equals<typeof item, { id: number }>>(true);
      const lifo = new LifoQueue<string>();
      lifo.putNowait('x');
      const s = yield* lifo.get();
      assertType<Equals<typeof s, string>>(true);
      const pq = new PriorityQueue<[number, string]>();
      pq.putNowait([1, 'a']);
      const p = yield* pq.get();
      assertType<Equals<typeof p, [number, string]>>(true);
      const index = yield* new Barrier(1).wait();
      assertType<Equals<typeof index, number>>(true);
      const cond = new Condition();
      const r = yield* withLock(cond, () => cond.waitFor(() => 'ready' as const));
      assertType<Equals<typeof r, 'ready'>>(true);
      const n = yield* withLock(new Semaphore(), function* () {
        yield* q.put({ id: 2 });
        return 42;
      });
      assertType<Equals<typeof n, number>>(true);
      return [a, e, item.id, s, p, index, r, n];
    });
    expect(out).toEqual([true, true, 1, 'x', [1, 'a'], 0, 'ready', 42]);
  });
});
