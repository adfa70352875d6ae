import { runVirtual } from '../../marbles/index.js';
import {
  CancelledError,
  type CancelOrigin,
  type Coroutine,
  createTask,
  currentTask,
  describeCancelOrigin,
  gather,
  getRunningLoop,
  sleep,
  type Task,
} from '../../src/index.js';
import { _cancelAs } from '../../src/kernel/cancelOrigin.js';
import { expectSiteIn } from '../diagnostics/support.js';
import { value } from '../support/outcome.js';

/** Runs `main` in virtual time; returns the CancelledError it returns (or fails). */
function caught(main: Coroutine<unknown>, options: { debug?: boolean } = {}): CancelledError {
  const r = runVirtual(main, options);
  if (r.outcome === undefined || !r.outcome.ok)
    throw new Error(`main failed: ${JSON.stringify(r.outcome)}`);
  const e = r.outcome.value;
  if (!(e instanceof CancelledError))
    throw new Error(`expected a CancelledError, got ${String(e)}`);
  return e;
}

function* nap(ms: number): Coroutine<void> {
  yield* sleep(ms);
}

function* awaitError(t: Task<unknown>): Coroutine<unknown> {
  try {
    yield* t;
  } catch (e) {
    return e;
  }
  return 'not cancelled';
}

/** The error of a task cancelled by `main` 1 ms into a long nap. */
function napCancelledAt1ms(options: { debug?: boolean } = {}): CancelledError {
  return caught(
    (function* main() {
      const child = createTask(nap(1000));
      yield* sleep(1);
      child.cancel();
      return yield* awaitError(child);
    })(),
    options,
  );
}

describe('cancellation provenance (CancelledError.origin)', () => {
  it('names the task that called cancel(), with its message, for a task suspended on a sleep', () => {
    const e = caught(
      (function* main() {
        const child = createTask(nap(1000), { name: 'child' });
        yield* sleep(10);
        child.cancel('enough');
        return yield* awaitError(child);
      })(),
    );
    expect(e.message).toBe('enough');
    expect(e.origin?.task?.getName()).toBe('main');
    expect(e.origin?.message).toBe('enough');
    expect(e.origin?.source).toBeUndefined();
    expect(e.origin?.site).toBeUndefined(); // no call site outside debug mode
    expect(describeCancelOrigin(e.origin)).toBe('by task "main" (msg: "enough")');
  });

  it('names the canceller when the task is cancelled before its first step', () => {
    let ran = false;
    const e = caught(
      (function* main() {
        const child = createTask(
          (function* () {
            ran = true;
          })(),
        );
        child.cancel();
        return yield* awaitError(child);
      })(),
    );
    expect(ran).toBeFalse();
    expect(e.origin?.task?.getName()).toBe('main');
    expect(e.origin?.message).toBeUndefined();
  });

  it('is seen by the cancelled coroutine itself, in its catch block', () => {
    let seen: string | undefined;
    runVirtual(
      (function* main() {
        const child = createTask(
          (function* () {
            try {
              yield* sleep(1000);
            } catch (e) {
              if (e instanceof CancelledError) seen = describeCancelOrigin(e.origin);
              throw e;
            }
          })(),
        );
        yield* sleep(5);
        const canceller = createTask(
          (function* () {
            child.cancel('from a sibling');
          })(),
          { name: 'sibling' },
        );
        yield* canceller;
        yield* awaitError(child);
      })(),
    );
    expect(seen).toBe('by task "sibling" (msg: "from a sibling")');
  });

  it('says "outside any task" for a cancel() from a plain callback or timer', () => {
    const e = caught(
      (function* main() {
        const child = createTask(nap(1000), { name: 'child' });
        getRunningLoop().callLater(20, () => child.cancel('timer'));
        return yield* awaitError(child);
      })(),
    );
    expect(e.origin?.task).toBeNull();
    expect(describeCancelOrigin(e.origin)).toBe(
      'outside any task (a callback or timer) (msg: "timer")',
    );
  });

  it('keeps the origin of a request made while the task was running (delivered at its next await)', () => {
    const e = caught(
      (function* main() {
        const child = createTask(
          (function* () {
            (currentTask() as Task<unknown>).cancel('self');
            yield* sleep(100);
          })(),
          { name: 'selfish' },
        );
        return yield* awaitError(child);
      })(),
    );
    expect(e.origin?.task?.getName()).toBe('selfish');
    expect(e.origin?.message).toBe('self');
  });

  it('travels through a chain of awaiting tasks (delegation)', () => {
    const e = caught(
      (function* main() {
        const inner = createTask(nap(1000), { name: 'inner' });
        const outer = createTask(
          (function* () {
            yield* inner;
          })(),
          { name: 'outer' },
        );
        yield* sleep(1);
        const killer = createTask(
          (function* () {
            outer.cancel('stop');
          })(),
          { name: 'killer' },
        );
        yield* killer;
        return yield* awaitError(outer);
      })(),
    );
    expect(e.origin?.task?.getName()).toBe('killer');
    expect(e.origin?.message).toBe('stop');
  });

  it('is recorded by Future.cancel too', () => {
    const e = caught(
      (function* main() {
        const fut = getRunningLoop().createFuture<number>();
        fut.cancel('no value');
        try {
          fut.result();
        } catch (err) {
          return err;
        }
      })(),
    );
    expect(e.origin?.task?.getName()).toBe('main');
    expect(e.origin?.message).toBe('no value');
  });

  it('carries a label when rx-asyncio machinery cancels on behalf of something (_cancelAs)', () => {
    const e = caught(
      (function* main() {
        const child = createTask(nap(1000), { name: 'child' });
        getRunningLoop().callLater(7, () => _cancelAs('timeout(7)', child, 'deadline'));
        return yield* awaitError(child);
      })(),
    );
    expect(e.origin?.source).toBe('timeout(7)');
    expect(describeCancelOrigin(e.origin)).toBe(
      'by timeout(7), outside any task (msg: "deadline")',
    );
  });

  it('records the call site of cancel() in debug mode', () => {
    const e = napCancelledAt1ms({ debug: true });
    expectSiteIn(e.origin?.site, /cancelOrigin\.spec/);
  });

  it('names the canceller of a sleep that was to return a value (the value is not the origin)', () => {
    const e = caught(
      (function* main() {
        const child = createTask(
          (function* () {
            yield* sleep(1000, 'the value');
          })(),
        );
        yield* sleep(1);
        child.cancel();
        return yield* awaitError(child);
      })(),
    );
    expect(e.origin?.task?.getName()).toBe('main');
    expect(e.origin?.message).toBeUndefined();
  });

  it('keeps a message of any type, and the origin, when read after gather', () => {
    const msg = { code: 5 };
    const v = value(
      (function* main() {
        const tasks = [createTask(nap(1000)), createTask(nap(1000))];
        yield* sleep(1);
        for (const t of tasks) t.cancel(msg);
        return yield* gather(tasks, { returnExceptions: true });
      })(),
    );
    for (const e of v as CancelledError[]) {
      expect(e).toBeInstanceOf(CancelledError);
      expect(e.args[0]).toBe(msg);
      expect(e.origin?.task?.getName()).toBe('main');
      expect(e.origin?.message).toBe('an object {code}');
    }
  });

  it('is built once, when first read: the same object on every read, before and after gather', () => {
    const v = value(
      (function* main() {
        let inside: CancelOrigin | undefined;
        const child = createTask(
          (function* () {
            try {
              yield* sleep(1000);
            } catch (e) {
              inside = (e as CancelledError).origin;
              throw e;
            }
          })(),
        );
        const unread = createTask(nap(1000));
        yield* sleep(1);
        child.cancel();
        unread.cancel();
        const [a, b] = (yield* gather([child, unread], { returnExceptions: true })) as unknown[];
        return { inside, a: a as CancelledError, b: b as CancelledError };
      })(),
    );
    expect(v.a.origin).toBe(v.inside as CancelOrigin);
    expect(v.a.origin).toBe(v.a.origin);
    expect(v.b.origin?.task?.getName()).toBe('main');
    expect(v.b.origin).toBe(v.b.origin);
    expect(describeCancelOrigin(v.b.origin)).toBe('by task "main"');
  });

  it('can be replaced: an origin set by hand wins over the recorded one', () => {
    const e = napCancelledAt1ms();
    const mine: CancelOrigin = { task: null, message: 'mine', source: 'test', site: undefined };
    e.origin = mine;
    expect(e.origin).toBe(mine);
    e.origin = undefined;
    expect(e.origin).toBeUndefined();
  });

  it('is absent on a CancelledError made by hand', () => {
    expect(new CancelledError('mine').origin).toBeUndefined();
    expect(describeCancelOrigin(undefined)).toBe('by unknown origin');
  });
});
