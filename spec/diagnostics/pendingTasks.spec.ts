import { virtualScheduler } from '../../marbles/index.js';
import {
  type Coroutine,
  EventLoop,
  type ExceptionContext,
  type Future,
  sleep,
} from '../../src/index.js';
import { expectSiteIn } from './support.js';

/**
 * Design choice, pinned here: the loop holds its pending tasks strongly (asyncio keeps a weak set,
 * so a task nobody references can be garbage collected mid-flight, the top asyncio pitfall). A
 * task is therefore never lost; one that can never finish is reported when the loop closes.
 */
describe('tasks pending when the loop closes ("Task was destroyed but it is pending!")', () => {
  function setUp(debug: boolean): {
    loop: EventLoop;
    reports: ExceptionContext[];
    flush: () => void;
  } {
    const scheduler = virtualScheduler();
    const loop = new EventLoop(scheduler, { debug });
    const reports: ExceptionContext[] = [];
    loop.setExceptionHandler((_l, c) => {
      reports.push(c);
    });
    return { loop, reports, flush: () => scheduler.flush() };
  }

  function* waitForever(fut: Future<unknown>): Coroutine<void> {
    yield* fut;
  }

  it('reports a task stuck on a future that never completes, with the task', () => {
    const { loop, reports, flush } = setUp(false);
    const never = loop.createFuture<void>();
    loop.createTask(waitForever(never), { name: 'stuck' });
    flush();
    loop.close();
    const r = reports.filter((c) => c.message === 'Task was destroyed but it is pending!');
    expect(r.length).toBe(1);
    expect(r[0]?.task?.getName()).toBe('stuck');
    expect(String(r[0]?.task)).toContain('waiting on <Future pending>');
  });

  it('runs a task nobody keeps a reference to until it is done (the loop holds it)', () => {
    const { loop, reports, flush } = setUp(false);
    const log: number[] = [];
    loop.createTask(
      (function* () {
        yield* sleep(1000);
        log.push(loop.time());
      })(),
    );
    flush();
    loop.close();
    expect(log).toEqual([1000]);
    expect(reports).toEqual([]);
  });

  it('in debug mode, the default handler prints where the pending task was created', () => {
    const { loop, flush } = setUp(true);
    loop.setExceptionHandler(null);
    const never = loop.createFuture<void>();
    loop.createTask(waitForever(never), { name: 'stuck' });
    flush();
    const printed: string[] = [];
    spyOn(console, 'error').and.callFake((s: string) => {
      printed.push(s);
    });
    loop.close();
    expect(printed.length).toBe(1);
    expect(printed[0]).toContain('Task was destroyed but it is pending!');
    expect(printed[0]).toContain('task created at');
    expectSiteIn(printed[0], /task created at .*pendingTasks\.spec/);
  });
});
