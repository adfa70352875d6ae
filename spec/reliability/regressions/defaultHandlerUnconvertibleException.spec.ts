/**
 * Found by fault injection: the loop's default exception handler formatted the exception with
 * `String(exc)` / `exc.stack`, which throws for a null-prototype object or a throwing `stack`
 * getter. The report was then lost (replaced by "Exception while closing the loop" or "Internal
 * error in the event loop"), the rest of the iteration was skipped, and when a custom handler
 * threw such a value the exception escaped into the scheduler: `run()` never finished.
 */
import { createTask, getRunningLoop, sleep } from '../../../src/index.js';
import { runWithDefaultHandler } from '../support/runDefault.js';

function lines(spy: jasmine.Spy): string[] {
  return spy.calls.allArgs().map((args) => String(args[0]));
}

describe('regression: default exception handler and unconvertible exceptions', () => {
  let errorSpy: jasmine.Spy;
  beforeEach(() => {
    errorSpy = spyOn(console, 'error');
  });

  it('reports a null-prototype error that nobody retrieved as such', () => {
    const r = runWithDefaultHandler(
      (function* () {
        createTask(
          (function* () {
            throw Object.create(null);
          })(),
          { name: 'odd' },
        );
        yield* sleep(1);
        return 'ok';
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: 'ok' });
    expect(lines(errorSpy).length).toBe(1);
    expect(lines(errorSpy)[0]).toMatch(
      /^Task exception was never retrieved\ntask: <Task .*name="odd">/,
    );
  });

  it('reports a callback that throws a null-prototype object, and runs the rest of the iteration', () => {
    let later = false;
    const r = runWithDefaultHandler(
      (function* () {
        const loop = getRunningLoop();
        loop.callSoon(() => {
          throw Object.create(null);
        });
        loop.callSoon(() => {
          later = true;
        });
        yield* sleep(0);
        return later;
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: true });
    expect(lines(errorSpy)).toEqual([jasmine.stringMatching(/^Exception in callback/)]);
  });

  it('survives a custom handler that throws a null-prototype object: nothing escapes the loop', () => {
    const r = runWithDefaultHandler(
      (function* () {
        const loop = getRunningLoop();
        loop.setExceptionHandler(() => {
          throw Object.create(null);
        });
        loop.callSoon(() => {
          throw new Error('callback failed');
        });
        yield* sleep(1);
        return 'ok';
      })(),
    );
    expect(r.escaped).toBeUndefined();
    expect(r.outcome).toEqual({ ok: true, value: 'ok' });
    expect(r.runner.loop.isClosed()).toBe(true);
    const out = lines(errorSpy);
    expect(out[0]).toMatch(/^Unhandled error in exception handler/);
    expect(out[1]).toMatch(/^Exception in callback[\s\S]*callback failed/);
  });

  it('reports an error whose stack getter throws, with its name and message', () => {
    const e = new Error('boom');
    Object.defineProperty(e, 'stack', {
      get() {
        throw new Error('stack getter failed');
      },
    });
    const r = runWithDefaultHandler(
      (function* () {
        createTask(
          (function* () {
            throw e;
          })(),
        );
        yield* sleep(1);
      })(),
    );
    expect(r.outcome?.ok).toBe(true);
    expect(lines(errorSpy)).toEqual([
      jasmine.stringMatching(/^Task exception was never retrieved[\s\S]*boom/),
    ]);
  });
});
