/**
 * @internal Where a queue keeps its items; the order of `take` is what tells `Queue`,
 * `LifoQueue` and `PriorityQueue` apart (CPython's `_put` / `_get` hooks).
 */
export interface Store<T> {
  readonly size: number;
  put(item: T): void;
  /** Removes and returns the next item; the caller checks `size` first. */
  take(): T;
  /**
   * Puts back an item that was handed to a getter who was cancelled before using it. It left
   * before everything stored now, so it goes back as the oldest item.
   */
  unget(item: T): void;
}

/** @internal FIFO storage: an array read from a moving head, compacted now and then. */
export class FifoStore<T> implements Store<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  put(item: T): void {
    this.items.push(item);
  }

  take(): T {
    const item = this.items[this.head] as T;
    this.items[this.head++] = undefined;
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items.splice(0, this.head); // amortised O(1): why not shift() on every take
      this.head = 0;
    }
    return item;
  }

  unget(item: T): void {
    if (this.head > 0) this.items[--this.head] = item;
    else this.items.unshift(item);
  }
}
