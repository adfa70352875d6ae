/**
 * Issue 14, item 13: a plain `yield*` chain ~5,200 coroutines deep overflows V8's stack, and the
 * task failed with a bare "Maximum call stack size exceeded". The error now says to use `call()`,
 * which drives such recursion without growing the native stack.
 */

import { runVirtual } from '../../../marbles/runVirtual.js';
import { type Coroutine, call, sleep } from '../../../src/index.js';

function* deep(n: number): Coroutine<number> {
  if (n === 0) {
    yield* sleep(1);
    return 0;
  }
  return 1 + (yield* deep(n - 1));
}

function* deepCall(n: number): Coroutine<number> {
  if (n === 0) {
    yield* sleep(1);
    return 0;
  }
  return 1 + (yield* call(deepCall(n - 1)));
}

describe('regression: a deep yield* RangeError gave no hint', () => {
  it('adds the advice to use call() to the stack overflow', () => {
    const r = runVirtual(deep(100_000));
    expect(r.outcome?.ok).toBe(false);
    const e = (r.outcome as { error: Error }).error;
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toMatch(/call stack/);
    expect(e.message).toContain('yield* call(child())');
  });

  it('the advice holds: the same depth through call() works', () => {
    expect(runVirtual(deepCall(100_000)).outcome).toEqual({ ok: true, value: 100_000 });
  });
});
