/**
 * Issue 14, item 13 (first part): a `PriorityQueue` item with a NaN priority was stored, and
 * since NaN compares false both ways, it silently misordered the other items. `put` now refuses
 * NaN (at any depth of a `[priority, data]` array) with a `RangeError`, and the queue is left as
 * it was.
 */

import { PriorityQueue } from '../../../src/index.js';

describe('regression: a NaN priority misordered a PriorityQueue', () => {
  it('refuses NaN at putNowait, even into an empty queue, and keeps the queue intact', () => {
    const q = new PriorityQueue<[number, string]>();
    expect(() => q.putNowait([Number.NaN, 'bad'])).toThrowError(
      RangeError,
      /NaN cannot be ordered/,
    );
    q.putNowait([3, 'c']);
    q.putNowait([1, 'a']);
    expect(() => q.putNowait([Number.NaN, 'bad'])).toThrowError(RangeError, /NaN/);
    q.putNowait([2, 'b']);
    expect(q.qsize()).toBe(3);
    expect([q.getNowait(), q.getNowait(), q.getNowait()]).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
    ]);
  });

  it('refuses a bare NaN item and a nested one', () => {
    const q = new PriorityQueue<unknown>();
    expect(() => q.putNowait(Number.NaN)).toThrowError(RangeError);
    expect(() => q.putNowait([1, [2, Number.NaN]])).toThrowError(RangeError);
    expect(q.qsize()).toBe(0);
  });
});
