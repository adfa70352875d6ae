/**
 * asyncio parity, round 2 (issue 16): gather of futures from two loops (item 3), and the
 * TaskGroup message a ported assertRaisesRegex matches (item 10).
 */
import { virtualScheduler } from '../../marbles/index.js';
import {
  EventLoop,
  gather,
  getRunningLoop,
  RuntimeError,
  sleep,
  TaskGroup,
  ValueError,
} from '../../src/index.js';
import { value } from '../support/outcome.js';

describe('gather (asyncio parity, issue 16)', () => {
  it('refuses futures of two loops with ValueError (test_futures FutureGatherTests test_constructor_heterogenous_futures)', () => {
    const oneLoop = new EventLoop(virtualScheduler());
    const otherLoop = new EventLoop(virtualScheduler());
    const fut1 = oneLoop.createFuture<number>();
    const fut2 = otherLoop.createFuture<number>();
    expect(() => gather(fut1, fut2)).toThrowError(ValueError, /different/);
    expect(() => gather([fut1, fut2])).toThrowError(RangeError);
    fut1.cancel();
    fut2.cancel();
    oneLoop.close();
    otherLoop.close();
  });
});

describe('TaskGroup messages (asyncio parity, issue 16)', () => {
  it('entered outside a task: "cannot determine the parent task" (test_taskgroups test_taskgroup_without_parent_task)', () => {
    const message = value(
      (function* () {
        let seen = '';
        // asyncio's await_without_task: drive the scope from a loop callback, not a task.
        getRunningLoop().callSoon(() => {
          try {
            new TaskGroup().scope(function* () {}).next();
          } catch (e) {
            seen = `${(e as Error).name}: ${(e as Error).message}`;
          }
        });
        yield* sleep(0);
        return seen;
      })(),
    );
    expect(message).toMatch(/^RuntimeError: .*parent task/);
    expect(() => new TaskGroup().scope(function* () {}).next()).toThrowError(RuntimeError);
  });
});
