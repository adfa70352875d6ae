/**
 * Type-level tests: `yield*` must infer result types with no annotations. These assertions are
 * checked by `npm run typecheck`; a wrong inference fails the build, not just a spec.
 */
import { of } from 'rxjs';
import { runVirtual } from '../../marbles/index.js';
import {
  type Awaitable,
  type AwaitedOf,
  type Coroutine,
  createTask,
  ensureFuture,
  getRunningLoop,
  run,
  sleep,
  type Task,
} from '../../src/index.js';

type Equals<A, B> =
  (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_proof?: T): void {}

function* child(): Coroutine<{ id: number }> {
  yield* sleep(1);
  return { id: 7 };
}

function* inferred() {
  const task = createTask(child());
  const fromTask = yield* task;
  const fromSleep = yield* sleep(5, 'five' as const);
  const fromVoidSleep = yield* sleep(5);
  const fromObservable = yield* ensureFuture(of(1, 2, 3));
  const fromPromise = yield* ensureFuture(Promise.resolve(true));
  const fut = getRunningLoop().createFuture<bigint>();
  fut.setResult(1n);
  const fromFuture = yield* fut;
  const fromCoroutine = yield* child();
  assertType<Equals<typeof task, Task<{ id: number }>>>();
  assertType<Equals<typeof fromTask, { id: number }>>();
  assertType<Equals<typeof fromSleep, 'five'>>();
  assertType<Equals<typeof fromVoidSleep, void>>();
  assertType<Equals<typeof fromObservable, number>>();
  assertType<Equals<typeof fromPromise, boolean>>();
  assertType<Equals<typeof fromFuture, bigint>>();
  assertType<Equals<typeof fromCoroutine, { id: number }>>();
  assertType<Equals<AwaitedOf<Task<string>>, string>>();
  return [
    fromTask.id,
    fromSleep,
    fromObservable,
    fromPromise,
    fromFuture,
    fromCoroutine.id,
  ] as const;
}

describe('Awaitable types', () => {
  it('infers every yield* result type (checked at compile time; values checked here)', async () => {
    const gen = inferred();
    assertType<
      Equals<typeof gen, Coroutine<readonly [number, 'five', number, boolean, bigint, number]>>
    >();
    // Real time (a few ms): the Promise-fed future settles on the host's microtask queue.
    expect(await run(gen)).toEqual([7, 'five', 3, true, 1n, 7]);
  });

  it('types an Awaitable parameter by its result', () => {
    function* twice(aw: () => Awaitable<number>) {
      return (yield* aw()) + (yield* aw());
    }
    const r = runVirtual(twice(() => sleep(10, 21)));
    expect(r.outcome).toEqual({ ok: true, value: 42 });
  });

  it('rejects awaiting a non-awaitable at compile time', () => {
    function* bad() {
      // @ts-expect-error a number is not awaitable
      yield* 5;
    }
    expect(typeof bad).toBe('function');
  });
});
