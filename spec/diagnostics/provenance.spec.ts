import { Subject } from 'rxjs';
import { runVirtual } from '../../marbles/index.js';
import {
  type Awaitable,
  CancelledError,
  type Coroutine,
  createTask,
  describeCancelOrigin,
  ExceptionGroup,
  sleep,
  switchCoroutine,
  TimeoutError,
  taskGroup,
  timeout,
  waitFor,
} from '../../src/index.js';
import { expectSiteIn } from './support.js';

/**
 * Provenance through rx-asyncio's own machinery. Each records, on the CancelledError its victim sees:
 * who was running when cancel() was called (a timer callback is "outside any task"), the message,
 * and in debug mode the call site, which names the machinery's own module.
 */
describe('cancellation provenance through waitFor, timeout, TaskGroup and switchCoroutine', () => {
  /** A coroutine that records the CancelledError it gets, then re-throws it. */
  function* victim(ms: number, seen: CancelledError[]): Coroutine<string> {
    try {
      yield* sleep(ms);
      return 'finished';
    } catch (e) {
      if (e instanceof CancelledError) seen.push(e);
      throw e;
    }
  }

  /** A group of `victim` "sibling" and a child "failing" that throws after 10 ms. */
  function groupWithFailingChild(seen: CancelledError[]): Awaitable<void> {
    return taskGroup(function* (tg) {
      tg.createTask(victim(1000, seen), { name: 'sibling' });
      tg.createTask(
        (function* () {
          yield* sleep(10);
          throw new RangeError('child failed');
        })(),
        { name: 'failing' },
      );
    });
  }

  it('timeout: the TimeoutError cause and the body see the cancellation from the deadline timer', () => {
    const seen: CancelledError[] = [];
    const r = runVirtual(
      (function* main() {
        try {
          yield* timeout(100, () => victim(1000, seen));
        } catch (e) {
          return e;
        }
      })(),
      { debug: true },
    );
    const err = r.outcome?.ok ? r.outcome.value : undefined;
    expect(err).toBeInstanceOf(TimeoutError);
    const cause = (err as TimeoutError).cause as CancelledError;
    expect(cause).toBeInstanceOf(CancelledError);
    expect(seen).toEqual([cause]);
    expect(cause.origin?.task).toBeNull(); // the deadline's timer, not a task
    expectSiteIn(cause.origin?.site, /[\\/]timing[\\/]timeout\.ts/);
    expect(describeCancelOrigin(cause.origin)).toContain('outside any task');
    expect(cause.origin?.source).toBe('timeout (deadline at loop time 100)');
  });

  it('timeout and TaskGroup name themselves as the source outside debug mode too', () => {
    const seen: CancelledError[] = [];
    runVirtual(
      (function* main() {
        try {
          yield* timeout(100, () => victim(1000, seen));
        } catch {
          // the TimeoutError
        }
        try {
          yield* groupWithFailingChild(seen);
        } catch {
          // the ExceptionGroup
        }
      })(),
    );
    expect(seen.map((e) => describeCancelOrigin(e.origin))).toEqual([
      'by timeout (deadline at loop time 100), outside any task',
      'by TaskGroup (child "failing" failed), outside any task',
    ]);
    expect(seen.map((e) => e.origin?.site)).toEqual([undefined, undefined]);
  });

  it('waitFor: the awaited work sees the cancellation from the time limit', () => {
    const seen: CancelledError[] = [];
    const r = runVirtual(
      (function* main() {
        try {
          yield* waitFor(victim(1000, seen), 50);
        } catch (e) {
          return e;
        }
      })(),
      { debug: true },
    );
    expect(r.outcome?.ok && r.outcome.value).toBeInstanceOf(TimeoutError);
    expect(seen.length).toBe(1);
    expect(seen[0]?.origin?.task).toBeNull();
    expectSiteIn(seen[0]?.origin?.site, /timeout\.ts|waitFor\.ts/);
  });

  it('waitFor(…, 0): the work is cancelled by the task that called waitFor', () => {
    const seen: CancelledError[] = [];
    const r = runVirtual(
      (function* main() {
        try {
          yield* waitFor(victim(1000, seen), 0);
        } catch (e) {
          return e;
        }
      })(),
    );
    const err = r.outcome?.ok ? (r.outcome.value as TimeoutError) : undefined;
    expect(err).toBeInstanceOf(TimeoutError);
    const cause = err?.cause as CancelledError;
    expect(cause.origin?.task?.getName()).toBe('main');
  });

  it('TaskGroup: a failing child makes the group cancel its siblings; the site names TaskGroup', () => {
    const seen: CancelledError[] = [];
    const r = runVirtual(
      (function* main() {
        try {
          yield* groupWithFailingChild(seen);
        } catch (e) {
          return e;
        }
      })(),
      { debug: true },
    );
    expect(r.outcome?.ok && r.outcome.value).toBeInstanceOf(ExceptionGroup);
    expect(seen.length).toBe(1);
    const origin = seen[0]?.origin;
    expectSiteIn(origin?.site, /[\\/]tasks[\\/]TaskGroup\.ts/);
    // The group reacts in the failing child's done callback: no task is running then.
    expect(origin?.task).toBeNull();
    expect(origin?.source).toBe('TaskGroup (child "failing" failed)');
  });

  it('TaskGroup: cancelling the parent reaches the children with the parent canceller', () => {
    const seen: CancelledError[] = [];
    runVirtual(
      (function* main() {
        const parent = createTask(
          (function* () {
            yield* taskGroup(function* (tg) {
              tg.createTask(victim(1000, seen), { name: 'child' });
            });
          })(),
          { name: 'parent' },
        );
        yield* sleep(10);
        parent.cancel('shutting down');
        try {
          yield* parent;
        } catch {
          // expected
        }
      })(),
    );
    expect(seen.length).toBe(1);
    // main cancelled the parent, whose group then cancelled the child from the parent's step.
    expect(seen[0]?.origin?.task?.getName()).toBe('parent');
  });

  it('switchCoroutine: the switched-away coroutine is told why, and by whom', () => {
    const seen: CancelledError[] = [];
    const out: string[] = [];
    runVirtual(
      (function* main() {
        const source = new Subject<number>();
        source.pipe(switchCoroutine((n: number) => victim(100 * n, seen))).subscribe((v) => {
          out.push(v);
        });
        source.next(1);
        yield* sleep(10);
        source.next(2);
        yield* sleep(500);
        source.complete();
      })(),
    );
    expect(out).toEqual(['finished']);
    expect(seen.length).toBe(1);
    expect(seen[0]?.message).toBe('switched to a newer value');
    expect(seen[0]?.origin?.task?.getName()).toBe('main'); // main pushed the new value
    expect(describeCancelOrigin(seen[0]?.origin)).toBe(
      'by task "main" (msg: "switched to a newer value")',
    );
  });
});
