import { defer, finalize, interval, NEVER, Observable, of, Subject, take, throwError } from 'rxjs';
import { runVirtual } from '../../marbles/index.js';
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

/** Drains `obs` with iterate(), sleeping `workMs` per value; logs `value@time`. */
function* drain<T>(
  obs: Observable<T>,
  workMs: number,
  options?: IterateOptions,
): Coroutine<string[]> {
  const log: string[] = [];
  const it = iterate(obs, options);
  try {
    for (let r = yield* it.next(); !r.done; r = yield* it.next()) {
      log.push(`${String(r.value)}@${getRunningLoop().time()}`);
      if (workMs > 0) yield* sleep(workMs);
    }
    log.push(`done@${getRunningLoop().time()}`);
  } catch (e) {
    log.push(`${(e as Error).name}@${getRunningLoop().time()}`);
  } finally {
    it.close();
  }
  return log;
}

function ticks(n: number): Observable<number> {
  return interval(10, getRunningLoop().scheduler).pipe(take(n));
}

describe('iterate', () => {
  it('yields each value as it arrives, then done when the Observable completes', () => {
    const r = runVirtual(
      drain(
        defer(() => ticks(3)),
        0,
      ),
    );
    expect(r.outcome).toEqual({ ok: true, value: ['0@10', '1@20', '2@30', 'done@30'] });
  });

  it('buffers values while the consumer is busy: none is lost', () => {
    const r = runVirtual(
      drain(
        defer(() => ticks(3)),
        25,
      ),
    );
    expect(r.outcome).toEqual({ ok: true, value: ['0@10', '1@35', '2@60', 'done@85'] });
  });

  it('returns buffered values without suspending (synchronous source)', () => {
    const r = runVirtual(drain(of('a', 'b'), 0));
    expect(r.outcome).toEqual({ ok: true, value: ['a@0', 'b@0', 'done@0'] });
  });

  it('raises the Observable’s error after the values buffered before it', () => {
    const failing = new Observable<string>((s) => {
      s.next('a');
      s.next('b');
      s.error(new TypeError('bad'));
    });
    const r = runVirtual(drain(failing, 5));
    expect(r.outcome).toEqual({ ok: true, value: ['a@0', 'b@5', 'TypeError@10'] });
    const direct = runVirtual(
      drain(
        throwError(() => new RangeError('x')),
        0,
      ),
    );
    expect(direct.outcome).toEqual({ ok: true, value: ['RangeError@0'] });
  });

  it('overflow "error": unsubscribes, delivers the buffer, then raises BufferOverflowError', () => {
    let unsubscribedAt = -1;
    const r = runVirtual(
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
    expect(r.outcome).toEqual({
      ok: true,
      value: ['0@10', '1@45', '2@80', 'BufferOverflowError@115'],
    });
    expect(unsubscribedAt).toBe(40);
  });

  it('overflow "dropOldest" and "dropNewest" keep the newest or the oldest values', () => {
    const src = () => defer(() => ticks(5));
    const oldest = runVirtual(drain(src(), 45, { bufferSize: 1, overflow: 'dropOldest' }));
    expect(oldest.outcome).toEqual({ ok: true, value: ['0@10', '4@55', 'done@100'] });
    const newest = runVirtual(drain(src(), 45, { bufferSize: 1, overflow: 'dropNewest' }));
    expect(newest.outcome).toEqual({ ok: true, value: ['0@10', '1@55', 'done@100'] });
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
