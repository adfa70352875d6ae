import { virtualScheduler } from '../../marbles/index.js';
import {
  Context,
  ContextVar,
  type Coroutine,
  createTask,
  eagerTaskFactory,
  Runner,
  sleep,
} from '../../src/index.js';

// asyncio's Runner keeps one context for all its runs (test_runners.py's test_run_keeps_context),
// and Runner.run(coro, context=) runs main in another one.

const v = new ContextVar<string>('v', { default: 'unset' });

function* setTo(x: string): Coroutine<string> {
  yield* sleep(1);
  v.set(x);
  return v.get();
}

function* read(): Coroutine<string> {
  yield* sleep(1);
  return v.get();
}

describe('Runner and context variables', () => {
  it("runs every main in the runner's own context: a value one run sets, the next sees", async () => {
    const scheduler = virtualScheduler();
    const runner = new Runner({ scheduler });
    const first = runner.run(setTo('from the first run'));
    scheduler.flush();
    await first;
    const second = runner.run(read());
    scheduler.flush();
    expect(await second).toBe('from the first run');
    expect(v.get()).toBe('unset'); // the caller's context is untouched
    const closed = runner.close();
    scheduler.flush();
    await closed;
  });

  it('run(main, { context }) runs main in that context instead', async () => {
    const scheduler = virtualScheduler();
    const runner = new Runner({ scheduler });
    const ctx = new Context();
    const p = runner.run(setTo('in ctx'), { context: ctx });
    scheduler.flush();
    await p;
    expect(ctx.get(v)).toBe('in ctx');
    const after = runner.run(read());
    scheduler.flush();
    expect(await after).toBe('unset');
    const closed = runner.close();
    scheduler.flush();
    await closed;
  });

  it('new Runner({ eagerTasks: true }) starts the tasks of its mains eagerly', async () => {
    const scheduler = virtualScheduler();
    const runner = new Runner({ scheduler, eagerTasks: true });
    expect(runner.getLoop().getTaskFactory()).toBe(eagerTaskFactory);
    const p = runner.run(
      (function* () {
        const t = createTask(
          // a child that finishes without suspending
          (function* (): Coroutine<string> {
            return 'eager';
          })(),
        );
        return [t.done(), yield* t];
      })(),
    );
    scheduler.flush();
    expect(await p).toEqual([true, 'eager']);
    const closed = runner.close();
    scheduler.flush();
    await closed;
  });
});
