import { map, Subject, switchMap, take } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { type Coroutine, fromCoroutine, getRunningLoop, sleep } from '../../src/index.js';

function scheduler(): TestScheduler {
  return new TestScheduler((a, b) => expect(a).toEqual(b));
}

function* delayed<T>(ms: number, v: T): Coroutine<T> {
  yield* sleep(ms);
  return v;
}

describe('fromCoroutine', () => {
  it('emits the coroutine’s result then completes, in virtual time', () => {
    scheduler().run(({ expectObservable }) => {
      expectObservable(fromCoroutine(() => delayed(5, 'x'))).toBe('-----(x|)');
    });
  });

  it('errors with what the coroutine throws', () => {
    scheduler().run(({ expectObservable }) => {
      const failing = fromCoroutine(function* () {
        yield* sleep(3);
        throw new Error('bad');
      });
      expectObservable(failing).toBe('---#', undefined, new Error('bad'));
    });
  });

  it('is cold: each subscription starts a new task', () => {
    let starts = 0;
    scheduler().run(({ expectObservable }) => {
      const obs = fromCoroutine(function* () {
        starts++;
        yield* sleep(2);
        return starts;
      });
      expectObservable(obs).toBe('--(a|)', { a: 2 });
      expectObservable(obs).toBe('--(a|)', { a: 2 });
    });
    expect(starts).toBe(2);
  });

  it('cancels the task on unsubscribe, running its finally (switchMap drops the old search)', () => {
    const log: string[] = [];
    scheduler().run(({ cold, expectObservable }) => {
      const queries = cold('a 4ms b|');
      const results = queries.pipe(
        switchMap((q) =>
          fromCoroutine(function* () {
            try {
              yield* sleep(10);
              return q.toUpperCase();
            } finally {
              log.push(`${q} cleanup at ${getRunningLoop().time()}`);
            }
          }),
        ),
      );
      expectObservable(results).toBe('15ms (B|)');
    });
    expect(log).toEqual(['a cleanup at 5', 'b cleanup at 15']);
  });

  it('reports an error raised by the async cleanup of an unsubscribed coroutine', () => {
    const errors: unknown[] = [];
    spyOn(console, 'error').and.callFake((...a: unknown[]) => errors.push(a.join(' ')));
    scheduler().run(({ expectObservable }) => {
      const obs = fromCoroutine(function* () {
        try {
          yield* sleep(100);
        } finally {
          yield* sleep(1);
          throw new Error('cleanup broke');
        }
      });
      expectObservable(obs, '5ms !').toBe('');
    });
    expect(String(errors[0])).toContain('cleanup broke');
  });

  it('shares one loop per scheduler while busy and leaves nothing behind between tests', () => {
    const loops = new Set<unknown>();
    scheduler().run(({ expectObservable }) => {
      const obs = fromCoroutine(function* () {
        loops.add(getRunningLoop());
        yield* sleep(1);
        return 1;
      });
      expectObservable(obs.pipe(take(1))).toBe('-(a|)', { a: 1 });
      expectObservable(obs.pipe(map((x) => x + 1))).toBe('-(a|)', { a: 2 });
    });
    expect(loops.size).toBe(1);
    const again = new Set<unknown>();
    scheduler().run(({ expectObservable }) => {
      expectObservable(
        fromCoroutine(function* () {
          again.add(getRunningLoop());
          return 0;
        }),
      ).toBe('(a|)', { a: 0 });
    });
    expect([...again][0]).not.toBe([...loops][0]);
  });

  it('rejects a non-function factory', () => {
    expect(() => fromCoroutine(delayed(1, 1) as never)).toThrowError(
      TypeError,
      /expected a function/,
    );
  });

  it('works with a Subject-driven pipeline', () => {
    scheduler().run(({ expectObservable, cold }) => {
      const trigger = new Subject<number>();
      cold('--a|').subscribe(() => trigger.next(1));
      const out = trigger.pipe(switchMap((n) => fromCoroutine(() => delayed(3, n * 10))));
      expectObservable(out).toBe('-----a', { a: 10 });
    });
  });
});
