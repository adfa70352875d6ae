/**
 * Found by the bad-input sweep: `loop.callLater()` on a closed loop said "callAt(): the event
 * loop is closed", naming a method the caller never called.
 */

import { virtualScheduler } from '../../../marbles/runVirtual.js';
import { EventLoop, RuntimeError } from '../../../src/index.js';

describe('regression: callLater after close() names callLater', () => {
  it('throws a RuntimeError that says callLater()', () => {
    const loop = new EventLoop(virtualScheduler());
    loop.close();
    expect(() => loop.callLater(5, () => {})).toThrowError(
      RuntimeError,
      /^callLater\(\): the event loop is closed/,
    );
  });
});
