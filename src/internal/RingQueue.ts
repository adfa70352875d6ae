/**
 * A FIFO on a power-of-two ring buffer. Why not an array with push/shift: `shift` is O(n) on large
 * arrays, and clearing with `length = 0` every tick makes V8 reallocate; the ring never shrinks,
 * so the loop's hot path allocates nothing once it has warmed up.
 */
export class RingQueue<T> {
  private buf: (T | undefined)[];
  private head = 0;
  private mask: number;
  size = 0;

  constructor(capacity = 16) {
    let cap = 16;
    while (cap < capacity) cap <<= 1;
    this.buf = new Array<T | undefined>(cap);
    this.mask = cap - 1;
  }

  push(item: T): void {
    if (this.size > this.mask) this.grow();
    this.buf[(this.head + this.size) & this.mask] = item;
    this.size++;
  }

  /** Removes and returns the oldest item; the caller checks `size` first. */
  shift(): T {
    const i = this.head;
    const item = this.buf[i] as T;
    this.buf[i] = undefined;
    this.head = (i + 1) & this.mask;
    this.size--;
    return item;
  }

  peek(): T | undefined {
    return this.size === 0 ? undefined : this.buf[this.head];
  }

  /** Removes the first item for which `pred` is true; O(n), for rare paths (cancellation). */
  removeFirst(pred: (item: T) => boolean): boolean {
    for (let k = 0; k < this.size; k++) {
      const i = (this.head + k) & this.mask;
      if (pred(this.buf[i] as T)) {
        for (let j = k; j < this.size - 1; j++) {
          this.buf[(this.head + j) & this.mask] = this.buf[(this.head + j + 1) & this.mask];
        }
        this.buf[(this.head + this.size - 1) & this.mask] = undefined;
        this.size--;
        return true;
      }
    }
    return false;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let k = 0; k < this.size; k++) yield this.buf[(this.head + k) & this.mask] as T;
  }

  clear(): void {
    this.buf.fill(undefined);
    this.head = 0;
    this.size = 0;
  }

  private grow(): void {
    const old = this.buf;
    const cap = old.length;
    const next = new Array<T | undefined>(cap * 2);
    for (let k = 0; k < this.size; k++) next[k] = old[(this.head + k) & this.mask];
    this.buf = next;
    this.head = 0;
    this.mask = cap * 2 - 1;
  }
}
