import { CancelledError } from '../src/index.js';

// Outside debug mode a CancelledError is built without a stack trace (issue 19: V8's capture was
// a noticeable part of every cancel); its `stack` is still the header line V8 prints.
describe('CancelledError stack outside debug mode', () => {
  it('is the header line, not enumerable, as V8 makes it for an empty trace', () => {
    const e = new CancelledError('stop');
    expect(e.stack).toBe('CancelledError: stop');
    expect(new CancelledError().stack).toBe('CancelledError');
    expect(new CancelledError(5).stack).toBe('CancelledError: 5');
    expect(Object.keys(e)).not.toContain('stack');
  });

  it('names a subclass that names itself', () => {
    class Named extends CancelledError {
      override name = 'Named';
    }
    const e = new Named('b');
    expect(e.stack?.split('\n')[0]).toBe('Named: b');
    expect(e).toBeInstanceOf(CancelledError);
  });

  it('leaves Error.stackTraceLimit as it found it, and can be set', () => {
    const E = Error as { stackTraceLimit?: number };
    const saved = E.stackTraceLimit;
    try {
      E.stackTraceLimit = 7;
      const e = new CancelledError('x');
      expect(E.stackTraceLimit).toBe(7);
      e.stack = 'replaced';
      expect(e.stack).toBe('replaced');
    } finally {
      E.stackTraceLimit = saved;
    }
  });
});
