/**
 * The seed article's second program, "Turning blocking code into non-blocking awaitable code":
 * the two coroutines of the first program print while a worker thread waits for a line of stdin.
 *
 * Python:                                               rx-asyncio:
 *   task3 = asyncio.create_task(                          const task3 = createTask(
 *       asyncio.to_thread(input, "Type something: "))       toThread(input, 'Type something: '));
 *   await task3                                           yield* task3;
 *   result = task3.result()                               const result = task3.result();
 *   print("Your input is: ", result)                      print('Your input is: ', result);
 *
 * When the line arrives, main returns and run() cancels the coroutines that are still running,
 * as asyncio.run does. Run it with `npm start -- second` (type a line), or piped:
 * `(sleep 11; echo "Hello world") | npm start -- second`.
 */
import {
  type Coroutine,
  createTask,
  EOFError,
  input,
  isCancelledError,
  run,
  toThread,
} from '../src/index.js';
import { coro1, coro2 } from './first.js';

/** Python's print: arguments joined by one space (console.log does the same). */
export type Print = (...values: unknown[]) => void;

export function* main(print: Print = console.log): Coroutine<void> {
  createTask(coro1(print));
  createTask(coro2(print));
  const task3 = createTask(toThread(input, 'Type something: '));
  yield* task3;
  const result = task3.result();
  print('Your input is: ', result);
}

/**
 * Runs the program in real time. Stdin closed at once, or Ctrl-C, ends it with a message rather
 * than a stack trace.
 */
export async function runSecond(): Promise<void> {
  try {
    await run(main());
  } catch (e) {
    if (e instanceof EOFError) {
      console.log(`\nNo input: ${e.name}: ${e.message}`);
    } else if (isCancelledError(e)) {
      console.log('\nInterrupted.');
      process.exitCode = 130;
    } else {
      throw e;
    }
  }
}
