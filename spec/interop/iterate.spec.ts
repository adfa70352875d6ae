import { defer, finalize, interval, NEVER, Observable, of, Subject, take, throwError } from 'rxjs';
import { expectTimeline, record, runVirtual, type Timeline } from '../../marbles/index.js';
import {
  BufferOverflowError,
  type Coroutine,
  createTask,
  getRunningLoop,
  type IterateOptions,
  isCancelledError,
  iterate,
  RuntimeError,
  sleep,
} from '../../src/index.js';

/**
 * Drains `obs` with iterate(), sleeping `workMs` per value; emits each value, then prints `done` or the
 * error's name, so the consumer's lane is a marble diagram.
 */
function drain<T>(obs: Observable<T>, workMs: number, options?: IterateOptions) {
  return (tl: Timeline): Coroutine<void> =>
    (function* () {
      const it = iterate(obs, options);
      try {
        for (let r = yield* it.next(); !r.done; r = yield* it.next()) {
          tl.emit(r.value);
          if (workMs > 0) yield* sleep(workMs);
        }
        tl.print('done');
      } catch (e) {
        tl.print((e as Error).name);
      } finally {
        it.close();
      }
    })();
}

function ticks(n: number): Observable<number> {
  return interval(10, getRunningLoop().scheduler).pipe(take(n));
}

/** Letters for the values of `ticks` and for how the drain ended. */
const V = { a: 0, b: 1, c: 2, e: 4, d: 'done' };

describe('iterate', () => {
  // The consumer's lane (main) as a marble diagram; ticks(n) emits at 10, 20, 30 ... ms.
  it('yields each value as it arrives, then done when the Observable completes', () => {
    const { timeline } = record(
      drain(
        defer(() => ticks(3)),
        0,
      ),
    );
    expectTimeline(timeline, { main: '10ms a 9ms b 9ms (cd|)' }, V);
  });

  it('buffers values while the consumer is busy: none is lost', () => {
    // Each value takes the consumer 25 ms: 1 and 2 wait in the buffer.
    const { timeline } = record(
      drain(
        defer(() => ticks(3)),
        25,
      ),
    );
    expectTimeline(timeline, { main: '10ms a 24ms b 24ms c 24ms (d|)' }, V);
  });

  it('returns buffered values without suspending (synchronous source)', () => {
    const { timeline } = record(drain(of('a', 'b'), 0));
    expectTimeline(timeline, { main: '(abd|)' }, { a: 'a', b: 'b', d: 'done' });
  });

  it('raises the Observable’s error after the values buffered before it', () => {
    const failing = new Observable<string>((s) => {
      s.next('a');
      s.next('b');
      s.error(new TypeError('bad'));
    });
    const { timeline } = record(drain(failing, 5));
    expectTimeline(timeline, { main: 'a----b----(t|)' }, { a: 'a', b: 'b', t: 'TypeError' });
    const direct = record(
      drain(
        throwError(() => new RangeError('x')),
        0,
      ),
    );
    expectTimeline(direct.timeline, { main: '(r|)' }, { r: 'RangeError' });
  });

  it('overflow "error": unsubscribes, delivers the buffer, then raises BufferOverflowError', () => {
    let unsubscribedAt = -1;
    const { timeline } = record(
      drain(
        defer(() => {
          const loop = getRunningLoop();
          return ticks(10).pipe(finalize(() => (unsubscribedAt = loop.time())));
        }),
        35,
        { bufferSize: 2 },
      ),
    );
    // 0 is taken at 10; 1, 2 fill the buffer; 3 (at 40) overflows.
    expectTimeline(
      timeline,
      { main: '10ms a 34ms b 34ms c 34ms (o|)' },
      { ...V, o: 'BufferOverflowError' },
    );
    expect(unsubscribedAt).toBe(40);
  });

  it('overflow "dropOldest" and "dropNewest" keep the newest or the oldest values', () => {
    const src = () => defer(() => ticks(5));
    const oldest = record(drain(src(), 45, { bufferSize: 1, overflow: 'dropOldest' }));
    expectTimeline(oldest.timeline, { main: '10ms a 44ms e 44ms (d|)' }, V);
    const newest = record(drain(src(), 45, { bufferSize: 1, overflow: 'dropNewest' }));
    expectTimeline(newest.timeline, { main: '10ms a 44ms b 44ms (d|)' }, V);
  });

  it('never: a consumer waits until cancelled; cancelling it unsubscribes', () => {
    let unsubscribedAt = -1;
    const r = runVirtual(
      (function* () {
        const loop = getRunningLoop();
        const it = iterate(NEVER.pipe(finalize(() => (unsubscribedAt = loop.time()))));
        const consumer = createTask(it.next());
        yield* sleep(50);
        consumer.cancel();
        try {
          yield* consumer;
        } catch (e) {
          return [isCancelledError(e), String(it)];
        }
        return 'not cancelled';
      })(),
    );
    expect(r.outcome).toEqual({
      ok: true,
      value: [true, '<ObservableIterator ended buffered=0>'],
    });
    expect(unsubscribedAt).toBe(50);
  });

  it('close() ends a waiting next() with done and unsubscribes', () => {
    const r = runVirtual(
      (function* () {
        const subject = new Subject<number>();
        const it = iterate(subject);
        getRunningLoop().callLater(20, () => it.close());
        const first = yield* it.next();
        return [first, subject.observed];
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: [{ done: true, value: undefined }, false] });
  });

  it('refuses two concurrent next() calls', () => {
    const r = runVirtual(
      (function* () {
        const it = iterate(NEVER);
        const first = createTask(it.next());
        yield* sleep(1);
        try {
          yield* it.next();
        } catch (e) {
          first.cancel();
          return e instanceof RuntimeError && /still waiting/.test((e as Error).message);
        }
        return false;
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: true });
  });

  it('subscribes lazily, on the first next()', () => {
    let subscribed = false;
    const r = runVirtual(
      (function* () {
        const it = iterate(
          new Observable<number>((s) => {
            subscribed = true;
            s.next(1);
            s.complete();
          }),
        );
        const before = subscribed;
        const v = yield* it.next();
        return [before, v.value];
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: [false, 1] });
  });

  it('rejects bad options and inputs at the call site', () => {
    expect(() => iterate(of(1), { bufferSize: 0 })).toThrowError(RangeError, /bufferSize/);
    expect(() => iterate(of(1), { overflow: 'block' as never })).toThrowError(
      TypeError,
      /overflow/,
    );
    expect(() => iterate(42 as never)).toThrowError(TypeError, /Observable/);
  });

  it('exports BufferOverflowError as a RuntimeError', () => {
    expect(new BufferOverflowError('x')).toBeInstanceOf(RuntimeError);
  });
});
