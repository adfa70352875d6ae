import { asyncScheduler, of } from 'rxjs';
import { runVirtual } from '../../marbles/index.js';
import {
  awaitable,
  type CoroutineContext,
  type ExceptionContext,
  getRunningLoop,
  loopForScheduler,
  mergeCoroutine,
  sleep,
} from '../../src/index.js';
import { delayed, Log, operatorChecklist, STEPS, testScheduler } from './support.js';

operatorChecklist('mergeCoroutine', (project) => mergeCoroutine(project));

describe('mergeCoroutine', () => {
  it('runs every coroutine at once by default', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const out = cold('(abc|)').pipe(mergeCoroutine(delayed<string>(new Log(), 5)));
      expectObservable(out).toBe('-----(abc|)');
    });
  });

  it('keeps at most `concurrency` running; later values wait in order', () => {
    const log = new Log();
    testScheduler().run(({ cold, expectObservable }) => {
      const out = cold('(abc|)').pipe(mergeCoroutine(delayed<string>(log, 5), { concurrency: 2 }));
      expectObservable(out).toBe('-----(ab)-(c|)');
      expectObservable(log.lane('a')).toBe('s----f', STEPS);
      expectObservable(log.lane('b')).toBe('s----f', STEPS);
      expectObservable(log.lane('c')).toBe('-----s----f', STEPS);
    });
  });

  it('emits results in completion order, not source order', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const out = cold('(ab|)', { a: 3, b: 1 }).pipe(
        mergeCoroutine(function* (ms: number) {
          yield* sleep(ms);
          return ms;
        }),
      );
      expectObservable(out).toBe('-b-(a|)', { a: 3, b: 1 });
    });
  });

  it('ignores an emit kept and called after its coroutine has returned', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      let kept: ((v: string) => void) | undefined;
      const out = cold('ab|').pipe(
        mergeCoroutine(function* (x: string, ctx: CoroutineContext<string>) {
          if (x === 'a') {
            kept = ctx.emit;
            return 'a';
          }
          yield* sleep(3);
          kept?.('late');
          return 'b';
        }),
      );
      expectObservable(out).toBe('a---(b|)');
    });
  });

  it('rejects a bad concurrency at the call site', () => {
    const project = delayed<string>(new Log(), 1);
    expect(() => mergeCoroutine(project, { concurrency: 0 })).toThrowError(
      RangeError,
      /concurrency/,
    );
    expect(() => mergeCoroutine(project, { concurrency: 1.5 })).toThrowError(RangeError);
    expect(() => mergeCoroutine('nope' as never)).toThrowError(TypeError, /generator function/);
  });

  it('reports an error raised by a cleanup after unsubscribe to the loop exception handler', () => {
    const reports: ExceptionContext[] = [];
    testScheduler().run(({ cold, expectObservable }) => {
      loopForScheduler(asyncScheduler).setExceptionHandler((_loop, ctx) => {
        reports.push(ctx);
      });
      const out = cold('a|').pipe(
        mergeCoroutine(function* () {
          try {
            yield* sleep(10);
          } finally {
            yield* sleep(1);
            throw new Error('cleanup failed');
          }
        }),
      );
      expectObservable(out, '^-!').toBe('--');
    });
    expect(reports.map((r) => [r.message, (r.exception as Error).message])).toEqual([
      ['Exception in a coroutine of an unsubscribed pipeline', 'cleanup failed'],
    ]);
  });

  it('subscribed from inside a coroutine, runs its coroutines on that coroutine’s loop', () => {
    const r = runVirtual(
      (function* () {
        const outer = getRunningLoop();
        const loops = yield* awaitable(
          of(1, 2).pipe(
            mergeCoroutine(function* (n: number) {
              yield* sleep(n);
              return getRunningLoop() === outer;
            }),
          ),
        );
        return loops;
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: true });
    expect(r.time).toBe(2);
  });
});
