/**
 * A `Map` that keeps at most `capacity` entries and drops the least recently used one past that
 * (a `Map` iterates in insertion order, so re-inserting a key on use keeps the oldest first).
 * Why bounded caches: a program that makes a new function per `toThread` call (an arrow in a
 * loop) must not grow the caches that name functions by their source (issue 14, item 6).
 *
 * A hit on the key used last costs one comparison: hot loops of one function pay nothing more.
 */
export class LruMap<K, V> {
  private readonly _map = new Map<K, V>();
  private _newest: K | undefined;

  /** `onEvict` hears of each entry dropped for room (not of those deleted). */
  constructor(
    readonly capacity: number,
    private readonly _onEvict?: (key: K, value: V) => void,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`LruMap: capacity must be a positive integer, got ${capacity}`);
    }
  }

  get size(): number {
    return this._map.size;
  }

  /** The value, marking the key as just used; undefined when absent. */
  get(key: K): V | undefined {
    const value = this._map.get(key);
    if (value !== undefined && key !== this._newest) {
      this._map.delete(key);
      this._map.set(key, value);
      this._newest = key;
    }
    return value;
  }

  /** Sets the value as just used, dropping the least recently used entries past the capacity. */
  set(key: K, value: V): void {
    const map = this._map;
    map.delete(key);
    map.set(key, value);
    this._newest = key;
    while (map.size > this.capacity) {
      const oldest = map.keys().next().value as K;
      const dropped = map.get(oldest) as V;
      map.delete(oldest);
      this._onEvict?.(oldest, dropped);
    }
  }

  delete(key: K): boolean {
    if (key === this._newest) this._newest = undefined;
    return this._map.delete(key);
  }
}
