import type { Timeline } from '../../marbles/index.js';
import { type Coroutine, createTask, sleep } from '../../src/index.js';

/** The seed article's first program ("Two coroutines running together"), printing to `tl`. */
export function* seedMain(tl: Timeline): Coroutine<void> {
  function* coro1(): Coroutine<void> {
    for (let i = 0; i < 5; i++) {
      yield* sleep(1000);
      tl.print('coro1()');
    }
  }
  function* coro2(): Coroutine<void> {
    for (let i = 0; i < 5; i++) {
      yield* sleep(2000);
      tl.print('coro2()');
    }
  }
  const task1 = createTask(coro1(), { name: 'coro1' });
  const task2 = createTask(coro2(), { name: 'coro2' });
  yield* task1;
  yield* task2;
}

/** The options docs/seed-first.svg is drawn with. */
export const SEED_SVG_OPTIONS = {
  title: "The seed's first program: coro1 sleeps 1 s, coro2 sleeps 2 s, five times each",
  width: 1100,
  values: { a: 'coro1()', b: 'coro2()' },
};
