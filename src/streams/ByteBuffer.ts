/**
 * @internal A growable byte buffer with a read offset (asyncio's `bytearray` behind a
 * `StreamReader`). Data is appended at the end and taken from the front; the live bytes are
 * `bytes[start, end)`. Why contiguous rather than a list of chunks: `readuntil` searches across
 * chunk boundaries, and one `indexOf` over one array is simpler and faster than stitching. The
 * space in front is reclaimed when the buffer must grow, so each byte is copied O(1) times.
 */
export class ByteBuffer {
  private bytes = new Uint8Array(0);
  private start = 0;
  private end = 0;

  /** The number of bytes held. */
  get length(): number {
    return this.end - this.start;
  }

  /** Appends a copy of `chunk`. */
  append(chunk: Uint8Array): void {
    const n = chunk.length;
    if (n === 0) return;
    if (this.end + n > this.bytes.length) this.makeRoom(n);
    this.bytes.set(chunk, this.end);
    this.end += n;
  }

  /** Removes and returns the first `n` bytes (at most what is held), as a new array. */
  take(n: number): Uint8Array {
    const k = Math.min(n, this.length);
    const out = this.bytes.slice(this.start, this.start + k);
    this.start += k;
    if (this.start === this.end) this.start = this.end = 0;
    return out;
  }

  /** Removes and returns everything. */
  takeAll(): Uint8Array {
    return this.take(this.length);
  }

  /** Drops the first `n` bytes. */
  drop(n: number): void {
    this.start += Math.min(n, this.length);
    if (this.start === this.end) this.start = this.end = 0;
  }

  /** Drops everything. */
  clear(): void {
    this.start = this.end = 0;
  }

  /** True if the held bytes start with `sep` at offset `at`. */
  matchesAt(sep: Uint8Array, at: number): boolean {
    if (at + sep.length > this.length) return false;
    const base = this.start + at;
    for (let j = 0; j < sep.length; j++) if (this.bytes[base + j] !== sep[j]) return false;
    return true;
  }

  /** The offset of the first `sep` at or after `from`, or -1. */
  indexOf(sep: Uint8Array, from: number): number {
    const first = sep[0] as number;
    const last = this.end - sep.length;
    for (let i = this.start + Math.max(0, from); i <= last; i++) {
      i = this.bytes.indexOf(first, i);
      if (i === -1 || i > last) return -1;
      if (this.matchesAt(sep, i - this.start)) return i - this.start;
    }
    return -1;
  }

  private makeRoom(n: number): void {
    const live = this.length;
    if (live + n <= this.bytes.length && this.start >= live) {
      // Enough room once the front is reclaimed, and the move is cheap (at most half the array).
      this.bytes.copyWithin(0, this.start, this.end);
    } else {
      const next = new Uint8Array(Math.max(live + n, this.bytes.length * 2, 1024));
      next.set(this.bytes.subarray(this.start, this.end));
      this.bytes = next;
    }
    this.start = 0;
    this.end = live;
  }
}

const encoder = new TextEncoder();

/** @internal Bytes as given, or a string's UTF-8 encoding. */
export function toBytes(data: Uint8Array | string, what: string): Uint8Array {
  if (typeof data === 'string') return encoder.encode(data);
  if (data instanceof Uint8Array) return data;
  throw new TypeError(`${what}: expected a Uint8Array (or Buffer) or a string, got ${typeof data}`);
}
