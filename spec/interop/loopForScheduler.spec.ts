import { asyncScheduler, queueScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { runVirtual, virtualScheduler } from '../../marbles/index.js';
import { allTasks, EventLoop, getRunningLoop, loopForScheduler, sleep } from '../../src/index.js';

describe('loopForScheduler', () => {
  it('gives one loop per scheduler while it has work, and a fresh one once it was idle', () => {
    const scheduler = virtualScheduler();
    const loop = loopForScheduler(scheduler);
    expect(loop).toBeInstanceOf(EventLoop);
    expect(loop.scheduler).toBe(scheduler);
    expect(loopForScheduler(scheduler)).toBe(loop);
    expect(loopForScheduler(queueScheduler)).not.toBe(loop);
    const task = loop.createTask(
      (function* () {
        yield* sleep(5);
      })(),
    );
    scheduler.flush();
    expect(task.done()).toBeTrue();
    expect(loopForScheduler(scheduler)).toBe(loop); // nobody released it: still the same
    loop.close();
    expect(loopForScheduler(scheduler)).not.toBe(loop); // a closed loop is replaced
  });

  it('defaults to the running loop inside a coroutine, else to asyncScheduler’s loop', () => {
    const r = runVirtual(
      (function* () {
        yield* sleep(0);
        return loopForScheduler() === getRunningLoop();
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: true });
    expect(loopForScheduler().scheduler).toBe(asyncScheduler);
  });

  it('rejects something that is not a scheduler', () => {
    expect(() => loopForScheduler({} as never)).toThrowError(TypeError, /SchedulerLike/);
  });
});

describe('loopForScheduler and TestScheduler.run', () => {
  it('gives each run its own asyncScheduler loop: a task left pending does not leak into the next', () => {
    let first: EventLoop | undefined;
    new TestScheduler(() => {}).run(() => {
      first = loopForScheduler(asyncScheduler);
      const loop = first;
      loop.createTask(
        (function* () {
          yield* loop.createFuture<void>(); // never resolved: the task stays pending
        })(),
      );
    });
    expect(allTasks(first).size).toBe(1);
    new TestScheduler(() => {}).run(() => {
      const second = loopForScheduler(asyncScheduler);
      expect(second).not.toBe(first as EventLoop);
      expect(allTasks(second).size).toBe(0);
    });
  });
});
