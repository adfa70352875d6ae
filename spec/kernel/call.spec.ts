import { runVirtual } from '../../marbles/index.js';
import {
  CancelledError,
  type Coroutine,
  call,
  createTask,
  currentTask,
  getRunningLoop,
  sleep,
} from '../../src/index.js';
import { value } from '../support/outcome.js';

function* depth(n: number): Coroutine<number> {
  return n === 0 ? 0 : 1 + (yield* call(depth(n - 1)));
}

describe('call', () => {
  it('gives what yield* child() gives, in the same task', () => {
    const v = value(
      (function* () {
        const me = currentTask();
        const inner = yield* call(
          (function* () {
            yield* sleep(10);
            return { same: currentTask() === me, at: getRunningLoop().time() };
          })(),
        );
        return inner;
      })(),
    );
    expect(v).toEqual({ same: true, at: 10 });
  });

  it('costs no loop iteration (like an inline yield*)', () => {
    const order = value(
      (function* () {
        const order: string[] = [];
        getRunningLoop().callSoon(() => order.push('next iteration'));
        const r = yield* call(
          (function* () {
            return 'child done';
          })(),
        );
        order.push(r);
        yield* sleep(0);
        return order;
      })(),
    );
    expect(order).toEqual(['child done', 'next iteration']);
  });

  it('recurses 100,000 levels deep without growing the native stack', () => {
    expect(value(depth(100_000))).toBe(100_000);
  });

  it('rejects: an error thrown in a child is thrown into its parent at the yield*', () => {
    const v = value(
      (function* () {
        try {
          yield* call(
            (function* () {
              yield* call(
                (function* () {
                  yield* sleep(1);
                  throw new RangeError('deep failure');
                })(),
              );
            })(),
          );
          return 'no error';
        } catch (e) {
          return `${(e as Error).name}: ${(e as Error).message}`;
        }
      })(),
    );
    expect(v).toBe('RangeError: deep failure');
  });

  it('cancelled while suspended deep inside: CancelledError at the innermost, every finally runs', () => {
    const log: string[] = [];
    function* level(n: number): Coroutine<void> {
      try {
        if (n === 0) yield* sleep(1000);
        else yield* call(level(n - 1));
      } finally {
        log.push(`finally ${n}`);
      }
    }
    const v = value(
      (function* () {
        const t = createTask(level(2));
        yield* sleep(5);
        t.cancel('stop');
        try {
          yield* t;
        } catch (e) {
          return e instanceof CancelledError && t.cancelled();
        }
        return false;
      })(),
    );
    expect(v).toBeTrue();
    expect(log).toEqual(['finally 0', 'finally 1', 'finally 2']);
  });

  it('never settles when the child never does', () => {
    const r = runVirtual(
      (function* () {
        yield* call(
          (function* () {
            yield* getRunningLoop().createFuture<void>();
          })(),
        );
      })(),
    );
    expect(r.outcome).toBeUndefined();
  });

  it('refuses a non-coroutine with advice', () => {
    expect(() => call(depth as never)).toThrowError(TypeError, /call it, call\(depth\w*\(\)\)/);
    expect(() => call(5 as never)).toThrowError(TypeError);
  });
});
