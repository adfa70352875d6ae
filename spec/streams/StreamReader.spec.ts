import {
  CancelledError,
  createTask,
  IncompleteReadError,
  LimitOverrunError,
  RuntimeError,
  StreamReader,
  type StreamTransport,
  sleep,
  ValueError,
} from '../../src/index.js';
import { errorOf, raised, value } from '../support/outcome.js';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

function fed(data: string, eof = true, limit?: number): StreamReader {
  const r = new StreamReader(limit === undefined ? {} : { limit });
  if (data !== '') r.feedData(data);
  if (eof) r.feedEof();
  return r;
}

/** A transport that only records pause/resume calls (read flow control). */
function flowTransport(log: string[]): StreamTransport {
  return {
    write: () => {},
    writeEof: () => {},
    canWriteEof: () => true,
    close: () => {},
    abort: () => {},
    isClosing: () => false,
    pauseReading: () => log.push('pause'),
    resumeReading: () => log.push('resume'),
    getExtraInfo: () => undefined,
  };
}

describe('StreamReader', () => {
  describe('read(n)', () => {
    it('returns what is buffered up to n, without waiting for n', () => {
      const r = fed('hello', false);
      expect(
        value(
          (function* () {
            return text(yield* r.read(3));
          })(),
        ),
      ).toBe('hel');
      expect(
        value(
          (function* () {
            return text(yield* r.read(100));
          })(),
        ),
      ).toBe('lo');
    });

    it('read() reads until the end; at the end, reads give empty arrays', () => {
      const r = new StreamReader({ limit: 4 });
      const out = value(
        (function* () {
          createTask(
            (function* () {
              for (const part of ['ab', 'cdefgh', 'ij']) {
                yield* sleep(10);
                r.feedData(part);
              }
              r.feedEof();
            })(),
          );
          const all = text(yield* r.read());
          const after = (yield* r.read(5)).length;
          return [all, after, r.atEof()];
        })(),
      );
      expect(out).toEqual(['abcdefghij', 0, true]);
    });

    it('read(0) returns an empty array at once', () => {
      expect(value(fed('x', false).read(0)).length).toBe(0);
    });

    it('waits for data fed later', () => {
      const r = new StreamReader();
      const got = value(
        (function* () {
          createTask(
            (function* () {
              yield* sleep(50);
              r.feedData('late');
            })(),
          );
          return text(yield* r.read(10));
        })(),
      );
      expect(got).toBe('late');
    });
  });

  describe('readline()', () => {
    it('returns lines with their newline, then the partial last line, then empty', () => {
      const r = fed('one\ntwo\nthree');
      const lines = value(
        (function* () {
          const out: string[] = [];
          for (let i = 0; i < 4; i++) out.push(text(yield* r.readline()));
          return out;
        })(),
      );
      expect(lines).toEqual(['one\n', 'two\n', 'three', '']);
    });

    it('a line over the limit raises ValueError (asyncio) and is discarded up to its newline', () => {
      const r = fed(`${'x'.repeat(20)}\nnext\n`, true, 8);
      const e = errorOf(r.readline());
      expect(e).toEqual(jasmine.any(ValueError));
      expect(value(r.readline())).toEqual(new TextEncoder().encode('next\n'));
    });

    it('lines() iterates until the end of the stream', () => {
      const r = fed('a\nb\nc');
      const lines = value(
        (function* () {
          const out: string[] = [];
          const it = r.lines();
          for (let x = yield* it.next(); !x.done; x = yield* it.next()) out.push(text(x.value));
          return out;
        })(),
      );
      expect(lines).toEqual(['a\n', 'b\n', 'c']);
    });
  });

  describe('readuntil(separator)', () => {
    it('reads up to and including a multi-byte separator split across feeds', () => {
      const r = new StreamReader();
      const got = value(
        (function* () {
          createTask(
            (function* () {
              r.feedData('GET / HTTP/1.0\r');
              yield* sleep(5);
              r.feedData('\n\r');
              yield* sleep(5);
              r.feedData('\nbody');
            })(),
          );
          return text(yield* r.readuntil('\r\n\r\n'));
        })(),
      );
      expect(got).toBe('GET / HTTP/1.0\r\n\r\n');
      expect(r.buffered).toBe(4);
    });

    it('with several separators, the earliest match in the data wins', () => {
      const r = fed('ab;cd,ef');
      expect(text(value(r.readuntil([',', ';'])))).toBe('ab;');
      expect(text(value(r.readuntil([',', ';'])))).toBe('cd,');
    });

    it('at the end raises IncompleteReadError with the rest as partial (consumed)', () => {
      const r = fed('no separator');
      const e = errorOf(r.readuntil('!')) as IncompleteReadError;
      expect(e).toEqual(jasmine.any(IncompleteReadError));
      expect(text(e.partial)).toBe('no separator');
      expect(e.expected).toBeNull();
      expect(r.atEof()).toBeTrue();
    });

    it('raises LimitOverrunError with consumed and consumes nothing', () => {
      const r = fed('0123456789abcdef', false, 4);
      const e = errorOf(r.readuntil('!')) as LimitOverrunError;
      expect(e).toEqual(jasmine.any(LimitOverrunError));
      expect(e.consumed).toBeGreaterThan(4);
      expect(r.buffered).toBe(16);
      const r2 = fed('0123456789!', false, 4);
      const e2 = errorOf(r2.readuntil('!')) as LimitOverrunError;
      expect(e2.consumed).toBe(10);
      expect(r2.buffered).toBe(11);
    });

    it('says "is not found" / "is found" as asyncio does (CPython test_readuntil_limit_found_sep)', () => {
      const r = fed('some dataAA', false, 3);
      const notFound = errorOf(r.readuntil('AAA')) as LimitOverrunError;
      expect(notFound).toEqual(jasmine.any(LimitOverrunError));
      expect(notFound.message).toMatch(/not found/);
      expect(r.buffered).toBe(11);
      r.feedData('A');
      const found = errorOf(r.readuntil('AAA')) as LimitOverrunError;
      expect(found.message).toMatch(/is found/);
      expect(r.buffered).toBe(12);
    });

    it('rejects an empty separator', () => {
      expect(errorOf(fed('x').readuntil(''))).toEqual(jasmine.any(RangeError));
    });
  });

  describe('readexactly(n)', () => {
    it('waits for exactly n bytes', () => {
      const r = new StreamReader();
      const got = value(
        (function* () {
          createTask(
            (function* () {
              for (const c of ['ab', 'c', 'defg']) {
                yield* sleep(1);
                r.feedData(c);
              }
            })(),
          );
          return text(yield* r.readexactly(5));
        })(),
      );
      expect(got).toBe('abcde');
    });

    it('raises IncompleteReadError(partial, expected) at the end', () => {
      const e = errorOf(fed('abc').readexactly(5)) as IncompleteReadError;
      expect(e).toEqual(jasmine.any(IncompleteReadError));
      expect(text(e.partial)).toBe('abc');
      expect(e.expected).toBe(5);
      expect(e.message).toContain('3 bytes read on a total of 5');
    });
  });

  describe('cancellation', () => {
    it('a task cancelled in readline() loses no byte: the next read gets them', () => {
      const r = new StreamReader();
      const got = value(
        (function* () {
          r.feedData('hel');
          const t = createTask(r.readline());
          yield* sleep(10);
          t.cancel();
          let cancelled = false;
          try {
            yield* t;
          } catch (e) {
            cancelled = e instanceof CancelledError;
          }
          r.feedData('lo\n');
          return [cancelled, text(yield* r.readline())];
        })(),
      );
      expect(got).toEqual([true, 'hello\n']);
    });

    it('a task cancelled in readexactly() loses no byte', () => {
      const r = new StreamReader();
      const got = value(
        (function* () {
          r.feedData('ab');
          const t = createTask(r.readexactly(4));
          yield* sleep(1);
          t.cancel();
          try {
            yield* t;
          } catch {}
          r.feedData('cd');
          return text(yield* r.readexactly(4));
        })(),
      );
      expect(got).toBe('abcd');
    });
  });

  describe('errors', () => {
    it('setException wakes the waiting read with the error, and every later read raises it', () => {
      const r = new StreamReader();
      const boom = new Error('reset');
      const got = value(
        (function* () {
          createTask(
            (function* () {
              yield* sleep(5);
              r.setException(boom);
            })(),
          );
          const errors: unknown[] = [];
          errors.push(yield* raised(r.readline()));
          errors.push(yield* raised(r.read(1)));
          return errors;
        })(),
      );
      expect(got).toEqual([boom, boom]);
    });

    it('two tasks waiting for data at once: the second gets a RuntimeError', () => {
      const r = new StreamReader();
      const e = errorOf(
        (function* () {
          createTask(r.read(1));
          yield* sleep(1);
          yield* r.read(1);
        })(),
      );
      expect(e).toEqual(jasmine.any(RuntimeError));
      expect((e as Error).message).toContain('another task is already waiting');
    });

    it('feedData after feedEof is a RuntimeError; a bad limit a RangeError', () => {
      expect(() => fed('').feedData('x')).toThrowError(RuntimeError);
      expect(() => new StreamReader({ limit: 0 })).toThrowError(RangeError);
    });
  });

  describe('flow control', () => {
    it('pauses the transport past twice the limit and resumes at or below the limit', () => {
      const log: string[] = [];
      const r = new StreamReader({ limit: 10 });
      r.setTransport(flowTransport(log));
      r.feedData('x'.repeat(20));
      expect(log).toEqual([]);
      r.feedData('x');
      expect(log).toEqual(['pause']);
      value(r.read(5)); // 16 left: still over the limit
      expect(log).toEqual(['pause']);
      value(r.read(6)); // 10 left
      expect(log).toEqual(['pause', 'resume']);
    });

    it('a read that must wait resumes a paused transport', () => {
      const log: string[] = [];
      const r = new StreamReader({ limit: 2 });
      r.setTransport(flowTransport(log));
      r.feedData('abcdefgh');
      expect(log).toEqual(['pause']);
      const e = errorOf(r.readuntil('!'));
      expect(e).toEqual(jasmine.any(LimitOverrunError));
      expect(log).toEqual(['pause']);
      const rest = value(
        (function* () {
          createTask(
            (function* () {
              yield* sleep(1);
              r.feedData('!');
            })(),
          );
          return (yield* r.readexactly(9)).length;
        })(),
      );
      expect(rest).toBe(9);
      // resumed to wait; paused again by the 9th byte (over 2 * limit); resumed once read
      expect(log).toEqual(['pause', 'resume', 'pause', 'resume']);
    });
  });

  it('toString shows its state', () => {
    expect(String(fed('abc', true, 10))).toBe('<StreamReader 3 bytes eof limit=10>');
  });
});
