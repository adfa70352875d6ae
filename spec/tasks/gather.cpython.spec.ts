/**
 * CPython 3.13's Lib/test/test_asyncio/test_tasks.py, gather and shield: TaskTests' shield and
 * cancel-gather tests and GatherTests (FutureGatherTests, CoroutineGatherTests), ported test by
 * test to virtual time. `test_utils.run_briefly` becomes `yield* sleep(0)` in the main task.
 */
import {
  CancelledError,
  type Coroutine,
  createTask,
  Future,
  gather,
  shield,
  sleep,
} from '../../src/index.js';
import { errorOf, raised, value } from '../support/outcome.js';

/**
 * CPython's `test_utils.run_briefly`: runs a trivial task to its end, two loop rounds (its step,
 * then its done callback), so done callbacks scheduled by the previous round have run.
 */
function* runBriefly(): Coroutine<void> {
  yield* sleep(0);
  yield* sleep(0);
}

/** A tuple of `N` items of type `T`. */
type Tuple<T, N extends number, R extends T[] = []> = R['length'] extends N
  ? R
  : Tuple<T, N, [...R, T]>;

/** `n` fresh futures of the running loop, as a tuple to destructure. */
function futures<N extends number>(n: N): Tuple<Future<number>, N> {
  return Array.from({ length: n }, () => new Future<number>()) as Tuple<Future<number>, N>;
}

/** A task that awaits `waiter` and then adds 1 to `proof.n` (CPython's `inner()`). */
function bumpAfter(waiter: Future<void>, proof: { n: number }) {
  return createTask(
    (function* () {
      yield* waiter;
      proof.n += 1;
    })(),
  );
}

describe('shield (CPython test_tasks)', () => {
  it('test_shield_result: the outer future gets the inner result', () => {
    const r = value(
      (function* () {
        const inner = new Future<number>();
        const outer = shield(inner);
        inner.setResult(42);
        return yield* outer;
      })(),
    );
    expect(r).toBe(42);
  });

  it('test_shield_exception: the outer future gets the same exception object', () => {
    const r = value(
      (function* () {
        const inner = new Future<number>();
        const outer = shield(inner);
        yield* runBriefly();
        const exc = new RangeError('x');
        inner.setException(exc);
        yield* runBriefly();
        return outer.exception() === exc;
      })(),
    );
    expect(r).toBeTrue();
  });

  it('test_shield_cancel_inner: cancelling the inner future cancels the outer one', () => {
    const r = value(
      (function* () {
        const inner = new Future<number>();
        const outer = shield(inner);
        yield* runBriefly();
        inner.cancel();
        yield* runBriefly();
        return outer.cancelled();
      })(),
    );
    expect(r).toBeTrue();
  });

  it('test_shield_cancel_outer: cancelling the outer future leaves the inner one running', () => {
    const r = value(
      (function* () {
        const inner = new Future<number>();
        const outer = shield(inner);
        yield* runBriefly();
        outer.cancel();
        yield* runBriefly();
        const out = [outer.cancelled(), inner.cancelled()];
        inner.setResult(1);
        return out;
      })(),
    );
    expect(r).toEqual([true, false]);
  });

  it('test_shield_shortcut: shield of a done future gives its result', () => {
    const r = value(
      (function* () {
        const fut = new Future<number>();
        fut.setResult(42);
        return yield* shield(fut);
      })(),
    );
    expect(r).toBe(42);
  });

  it('test_shield_effect: the awaiting task is cancelled, the shielded coroutine runs to its end', () => {
    const r = value(
      (function* () {
        const proof = { n: 0 };
        const waiter = new Future<void>();
        const f = createTask(
          (function* () {
            yield* shield(
              (function* () {
                yield* waiter;
                proof.n += 1;
              })(),
            );
            proof.n += 100;
          })(),
        );
        yield* runBriefly();
        f.cancel();
        const e = yield* raised(f);
        waiter.setResult(undefined);
        yield* runBriefly();
        yield* runBriefly();
        return [e instanceof CancelledError, proof.n];
      })(),
    );
    expect(r).toEqual([true, 1]);
  });

  it('test_shield_gather: cancelling shield(gather(...)) leaves the gather and its children running', () => {
    const r = value(
      (function* () {
        const [child1, child2] = futures(2);
        const parent = gather(child1, child2);
        const outer = shield(parent);
        yield* runBriefly();
        outer.cancel();
        yield* runBriefly();
        const out: unknown[] = [outer.cancelled()];
        child1.setResult(1);
        child2.setResult(2);
        yield* runBriefly();
        out.push(parent.result());
        return out;
      })(),
    );
    expect(r).toEqual([true, [1, 2]]);
  });

  it('test_gather_shield: cancelling gather(shield(a), shield(b)) cancels the shields, not the children', () => {
    const r = value(
      (function* () {
        const [child1, child2] = futures(2);
        const inner1 = shield(child1);
        const inner2 = shield(child2);
        const parent = gather(inner1, inner2);
        yield* runBriefly();
        parent.cancel();
        // This should cancel inner1 and inner2 but not child1 and child2.
        yield* runBriefly();
        const out = [
          inner1.cancelled(),
          inner2.cancelled(),
          child1.cancelled(),
          child2.cancelled(),
        ];
        child1.setResult(1);
        child2.setResult(2);
        yield* runBriefly();
        yield* raised(parent);
        return out;
      })(),
    );
    expect(r).toEqual([true, true, false, false]);
  });
});

describe('gather (CPython test_tasks)', () => {
  it('test_cancel_gather_1: a gather whose children are all done refuses the cancel (bpo-26923)', () => {
    const r = value(
      (function* () {
        const fut = new Future<number>();
        const gatherTask = gather(
          createTask(
            (function* () {
              return yield* fut;
            })(),
          ),
        );
        yield* runBriefly();
        let cancelResult: boolean | null = null;
        fut.addDoneCallback(() => {
          cancelResult = gatherTask.cancel();
        });
        fut.setResult(42);
        const res = yield* gatherTask;
        return [cancelResult, gatherTask.cancelled(), res];
      })(),
    );
    expect(r).toEqual([false, false, [42]]);
  });

  for (const [args, expected] of [
    [[], []],
    [[null], []],
    [['my message'], ['my message']],
    [[5], [5]],
  ] as const) {
    it(`test_cancel_gather_2: cancel(${JSON.stringify(args)}) of a task in a gather loop reaches its awaiter`, () => {
      const e = errorOf(
        (function* () {
          const qwe = createTask(
            (function* () {
              let time = 0;
              for (;;) {
                time += 50;
                yield* gather([sleep(50)], { returnExceptions: true });
                if (time > 1000) return;
              }
            })(),
          );
          yield* sleep(200);
          qwe.cancel(...(args as readonly unknown[]));
          yield* qwe;
        })(),
      );
      expect(e).toBeInstanceOf(CancelledError);
      expect((e as CancelledError).args).toEqual(expected);
    });
  }

  it('test_constructor_empty_sequence: gather() is a done future of []', () => {
    const r = value(
      (function* () {
        const fut = gather();
        return [fut.done(), fut.result()];
      })(),
    );
    expect(r).toEqual([true, []]);
  });

  it('test_result_exception_success: results in argument order, whatever the completion order', () => {
    const r = value(
      (function* () {
        const [a, b, c] = futures(3);
        const fut = gather(a, b, c);
        b.setResult(2);
        a.setResult(1);
        yield* runBriefly();
        const early = fut.done();
        c.setResult(3);
        return [early, yield* fut];
      })(),
    );
    expect(r).toEqual([false, [1, 2, 3]]);
  });

  it('test_one_exception: the first exception is the gather outcome; later outcomes change nothing', () => {
    const r = value(
      (function* () {
        const [a, b, c, d, e] = futures(5);
        const fut = gather(a, b, c, d, e);
        const calls: unknown[] = [];
        fut.addDoneCallback((f) => calls.push(f));
        const exc = new RangeError('division by zero');
        a.setResult(1);
        b.setException(exc);
        yield* runBriefly();
        const out = [fut.done(), calls.length === 1 && calls[0] === fut, fut.exception() === exc];
        c.setResult(3);
        d.cancel();
        e.setException(new Error('runtime'));
        e.exception();
        return out;
      })(),
    );
    expect(r).toEqual([true, true, true]);
  });

  it('test_return_exceptions: returnExceptions puts the exception objects in the result list', () => {
    const r = value(
      (function* () {
        const [a, b, c, d] = futures(4);
        const fut = gather(a, b, c, d, { returnExceptions: true });
        const exc1 = new RangeError('1');
        const exc2 = new Error('2');
        a.setResult(3);
        b.setException(exc1);
        c.setException(exc2);
        d.setResult(1);
        const res = yield* fut;
        return [res[0], res[1] === exc1, res[2] === exc2, res[3]];
      })(),
    );
    expect(r).toEqual([3, true, true, 1]);
  });

  it('test_one_cancellation: a cancelled child makes the gather fail with CancelledError, not cancelled', () => {
    const r = value(
      (function* () {
        const [a, b, c, d, e] = futures(5);
        const fut = gather(a, b, c, d, e);
        let calls = 0;
        fut.addDoneCallback(() => {
          calls += 1;
        });
        a.setResult(1);
        b.cancel();
        yield* runBriefly();
        const out = [fut.done(), calls, fut.cancelled(), fut.exception() instanceof CancelledError];
        c.setResult(3);
        d.cancel();
        e.setException(new Error('runtime'));
        e.exception();
        return out;
      })(),
    );
    expect(r).toEqual([true, 1, false, true]);
  });

  it('test_result_exception_one_cancellation: with returnExceptions, cancelled children give CancelledError entries', () => {
    const r = value(
      (function* () {
        const [a, b, c, d, e, f] = futures(6);
        const fut = gather(a, b, c, d, e, f, { returnExceptions: true });
        let calls = 0;
        fut.addDoneCallback(() => {
          calls += 1;
        });
        a.setResult(1);
        const zde = new RangeError('division by zero');
        b.setException(zde);
        c.cancel();
        yield* runBriefly();
        const early = fut.done();
        d.setResult(3);
        e.cancel();
        const rte = new Error('runtime');
        f.setException(rte);
        const res = (yield* fut) as unknown[];
        yield* runBriefly();
        return [
          early,
          res[0],
          res[1] === zde,
          res[2] instanceof CancelledError,
          res[3],
          res[4] instanceof CancelledError,
          res[5] === rte,
          calls,
        ];
      })(),
    );
    expect(r).toEqual([false, 1, true, true, 3, true, true, 1]);
  });

  it('test_cancellation_broadcast: cancelling the awaiting task cancels the gather and all its children', () => {
    const r = value(
      (function* () {
        const proof = { n: 0 };
        const waiter = new Future<void>();
        const child1 = bumpAfter(waiter, proof);
        const child2 = bumpAfter(waiter, proof);
        const holder: { gatherer?: Future<unknown> } = {};
        const f = createTask(
          (function* () {
            const gatherer = gather(child1, child2);
            holder.gatherer = gatherer;
            yield* gatherer;
            proof.n += 100;
          })(),
        );
        yield* runBriefly();
        const cancelled = f.cancel();
        const e = yield* raised(f);
        const out = [
          cancelled,
          e instanceof CancelledError,
          holder.gatherer?.cancel(),
          waiter.cancelled(),
          child1.cancelled(),
          child2.cancelled(),
        ];
        yield* runBriefly();
        return [...out, proof.n];
      })(),
    );
    expect(r).toEqual([true, true, false, true, true, true, 0]);
  });

  it('test_exception_marking: the first child error is the outcome of the awaiting task', () => {
    const r = value(
      (function* () {
        const [a, b] = futures(2);
        function* inner(f: Future<number>): Coroutine<void> {
          yield* f;
          throw new RuntimeErrorLike('should not be ignored');
        }
        const f = createTask(
          (function* () {
            yield* gather(inner(a), inner(b));
          })(),
        );
        yield* runBriefly();
        a.setResult(0);
        yield* runBriefly();
        b.setResult(0);
        yield* runBriefly();
        yield* runBriefly();
        return f.exception() instanceof RuntimeErrorLike;
      })(),
    );
    expect(r).toBeTrue();
  });
});

/** CPython's RuntimeError in test_exception_marking, a class of its own so identity is checked. */
class RuntimeErrorLike extends Error {
  override name = 'RuntimeErrorLike';
}
