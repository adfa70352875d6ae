/**
 * The seed article's first program, "Two coroutines running together", in rx-asyncio.
 *
 * Python:                                   rx-asyncio:
 *   async def coro1():                        function* coro1() {
 *       for _ in range(TIMES):                  for (let i = 0; i < TIMES; i++) {
 *           await asyncio.sleep(1)                yield* sleep(1000);
 *           print("coro1()")                      console.log('coro1()');
 *
 * Run it with `npm start -- first`.
 */
import { type Coroutine, createTask, run, sleep } from '../src/index.js';

const TIMES = 5;

export function* coro1(print: (line: string) => void = console.log): Coroutine<void> {
  for (let i = 0; i < TIMES; i++) {
    yield* sleep(1000);
    print('coro1()');
  }
}

export function* coro2(print: (line: string) => void = console.log): Coroutine<void> {
  for (let i = 0; i < TIMES; i++) {
    yield* sleep(2000);
    print('coro2()');
  }
}

export function* main(print: (line: string) => void = console.log): Coroutine<void> {
  const task1 = createTask(coro1(print));
  const task2 = createTask(coro2(print));
  yield* task1;
  yield* task2;
}

/** Runs the program in real time (10 seconds). */
export function runFirst(): Promise<void> {
  return run(main());
}
