/**
 * Type-level tests: the coroutine operators infer their output type from the project's return
 * value, or from its `ctx` annotation for a producer. Checked by `npm run typecheck`.
 */
import { type Observable, of } from 'rxjs';
import {
  type CoroutineContext,
  concatCoroutine,
  exhaustCoroutine,
  mergeCoroutine,
  sleep,
  switchCoroutine,
} from '../../src/index.js';

type Equals<A, B> =
  (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_proof?: T): void {}

const lengths = of('a', 'bb').pipe(
  switchCoroutine(function* (q) {
    yield* sleep(1);
    return q.length;
  }),
);
assertType<Equals<typeof lengths, Observable<number>>>();

const produced = of(1).pipe(
  mergeCoroutine(function* (n, ctx: CoroutineContext<string>) {
    ctx.emit(`${n}`);
    yield* sleep(1);
  }),
);
assertType<Equals<typeof produced, Observable<string>>>();

const both = of(true).pipe(
  concatCoroutine(function* (b: boolean, ctx: CoroutineContext<'start' | 'end'>) {
    ctx.emit('start');
    yield* sleep(1);
    return b ? ('end' as const) : undefined;
  }),
  exhaustCoroutine(function* (x) {
    yield* sleep(0);
    return x;
  }),
);
assertType<Equals<typeof both, Observable<'start' | 'end'>>>();

describe('coroutine operator types', () => {
  it('are checked at compile time', () => {
    expect(lengths).toBeDefined();
  });
});
