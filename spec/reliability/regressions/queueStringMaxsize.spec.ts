/**
 * Found by the bad-input sweep: `new Queue('2')` (a maxsize that is not a number) was taken as
 * an options object without `maxsize` and made an unbounded queue, silently. It is a TypeError.
 */
import { LifoQueue, PriorityQueue, Queue } from '../../../src/index.js';

describe('regression: a queue maxsize given as a string', () => {
  it('is refused with a TypeError at construction', () => {
    for (const Q of [Queue, LifoQueue, PriorityQueue]) {
      expect(() => new Q('2' as unknown as number)).toThrowError(TypeError, /maxsize/);
    }
    expect(new Queue({ maxsize: 2 }).maxsize).toBe(2);
    expect(new Queue(3).maxsize).toBe(3);
    expect(new Queue().maxsize).toBe(0);
  });
});
