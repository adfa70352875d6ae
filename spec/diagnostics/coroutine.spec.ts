import { runVirtual } from '../../marbles/index.js';
import {
  type Coroutine,
  coroutine,
  createTask,
  type ExceptionContext,
  sleep,
} from '../../src/index.js';
import { expectSiteIn } from './support.js';

function* fetchUserImpl(id: number): Coroutine<{ id: number }> {
  yield* sleep(10);
  return { id };
}
const fetchUser = coroutine(fetchUserImpl);

function neverAwaited(reports: ExceptionContext[]): ExceptionContext[] {
  return reports.filter((r) => r.message.includes('was never awaited'));
}

describe('debug mode: coroutines never awaited (coroutine wrapper)', () => {
  it('reports one that was created and dropped, with its name and creation site, when the loop closes', () => {
    const r = runVirtual(
      (function* main() {
        fetchUser(1); // the forgotten yield*
        return yield* fetchUser(2);
      })(),
      { debug: true },
    );
    expect(r.outcome).toEqual({ ok: true, value: { id: 2 } });
    const reports = neverAwaited(r.reports);
    expect(reports.length).toBe(1);
    expect(reports[0]?.coroutineName).toBe(fetchUserImpl.name);
    expectSiteIn(reports[0]?.createdAt, /coroutine\.spec/);
    expect(reports[0]?.message).toContain(`coroutine "${fetchUserImpl.name}" was never awaited`);
  });

  it('does not report coroutines awaited, scheduled as tasks, or closed by hand', () => {
    const r = runVirtual(
      (function* main() {
        yield* fetchUser(1);
        const t = createTask(fetchUser(2));
        fetchUser(3).return({ id: 3 });
        yield* t;
      })(),
      { debug: true },
    );
    expect(neverAwaited(r.reports)).toEqual([]);
  });

  it('does not report a task cancelled before its first step (its coroutine is closed)', () => {
    const r = runVirtual(
      (function* main() {
        const t = createTask(fetchUser(1));
        t.cancel();
        yield* sleep(1);
      })(),
      { debug: true },
    );
    expect(neverAwaited(r.reports)).toEqual([]);
  });

  it('watches nothing outside debug mode, and keeps the wrapped function transparent', () => {
    const r = runVirtual(
      (function* main() {
        fetchUser(1);
        return yield* fetchUser(5);
      })(),
    );
    expect(neverAwaited(r.reports)).toEqual([]);
    expect(r.outcome).toEqual({ ok: true, value: { id: 5 } });
    expect(fetchUser.name).toBe(fetchUserImpl.name);
  });

  it('passes `this` and the arguments through', () => {
    const obj = {
      base: 40,
      add: coroutine(function* (this: { base: number }, n: number): Coroutine<number> {
        yield* sleep(1);
        return this.base + n;
      }),
    };
    const r = runVirtual(obj.add(2), { debug: true });
    expect(r.outcome).toEqual({ ok: true, value: 42 });
  });

  it('rejects a non-function', () => {
    expect(() => coroutine(42 as never)).toThrowError(TypeError);
  });
});
