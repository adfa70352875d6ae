import { Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import {
  Context,
  ContextVar,
  fromCoroutine,
  mergeCoroutine,
  sleep,
  switchCoroutine,
} from '../../src/index.js';

// RxJS interop keeps the context: a coroutine started from RxJS code runs in a copy of the
// context that was current when the Observable (or the operator) was subscribed.

const user = new ContextVar<string>('user', { default: 'nobody' });

function scheduler(): TestScheduler {
  const s = new TestScheduler(() => {});
  s.maxFrames = Number.POSITIVE_INFINITY;
  return s;
}

describe('context across RxJS interop', () => {
  it('fromCoroutine runs its task in the context current at subscribe time', () => {
    const s = scheduler();
    const ctx = new Context();
    const seen: string[] = [];
    const source = fromCoroutine(
      function* () {
        yield* sleep(10);
        const who = user.get();
        user.set('changed by the task'); // its own copy: ctx keeps 'ada'
        return who;
      },
      { scheduler: s },
    );
    ctx.run(() => {
      user.set('ada');
      source.subscribe((v) => seen.push(v));
    });
    source.subscribe((v) => seen.push(v)); // outside: the root context
    s.flush();
    expect(seen).toEqual(['ada', 'nobody']);
    expect(ctx.get(user)).toBe('ada');
  });

  for (const [name, op] of [
    ['mergeCoroutine', mergeCoroutine],
    ['switchCoroutine', switchCoroutine],
  ] as const) {
    it(`${name} runs each coroutine in a copy of the context current when it subscribed`, () => {
      const s = scheduler();
      const values = new Subject<number>();
      const ctx = new Context();
      const seen: string[] = [];
      ctx.run(() => {
        user.set('grace');
        values
          .pipe(
            op(
              function* (n: number) {
                yield* sleep(1);
                const who = `${n}:${user.get()}`;
                user.set(`set by ${n}`); // invisible to the next coroutine
                return who;
              },
              { scheduler: s },
            ),
          )
          .subscribe((v) => seen.push(v));
      });
      // The values arrive later, from outside that context.
      s.schedule(() => values.next(1), 5);
      s.schedule(() => values.next(2), 10);
      s.flush();
      expect(seen).toEqual(['1:grace', '2:grace']);
      expect(ctx.get(user)).toBe('grace');
    });
  }
});
