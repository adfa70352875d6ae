/**
 * The task driver's fast paths (bench issue): native generators are stepped through
 * %GeneratorPrototype% directly, `sleep(0)` reuses one step handle per task. These pin that the
 * fast paths change nothing a program can see.
 */

import { runVirtual } from '../../marbles/index.js';
import {
  CancelledError,
  type Coroutine,
  createTask,
  type Suspend,
  sleep,
} from '../../src/index.js';

describe('Task driver fast paths', () => {
  it('drives a hand-written coroutine object through its own next/throw', () => {
    const calls: string[] = [];
    let inner: Coroutine<number> | null = null;
    const custom = {
      next(v?: unknown) {
        calls.push('next');
        inner ??= (function* () {
          yield* sleep(5);
          return 7;
        })();
        return inner.next(v);
      },
      throw(e?: unknown) {
        calls.push('throw');
        return (inner as Coroutine<number>).throw(e);
      },
      return(v?: unknown) {
        return (inner as Coroutine<number>).return(v as number);
      },
      [Symbol.iterator]() {
        return this;
      },
    } as unknown as Coroutine<number>;
    const r = runVirtual(
      (function* () {
        return yield* createTask(custom);
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: 7 });
    expect(calls).toEqual(['next', 'next']);
  });

  it('honours a next/throw replaced on a generator object (as debug wrappers do)', () => {
    const seen: string[] = [];
    function* body(): Coroutine<string> {
      try {
        yield* sleep(10);
        return 'finished';
      } catch (e) {
        return e instanceof CancelledError ? 'cancelled' : 'other';
      }
    }
    const r = runVirtual(
      (function* () {
        const gen = body();
        for (const m of ['next', 'throw'] as const) {
          const original = gen[m] as (...a: unknown[]) => IteratorResult<Suspend, string>;
          Object.defineProperty(gen, m, {
            configurable: true,
            value(...a: unknown[]) {
              seen.push(m);
              return original.apply(gen, a);
            },
          });
        }
        const t = createTask(gen);
        yield* sleep(1);
        t.cancel();
        return yield* t;
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: 'cancelled' });
    expect(seen).toEqual(['next', 'throw']);
  });

  it('keeps sleep(0) interleavings with a reused step handle, across many yields', () => {
    const log: string[] = [];
    function* spin(name: string, k: number): Coroutine<void> {
      for (let i = 0; i < k; i++) {
        log.push(`${name}${i}`);
        yield* sleep(0);
      }
    }
    const r = runVirtual(
      (function* () {
        const a = createTask(spin('a', 3));
        const b = createTask(spin('b', 3));
        yield* a;
        yield* b;
      })(),
    );
    expect(r.outcome?.ok).toBeTrue();
    expect(log).toEqual(['a0', 'b0', 'a1', 'b1', 'a2', 'b2']);
  });

  it('cancels a task parked in sleep(0) (its reused step handle is already queued)', () => {
    const log: string[] = [];
    const r = runVirtual(
      (function* () {
        const t = createTask(
          (function* () {
            try {
              for (;;) yield* sleep(0);
            } finally {
              log.push('finally');
            }
          })(),
        );
        yield* sleep(0);
        yield* sleep(0);
        t.cancel('stop');
        try {
          yield* t;
        } catch (e) {
          log.push(e instanceof CancelledError ? `cancelled: ${e.message}` : 'other');
        }
      })(),
    );
    expect(r.outcome?.ok).toBeTrue();
    expect(log).toEqual(['finally', 'cancelled: stop']);
  });
});
