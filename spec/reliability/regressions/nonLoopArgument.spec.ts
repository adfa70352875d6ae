/**
 * Found by the bad-input sweep: a `loop` argument that is not an EventLoop was accepted by
 * `new Future(loop)` (the future broke later, inside the loop), failed in `createTask(coro,
 * { loop })` with "loop._checkOpen is not a function", and made `currentTask(loop)` return
 * undefined. Each is now a TypeError at the call that names it.
 */
import { allTasks, createTask, currentTask, Future } from '../../../src/index.js';

// biome-ignore lint/suspicious/noExplicitAny: bad input on purpose.
const notALoop: any = { time: () => 0 };
function* empty(): Generator<never, void, unknown> {}

describe('regression: a loop argument that is not an EventLoop', () => {
  it('new Future(notALoop) throws a TypeError', () => {
    expect(() => new Future(notALoop)).toThrowError(
      TypeError,
      /new Future\(loop\): expected an EventLoop/,
    );
  });

  it('createTask(coro, { loop: notALoop }) throws a TypeError naming the option', () => {
    expect(() => createTask(empty(), { loop: notALoop })).toThrowError(
      TypeError,
      /createTask\(coro, \{ loop \}\)/,
    );
  });

  it('currentTask(notALoop) and allTasks(notALoop) throw TypeErrors', () => {
    expect(() => currentTask(notALoop)).toThrowError(TypeError, /currentTask\(loop\)/);
    expect(() => allTasks(notALoop)).toThrowError(TypeError, /allTasks\(loop\)/);
  });
});
