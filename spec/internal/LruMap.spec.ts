import { LruMap } from '../../src/internal/LruMap.js';

describe('LruMap', () => {
  it('drops the least recently used entry past its capacity, and says which', () => {
    const dropped: string[] = [];
    const m = new LruMap<string, number>(2, (k) => dropped.push(k));
    m.set('a', 1);
    m.set('b', 2);
    expect(m.get('a')).toBe(1); // a is now the newest
    m.set('c', 3);
    expect(dropped).toEqual(['b']);
    expect(m.get('b')).toBeUndefined();
    expect(m.size).toBe(2);
  });

  it('re-setting a key refreshes it; delete does not report an eviction', () => {
    const dropped: string[] = [];
    const m = new LruMap<string, number>(2, (k) => dropped.push(k));
    m.set('a', 1);
    m.set('b', 2);
    m.set('a', 10);
    m.set('c', 3);
    expect(dropped).toEqual(['b']);
    expect(m.delete('a')).toBeTrue();
    expect(dropped).toEqual(['b']);
    m.set('a', 1);
    expect(m.get('a')).toBe(1);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new LruMap(0)).toThrowError(RangeError, /positive integer/);
    expect(() => new LruMap(1.5)).toThrowError(RangeError);
  });
});
