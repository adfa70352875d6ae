import { asapScheduler, asyncScheduler, queueScheduler, VirtualTimeScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { macrotaskScheduler } from '../../src/schedulers/macrotaskScheduler.js';
import { isVirtualTimeScheduler } from '../../src/schedulers/virtualTime.js';

describe('isVirtualTimeScheduler', () => {
  it("recognises RxJS's virtual-time schedulers", () => {
    expect(isVirtualTimeScheduler(new VirtualTimeScheduler())).toBe(true);
    expect(isVirtualTimeScheduler(new TestScheduler(() => {}))).toBe(true);
  });

  it('recognises an object shaped like one (e.g. from a second copy of rxjs)', () => {
    const lookalike = { now: () => 0, schedule: () => null, flush() {}, frame: 0, maxFrames: 10 };
    expect(isVirtualTimeScheduler(lookalike)).toBe(true);
  });

  it('refuses the real-time schedulers', () => {
    for (const s of [asyncScheduler, asapScheduler, queueScheduler, macrotaskScheduler]) {
      expect(isVirtualTimeScheduler(s)).withContext(String(s.constructor.name)).toBe(false);
    }
  });

  it('refuses values that only partly match, and non-objects', () => {
    expect(isVirtualTimeScheduler({ flush() {}, frame: 0 })).toBe(false);
    expect(isVirtualTimeScheduler({ flush: 1, frame: 0, maxFrames: 1 })).toBe(false);
    expect(isVirtualTimeScheduler(undefined)).toBe(false);
    expect(isVirtualTimeScheduler(null)).toBe(false);
    expect(isVirtualTimeScheduler('scheduler')).toBe(false);
  });
});
