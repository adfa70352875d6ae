/**
 * asyncio parity, round 2 (issue 16): Task behaviours CPython's test_tasks checks.
 */
import { virtualScheduler } from '../../marbles/index.js';
import {
  type Coroutine,
  createTask,
  currentTask,
  type DoneCallback,
  EventLoop,
  Future,
  getRunningLoop,
  RuntimeError,
  sleep,
  Task,
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

  it('a task awaiting a Future subclass goes through its addDoneCallback (test_tasks test_step_result_future)', () => {
    class Fut<T> extends Future<T> {
      cbAdded = 0;
      override addDoneCallback(fn: DoneCallback<T>): void {
        this.cbAdded++;
        super.addDoneCallback(fn);
      }
    }
    expect(
      value(
        (function* () {
          const loop = getRunningLoop();
          const fut = new Fut<string>(loop);
          let result = '';
          const t = createTask(
            (function* () {
              result = yield* fut;
            })(),
          );
          yield* sleep(0);
          const added = fut.cbAdded;
          fut.setResult('res');
          yield* sleep(0); // the task wakes one iteration after the future, as with a plain one
          return [added, result, t.done()];
        })(),
      ),
    ).toEqual([1, 'res', true]);
  });

  it('Task and Future subclasses both see one addDoneCallback (test_tasks test_subclasses_ctask_cfuture)', () => {
    class Fut<T> extends Future<T> {
      calls = 0;
      override addDoneCallback(fn: DoneCallback<T>): void {
        this.calls++;
        super.addDoneCallback(fn);
      }
    }
    class MyTask<T> extends Task<T> {
      calls = 0;
      override addDoneCallback(fn: DoneCallback<T>): void {
        this.calls++;
        super.addDoneCallback(fn);
      }
    }
    expect(
      value(
        (function* () {
          const loop = getRunningLoop();
          const fut = new Fut<string>(loop);
          function* func(): Coroutine<string> {
            loop.callSoon(() => fut.setResult('spam'));
            return yield* fut;
          }
          const task = new MyTask(func());
          const result = yield* task;
          return [result, task.calls, fut.calls];
        })(),
      ),
    ).toEqual(['spam', 1, 1]);
  });
});
