import { from, type ObservableInput, type Subscription } from 'rxjs';
import { BufferOverflowError, isCancelledError, RuntimeError } from '../errors.js';
import { RingQueue } from '../internal/RingQueue.js';
import { type Coroutine, describe } from '../kernel/Awaitable.js';
import type { Future } from '../kernel/Future.js';
import { getRunningLoop } from '../kernel/runningLoop.js';

/** What {@link iterate} does with a value that arrives while its buffer is full. */
export type OverflowPolicy = 'error' | 'dropOldest' | 'dropNewest';

/** Options of {@link iterate}. */
export interface IterateOptions {
  /** How many values may wait for the consumer. Default `Infinity` (as `asyncio.Queue()`). */
  bufferSize?: number;
  /**
   * When the buffer is full: `'error'` (default) unsubscribes and, after the buffered values,
   * raises a `BufferOverflowError` in the consumer; `'dropOldest'` / `'dropNewest'` drop a value.
   */
  overflow?: OverflowPolicy;
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * An Observable's values, pulled one at a time by a coroutine: see {@link iterate}. `next()` is
 * `__anext__`, `close()` is `aclose()`.
 */
export class ObservableIterator<T> {
  private readonly buffer = new RingQueue<T>();
  private subscription: Subscription | null = null;
  private waiter: Future<IteratorResult<T, undefined>> | null = null;
  private started = false;
  private ended = false;
  private failure: { error: unknown } | null = null;

  constructor(
    private readonly input: ObservableInput<T>,
    private readonly bufferSize: number,
    private readonly overflow: OverflowPolicy,
  ) {}

  /**
   * Awaits the next value: `{ done: false, value }`, or `{ done: true }` once the Observable has
   * completed (or the iterator was closed) and the buffer is empty. A buffered value returns at
   * once, without suspending. The Observable is subscribed on the first call.
   *
   * @throws the Observable's error, or a `BufferOverflowError`, after the values buffered before it.
   * @throws {RuntimeError} if another `next()` of this iterator is still waiting.
   * @throws {CancelledError} if the awaiting task is cancelled: the iterator is then closed.
   */
  *next(): Coroutine<IteratorResult<T, undefined>> {
    if (!this.started) this.subscribe();
    if (this.waiter !== null) {
      throw new RuntimeError(
        `${this}.next(): another next() is still waiting; one consumer at a time (await each next() before the next one)`,
      );
    }
    if (this.buffer.size > 0) return { done: false, value: this.buffer.shift() };
    if (this.failure !== null) {
      const { error } = this.failure;
      this.failure = null;
      throw error;
    }
    if (this.ended) return DONE;
    const waiter = getRunningLoop().createFuture<IteratorResult<T, undefined>>();
    this.waiter = waiter;
    try {
      return yield* waiter;
    } catch (e) {
      if (isCancelledError(e) && waiter.cancelled()) this.close();
      throw e;
    } finally {
      this.waiter = null;
    }
  }

  /** Unsubscribes and drops the buffer; a waiting `next()` gets `{ done: true }`. Idempotent. */
  close(): void {
    this.started = true;
    this.ended = true;
    this.failure = null;
    this.buffer.clear();
    this.subscription?.unsubscribe();
    this.subscription = null;
    this.settle(DONE);
  }

  toString(): string {
    const state = this.ended ? 'ended' : this.started ? 'subscribed' : 'not started';
    return `<ObservableIterator ${state} buffered=${this.buffer.size}>`;
  }

  private subscribe(): void {
    this.started = true;
    const sub = from(this.input).subscribe({
      next: (v) => this.onValue(v),
      error: (e) => this.end({ error: e }),
      complete: () => this.end(null),
    });
    if (this.ended) sub.unsubscribe();
    else this.subscription = sub;
  }

  private onValue(value: T): void {
    if (this.ended) return;
    const waiter = this.waiter;
    if (waiter !== null && !waiter.done() && !waiter.getLoop().isClosed()) {
      waiter.setResult({ done: false, value });
      return;
    }
    if (this.buffer.size < this.bufferSize) {
      this.buffer.push(value);
    } else if (this.overflow === 'dropOldest') {
      this.buffer.shift();
      this.buffer.push(value);
    } else if (this.overflow === 'error') {
      const subscription = this.subscription;
      this.end({
        error: new BufferOverflowError(
          `iterate(): more than ${this.bufferSize} values waited for the consumer; raise bufferSize, choose overflow: 'dropOldest' or 'dropNewest', or consume faster`,
        ),
      });
      subscription?.unsubscribe();
    }
  }

  private end(failure: { error: unknown } | null): void {
    if (this.ended) return;
    this.ended = true;
    this.subscription = null;
    const waiter = this.waiter;
    if (failure === null) {
      this.settle(DONE);
    } else if (
      waiter !== null &&
      !waiter.done() &&
      !waiter.getLoop().isClosed() &&
      this.buffer.size === 0
    ) {
      waiter.setException(failure.error);
    } else {
      this.failure = failure;
    }
  }

  private settle(result: IteratorResult<T, undefined>): void {
    const waiter = this.waiter;
    if (waiter !== null && !waiter.done() && !waiter.getLoop().isClosed()) waiter.setResult(result);
  }
}

/**
 * Iterates an Observable (any `ObservableInput`) inside a coroutine: asyncio's `async for`. The
 * Observable is subscribed on the first `next()`; its values wait in a buffer until the
 * coroutine takes them, so none is lost while the coroutine is busy. An Observable pushes and
 * cannot be paused, so the bound is enforced by the `overflow` policy.
 *
 * Cancelling a coroutine waiting in `next()` closes the iterator (unsubscribes). A coroutine that
 * leaves the loop early (`break`, `return`, an error) should call `close()`, best in a `finally`.
 *
 * @throws {TypeError} for a bad `bufferSize` or `overflow`.
 * @see awaitable for a single (last or first) value.
 * @example
 * ```ts
 * import { iterate, run } from 'rx-asyncio';
 * import { interval, take } from 'rxjs';
 * run(function* () {
 *   const ticks = iterate(interval(100).pipe(take(3)));
 *   try {
 *     for (let r = yield* ticks.next(); !r.done; r = yield* ticks.next()) {
 *       console.log(r.value); // 0, 1, 2
 *     }
 *   } finally {
 *     ticks.close();
 *   }
 * }());
 * ```
 */
export function iterate<T>(
  input: ObservableInput<T>,
  options: IterateOptions = {},
): ObservableIterator<T> {
  const bufferSize = options.bufferSize ?? Number.POSITIVE_INFINITY;
  if (
    !(bufferSize >= 1) ||
    (bufferSize !== Number.POSITIVE_INFINITY && !Number.isInteger(bufferSize))
  ) {
    throw new RangeError(
      `iterate(input, { bufferSize }): expected a positive integer or Infinity, got ${describe(bufferSize)}`,
    );
  }
  const overflow = options.overflow ?? 'error';
  if (overflow !== 'error' && overflow !== 'dropOldest' && overflow !== 'dropNewest') {
    throw new TypeError(
      `iterate(input, { overflow }): expected 'error', 'dropOldest' or 'dropNewest', got ${describe(overflow)}`,
    );
  }
  if (input === null || (typeof input !== 'object' && typeof input !== 'function')) {
    throw new TypeError(
      `iterate(input): expected an Observable or ObservableInput, got ${describe(input)}`,
    );
  }
  return new ObservableIterator(input, bufferSize, overflow);
}
