import { Queue, type QueueOptions } from './Queue.js';
import type { Store } from './Store.js';

/** @internal A stack. */
class LifoStore<T> implements Store<T> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  put(item: T): void {
    this.items.push(item);
  }

  take(): T {
    return this.items.pop() as T;
  }

  unget(item: T): void {
    this.items.unshift(item); // the oldest item sits at the bottom (rare path: a cancelled getter)
  }
}

/**
 * A last-in, first-out {@link Queue} (asyncio's `LifoQueue`): `get` returns the item put most
 * recently. Everything else (bounds, fairness among waiters, cancellation, `taskDone`/`join`,
 * `shutdown`) is as for {@link Queue}.
 *
 * @example
 * ```ts
 * import { LifoQueue } from 'rx-asyncio';
 * const stack = new LifoQueue<number>();
 * stack.putNowait(1);
 * stack.putNowait(2);
 * console.log(stack.getNowait()); // 2
 * ```
 * @throws {TypeError} / {RangeError} if `maxsize` is not an integer >= 0.
 */
export class LifoQueue<T> extends Queue<T> {
  /** @internal See displayName.ts. */
  static override readonly _displayName: string = 'LifoQueue';
  constructor(options: number | QueueOptions = {}) {
    super(options);
    this._store = new LifoStore<T>();
  }
}
