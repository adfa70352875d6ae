// runningLoop: getRunningLoop, currentTask, allTasks and the nesting of loops.
import { runVirtual, virtualScheduler } from '../../marbles/index.js';
import {
  allTasks,
  createTask,
  currentTask,
  EventLoop,
  getRunningLoop,
  RuntimeError,
  sleep,
} from '../../src/index.js';

describe('runningLoop', () => {
  it('getRunningLoop raises RuntimeError outside any loop callback', () => {
    expect(() => getRunningLoop()).toThrowError(RuntimeError, /no running event loop/);
    expect(() => currentTask()).toThrowError(RuntimeError, /no running event loop/);
  });

  it('inside a callback, the running loop is the loop running it, and no task is current', () => {
    const scheduler = virtualScheduler();
    const loop = new EventLoop(scheduler);
    let seen: [EventLoop | null, unknown] = [null, undefined];
    loop.callSoon(() => {
      seen = [getRunningLoop(), currentTask()];
    });
    scheduler.flush();
    expect(seen[0]).toBe(loop);
    expect(seen[1]).toBeNull();
    loop.close();
  });

  it('currentTask is the task whose step runs; allTasks the tasks not done', () => {
    runVirtual(
      (function* main() {
        const me = currentTask();
        expect(me?.getName()).toBeDefined();
        let inside: unknown;
        const child = createTask(
          (function* () {
            inside = currentTask();
            yield* sleep(5);
          })(),
          { name: 'child' },
        );
        expect(allTasks()).toEqual(new Set([me, child]));
        yield* child;
        expect(inside).toBe(child);
        expect(allTasks()).toEqual(new Set([me]));
        expect(currentTask(getRunningLoop())).toBe(me);
      })(),
    );
  });

  it('a loop driven from inside another loop’s callback restores the outer one after', () => {
    const outerScheduler = virtualScheduler();
    const outer = new EventLoop(outerScheduler);
    const seen: EventLoop[] = [];
    outer.callSoon(() => {
      const innerScheduler = virtualScheduler();
      const inner = new EventLoop(innerScheduler);
      inner.callSoon(() => seen.push(getRunningLoop()));
      innerScheduler.flush();
      seen.push(getRunningLoop());
      inner.close();
    });
    outerScheduler.flush();
    expect(seen.length).toBe(2);
    expect(seen[0]).not.toBe(outer);
    expect(seen[1]).toBe(outer);
    expect(() => getRunningLoop()).toThrowError(RuntimeError);
    outer.close();
  });

  it('refuses a loop argument that is not an EventLoop, at the call', () => {
    expect(() => currentTask({} as never)).toThrowError(TypeError, /expected an EventLoop/);
    expect(() => allTasks(42 as never)).toThrowError(TypeError, /expected an EventLoop/);
  });
});
