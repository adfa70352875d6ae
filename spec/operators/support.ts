// Shared by the coroutine-operator specs: a TestScheduler that asserts with jasmine, and the
// coroutine shapes of the RxJS operator checklist.
import { type OperatorFunction, ReplaySubject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import {
  CancelledError,
  type Coroutine,
  type CoroutineProject,
  getRunningLoop,
  sleep,
} from '../../src/index.js';

export function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => {
    expect(actual).toEqual(expected);
  });
}

/** The steps a spec coroutine marks, as marble letters. */
export const STEPS = { s: 'start', c: 'cancel', f: 'finally', w: 'swallow', l: 'late' } as const;
type Step = (typeof STEPS)[keyof typeof STEPS];

/**
 * What the operator's coroutines did: one marble lane per input value, for
 * `expectObservable(log.lane('a')).toBe('s--f', STEPS)` next to the operator's own output, the
 * way RxJS specs show side effects. Watch a lane before the run flushes (inside
 * `TestScheduler.run`); `lines` keeps every `step value@time` for checks of absence.
 */
export class Log {
  readonly lines: string[] = [];
  private readonly lanes = new Map<string, ReplaySubject<Step>>();

  add(step: Step, value: unknown): void {
    this.lines.push(`${step} ${String(value)}@${getRunningLoop().time()}`);
    this.lane(String(value)).next(step);
  }

  lane(value: string): ReplaySubject<Step> {
    let lane = this.lanes.get(value);
    if (lane === undefined) {
      lane = new ReplaySubject<Step>();
      this.lanes.set(value, lane);
    }
    return lane;
  }
}

/** Sleeps `ms`, returns `value`; logs start, cancellation, and the end of an async cleanup. */
export function delayed<T>(log: Log, ms: number, cleanupMs = 0): (value: T) => Coroutine<T> {
  return function* (value: T) {
    log.add('start', value);
    try {
      yield* sleep(ms);
      return value;
    } catch (e) {
      if (e instanceof CancelledError) log.add('cancel', value);
      throw e;
    } finally {
      if (cleanupMs > 0) yield* sleep(cleanupMs);
      log.add('finally', value);
    }
  };
}

/** Swallows its cancellation, then returns `late` after `afterMs` more. */
export function swallowing<T>(log: Log, ms: number, afterMs: number, late: T) {
  return function* (value: T): Coroutine<T> {
    try {
      yield* sleep(ms);
      return value;
    } catch (e) {
      if (!(e instanceof CancelledError)) throw e;
      log.add('swallow', value);
    }
    yield* sleep(afterMs);
    log.add('late', value);
    return late;
  };
}

/** Throws `error` after `ms` for `bad`; otherwise sleeps `ms` and returns the value. */
export function throwingFor<T>(bad: T, ms: number, error: Error) {
  return function* (value: T): Coroutine<T> {
    yield* sleep(ms);
    if (value === bad) throw error;
    return value;
  };
}

type CoroutineOperator = <T, R>(project: CoroutineProject<T, R>) => OperatorFunction<T, R>;

/**
 * The RxJS operator checklist, for a coroutine operator: never, empty, one value, many, error,
 * never-ending, early unsubscribe, a coroutine that throws, one that swallows its cancellation.
 * Values are spaced so that no two coroutines overlap: every policy gives the same output.
 */
export function operatorChecklist(name: string, op: CoroutineOperator): void {
  describe(`${name}: the RxJS operator checklist`, () => {
    let log: Log;
    beforeEach(() => {
      log = new Log();
    });

    it('never: emits nothing and starts nothing', () => {
      testScheduler().run(({ cold, expectObservable }) => {
        expectObservable(cold('-').pipe(op(delayed<string>(log, 3)))).toBe('-');
      });
      expect(log.lines).toEqual([]);
    });

    it('empty: completes at once', () => {
      testScheduler().run(({ cold, expectObservable }) => {
        expectObservable(cold('|').pipe(op(delayed<string>(log, 3)))).toBe('|');
      });
      expect(log.lines).toEqual([]);
    });

    it('one value: emits the return value, then completes once the coroutine returned', () => {
      testScheduler().run(({ cold, expectObservable }) => {
        expectObservable(cold('a|').pipe(op(delayed<string>(log, 3)))).toBe('---(a|)');
        expectObservable(log.lane('a')).toBe('s--f', STEPS);
      });
    });

    it('many values: one coroutine each, in order', () => {
      testScheduler().run(({ cold, expectObservable }) => {
        const out = cold('a----b----c|').pipe(op(delayed<string>(log, 3)));
        expectObservable(out).toBe('---a----b----(c|)');
      });
    });

    it('source error: errors the output and cancels the running coroutine', () => {
      testScheduler().run(({ cold, expectObservable }) => {
        expectObservable(cold('a-#').pipe(op(delayed<string>(log, 3)))).toBe('--#');
        expectObservable(log.lane('a')).toBe('s-(cf)', STEPS);
      });
    });

    it('never-ending source: emits without completing', () => {
      testScheduler().run(({ cold, expectObservable }) => {
        expectObservable(cold('a----b---').pipe(op(delayed<string>(log, 3)))).toBe('---a----b-');
      });
    });

    it('early unsubscribe: cancels the running coroutine, whose finally runs', () => {
      testScheduler().run(({ cold, expectObservable }) => {
        const out = cold('a----b----|').pipe(op(delayed<string>(log, 3, 1)));
        expectObservable(out, '^------!').toBe('----a--');
        expectObservable(log.lane('a')).toBe('s---f---', STEPS);
        expectObservable(log.lane('b')).toBe('-----s-cf', STEPS);
      });
    });

    it('a coroutine that throws: errors the output; later values start nothing', () => {
      const boom = new Error('boom');
      testScheduler().run(({ cold, expectObservable }) => {
        const out = cold('a----b----c|').pipe(op(throwingFor('b', 1, boom)));
        expectObservable(out).toBe('-a----#', undefined, boom);
      });
    });

    it('a project that returns no coroutine: errors the output with a TypeError', () => {
      testScheduler().run(({ cold, expectObservable }) => {
        const notAGenerator = ((x: string) => x) as unknown as () => Coroutine<string>;
        const out = cold('a|').pipe(op(notAGenerator));
        expectObservable(out).toBe(
          '#',
          undefined,
          new TypeError(
            `${name}(project): project returned "a", not a coroutine; make it a generator function: function* (value, ctx) { ... }`,
          ),
        );
      });
    });

    it('a coroutine that swallows its cancellation: runs on after unsubscribe, emits nothing', () => {
      testScheduler().run(({ cold, expectObservable }) => {
        const out = cold('a|').pipe(op(swallowing(log, 5, 3, 'late')));
        expectObservable(out, '^--!').toBe('---');
        expectObservable(log.lane('a')).toBe('---w--l', STEPS);
      });
    });

    it('ctx.emit: a coroutine produces values along the way, then its return value', () => {
      testScheduler().run(({ cold, expectObservable }) => {
        const out = cold('a---b|').pipe(
          op(function* (x: string, ctx: { emit(v: string): void; index: number }) {
            ctx.emit(`${x}${ctx.index}`);
            yield* sleep(2);
            ctx.emit(`${x}!`);
            return undefined;
          }),
        );
        expectObservable(out).toBe('x-y-z-(w|)', { x: 'a0', y: 'a!', z: 'b1', w: 'b!' });
      });
    });

    it('a coroutine that ends cancelled by someone else: errors the output with CancelledError', () => {
      testScheduler().run(({ cold, expectObservable }) => {
        const out = cold('a|').pipe(
          op(function* () {
            const loop = getRunningLoop();
            const fut = loop.createFuture<string>();
            loop.callLater(2, () => fut.cancel('not by the operator'));
            return yield* fut;
          }),
        );
        expectObservable(out).toBe('--#', undefined, new CancelledError('not by the operator'));
      });
    });
  });
}
