import { describe } from '../kernel/Awaitable.js';
import { checkOrderable, compareItems } from './compareItems.js';
import { Queue, type QueueOptions } from './Queue.js';
import type { Store } from './Store.js';

/** Options of {@link PriorityQueue}. */
export interface PriorityQueueOptions<T> extends QueueOptions {
  /**
   * Orders items: negative if `a` comes out first. Default {@link compareItems} (numbers,
   * strings, and arrays of them compared like Python tuples).
   */
  compare?: (a: T, b: T) => number;
}

/**
 * @internal A binary min-heap; ties go to the item put first (a sequence number breaks them).
 * Every change compares first and moves afterwards, so a comparator that throws leaves the heap
 * as it was.
 */
class HeapStore<T> implements Store<T> {
  private readonly items: T[] = [];
  private readonly seqs: number[] = [];
  private readonly path: number[] = [];
  private nextSeq = 0;
  private ungetSeq = 0;

  constructor(private readonly compare: (a: T, b: T) => number) {}

  get size(): number {
    return this.items.length;
  }

  put(item: T): void {
    // Why at put: a NaN priority compares false both ways and silently misorders the others.
    if (this.compare === compareItems) checkOrderable(item);
    this.insert(item, this.nextSeq++);
  }

  /** A returned item was put before all stored ones: it wins its ties. */
  unget(item: T): void {
    this.insert(item, --this.ungetSeq);
  }

  take(): T {
    const { items, seqs } = this;
    const top = items[0] as T;
    const n = items.length - 1;
    const last = items[n] as T;
    const lastSeq = seqs[n] as number;
    const path = this.descend(last, lastSeq, n);
    items.length = n;
    seqs.length = n;
    if (n === 0) return top;
    let i = 0;
    for (const child of path) {
      items[i] = items[child] as T;
      seqs[i] = seqs[child] as number;
      i = child;
    }
    items[i] = last;
    seqs[i] = lastSeq;
    return top;
  }

  private insert(item: T, seq: number): void {
    const { items, seqs } = this;
    let pos = items.length;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      if (!this.before(item, seq, items[parent] as T, seqs[parent] as number)) break;
      pos = parent;
    }
    for (let i = items.length; i > pos; ) {
      const parent = (i - 1) >> 1;
      items[i] = items[parent] as T;
      seqs[i] = seqs[parent] as number;
      i = parent;
    }
    items[pos] = item;
    seqs[pos] = seq;
  }

  /** The positions `item` moves past when sifted down from the root of a heap of size `n`. */
  private descend(item: T, seq: number, n: number): number[] {
    const { items, seqs, path } = this;
    path.length = 0;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let c = left;
      if (
        right < n &&
        this.before(
          items[right] as T,
          seqs[right] as number,
          items[left] as T,
          seqs[left] as number,
        )
      ) {
        c = right;
      }
      if (!this.before(items[c] as T, seqs[c] as number, item, seq)) break;
      path.push(c);
      i = c;
    }
    return path;
  }

  private before(a: T, seqA: number, b: T, seqB: number): boolean {
    const c = this.compare(a, b);
    if (typeof c !== 'number' || Number.isNaN(c)) {
      throw new TypeError(`PriorityQueue: compare(a, b) must return a number, got ${describe(c)}`);
    }
    return c < 0 || (c === 0 && seqA < seqB);
  }
}

/**
 * A {@link Queue} that returns the smallest item first (asyncio's `PriorityQueue`). Items are
 * typically `[priority, data]` arrays, ordered like Python tuples by {@link compareItems}; pass
 * `{ compare }` for another order. Among items that compare equal, the one put first comes out
 * first (deterministic, unlike Python's `heapq`, which does not promise it).
 *
 * A comparator that throws (or values the default cannot order) raises at `put` / `get` and
 * leaves the queue unchanged. Everything else is as for {@link Queue}.
 *
 * @example
 * ```ts
 * import { PriorityQueue } from 'rx-asyncio';
 * const q = new PriorityQueue<[number, string]>();
 * q.putNowait([2, 'write docs']);
 * q.putNowait([1, 'fix bug']);
 * console.log(q.getNowait()); // [1, 'fix bug']
 * const byDeadline = new PriorityQueue<{ due: number }>({ compare: (a, b) => a.due - b.due });
 * byDeadline.putNowait({ due: 5 });
 * ```
 * @throws {TypeError} / {RangeError} if `maxsize` is not an integer >= 0, {TypeError} if
 * `compare` is not a function.
 */
export class PriorityQueue<T> extends Queue<T> {
  /** @internal See displayName.ts. */
  static override readonly _displayName: string = 'PriorityQueue';
  constructor(options: number | PriorityQueueOptions<T> = {}) {
    super(options);
    const compare = typeof options === 'number' ? undefined : options?.compare;
    if (compare !== undefined && typeof compare !== 'function') {
      throw new TypeError(
        `PriorityQueue({ compare }): expected a function, got ${describe(compare)}`,
      );
    }
    this._store = new HeapStore<T>(compare ?? compareItems);
  }
}
