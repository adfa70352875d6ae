/**
 * Found by the bad-input sweep: `futureToPromise(x)` with something that is not a Future failed
 * with "future.done is not a function". It is now a TypeError that names the function.
 */
import { futureToPromise } from '../../../src/index.js';

describe('regression: futureToPromise of a non-future', () => {
  it('throws a TypeError at the call', () => {
    for (const x of [1, null, undefined, {}, Promise.resolve(1)]) {
      expect(() => futureToPromise(x as never)).toThrowError(
        TypeError,
        /^futureToPromise\(future\): expected an rx-asyncio Future or Task/,
      );
    }
  });
});
