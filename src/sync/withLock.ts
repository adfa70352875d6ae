import {
  type Awaitable,
  type Coroutine,
  describe,
  isAwaitable,
  type Suspend,
} from '../kernel/Awaitable.js';

/** Anything {@link withLock} can hold: a `Lock`, `Semaphore`, `BoundedSemaphore`, `Condition`. */
export interface Lockable {
  acquire(): Awaitable<unknown>;
  release(): void;
}

/**
 * Acquires `lock`, runs `body`, and releases the lock however the body ends: by returning, by
 * throwing, or by being cancelled (asyncio's `async with lock:`). Returns what the body returns.
 *
 * If the task is cancelled while waiting to acquire, the body never runs and nothing is released.
 * The body is a generator function (or any function returning an awaitable), called once the
 * lock is held. Works with `Lock`, `Semaphore`, `BoundedSemaphore` and `Condition`.
 *
 * @example
 * ```ts
 * import { Lock, run, sleep, withLock } from 'rx-asyncio';
 * const lock = new Lock();
 * let balance = 100;
 * function* withdraw(amount: number) {
 *   return yield* withLock(lock, function* () {
 *     const before = balance;
 *     yield* sleep(10); // other tasks run, but none enters this block
 *     balance = before - amount;
 *     return balance;
 *   });
 * }
 * run(withdraw(30));
 * ```
 * @throws {TypeError} at the call if `lock` has no `acquire`/`release` or `body` is not a
 * function; when awaited, if `body()` returns something that is not awaitable (the lock is
 * released first).
 * @see {@link Lock}, {@link Semaphore}, {@link Condition}
 */
export function withLock<R>(lock: Lockable, body: () => Awaitable<R>): Coroutine<R> {
  if (
    lock === null ||
    typeof lock !== 'object' ||
    typeof lock.acquire !== 'function' ||
    typeof lock.release !== 'function'
  ) {
    throw new TypeError(
      `withLock(lock, body): lock must have acquire() and release() (a Lock, Semaphore or Condition), got ${describe(lock)}`,
    );
  }
  if (typeof body !== 'function') {
    throw new TypeError(
      `withLock(lock, body): body must be a generator function, got ${describe(body)}`,
    );
  }
  return holding(lock, body);
}

function* holding<R>(lock: Lockable, body: () => Awaitable<R>): Generator<Suspend, R, unknown> {
  yield* lock.acquire();
  try {
    const aw = body();
    if (!isAwaitable(aw)) {
      throw new TypeError(
        `withLock(lock, body): body() returned ${describe(aw)}, not an awaitable; ` +
          'make body a generator function (function* () { ... })',
      );
    }
    return yield* aw;
  } finally {
    lock.release();
  }
}
