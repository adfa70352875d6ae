/**
 * asyncio parity, round 2 (issue 16): Task behaviours CPython's test_tasks checks.
 */
import { virtualScheduler } from '../../marbles/index.js';
import {
  createTask,
  currentTask,
  EventLoop,
  getRunningLoop,
  RuntimeError,
  sleep,
} from '../../src/index.js';
import { value } from '../support/outcome.js';

describe('Task (asyncio parity, issue 16)', () => {
  it('a name of any type is turned into a string (test_tasks test_task_set_name_pylong)', () => {
    expect(
      value(
        (function* () {
          const t = createTask(sleep(0), { name: 987654321 });
          const u = createTask(sleep(0), { name: null });
          const v = createTask(sleep(0));
          v.setName(42);
          const names = [t.getName(), /^Task-\d+$/.test(u.getName()), v.getName()];
          yield* t;
          yield* u;
          yield* v;
          return names;
        })(),
      ),
    ).toEqual(['987654321', true, '42']);
  });

  it('currentTask() with no running loop raises RuntimeError (test_tasks test_current_task_no_running_loop_implicit)', () => {
    expect(() => currentTask()).toThrowError(RuntimeError, /no running event loop/);
    const loop = new EventLoop(virtualScheduler());
    expect(currentTask(loop)).toBeNull(); // an explicit loop: its current task, here none
    loop.close();
  });

  it('currentTask() in a loop callback that is not a task step is null (test_current_task_no_running_loop... with a loop)', () => {
    expect(
      value(
        (function* () {
          const loop = getRunningLoop();
          let inCallback: unknown = 'not run';
          loop.callSoon(() => {
            inCallback = currentTask();
          });
          yield* sleep(0);
          return [inCallback, currentTask()?.getName()];
        })(),
      ),
    ).toEqual([null, 'main']);
  });
});
