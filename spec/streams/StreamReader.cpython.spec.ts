// Ports of CPython 3.13's Lib/test/test_asyncio/test_streams.py, the StreamReader tests driven by
// feed_data()/feed_eof() (no sockets). `stream._buffer` checks read the rest of the buffer with
// `rest()`. Each `it` is named after its CPython test.
import {
  createTask,
  getRunningLoop,
  IncompleteReadError,
  LimitOverrunError,
  StreamReader,
  sleep,
  ValueError,
  wait,
} from '../../src/index.js';
import { errorOf, raised, value } from '../support/outcome.js';

const DATA = 'line1\nline2\nline3\n';
const enc = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** What is left in the buffer (CPython's `stream._buffer`), read without waiting. */
function rest(r: StreamReader): string {
  if (r.buffered === 0) return '';
  return text(value(r.read(r.buffered)));
}

describe('StreamReader (CPython test_streams)', () => {
  it('test_feed_empty_data', () => {
    const r = new StreamReader();
    r.feedData('');
    expect(r.buffered).toBe(0);
  });

  it('test_feed_nonempty_data', () => {
    const r = new StreamReader();
    r.feedData(DATA);
    expect(rest(r)).toBe(DATA);
  });

  it('test_read_zero', () => {
    const r = new StreamReader();
    r.feedData(DATA);
    expect(value(r.read(0)).length).toBe(0);
    expect(rest(r)).toBe(DATA);
  });

  it('test_read', () => {
    const r = new StreamReader();
    const data = value(
      (function* () {
        const t = createTask(r.read(30));
        getRunningLoop().callSoon(() => r.feedData(DATA));
        return text(yield* t);
      })(),
    );
    expect(data).toBe(DATA);
    expect(r.buffered).toBe(0);
  });

  it('test_read_line_breaks', () => {
    const r = new StreamReader();
    r.feedData('line1');
    r.feedData('line2');
    expect(text(value(r.read(5)))).toBe('line1');
    expect(rest(r)).toBe('line2');
  });

  it('test_read_eof', () => {
    const r = new StreamReader();
    const data = value(
      (function* () {
        const t = createTask(r.read(1024));
        getRunningLoop().callSoon(() => r.feedEof());
        return yield* t;
      })(),
    );
    expect(data.length).toBe(0);
    expect(r.buffered).toBe(0);
  });

  it('test_read_until_eof', () => {
    const r = new StreamReader();
    const data = value(
      (function* () {
        const t = createTask(r.read(-1));
        getRunningLoop().callSoon(() => {
          r.feedData('chunk1\n');
          r.feedData('chunk2');
          r.feedEof();
        });
        return text(yield* t);
      })(),
    );
    expect(data).toBe('chunk1\nchunk2');
    expect(r.buffered).toBe(0);
  });

  it('test_read_exception', () => {
    const r = new StreamReader();
    r.feedData('line\n');
    expect(text(value(r.read(2)))).toBe('li');
    const err = new ValueError('boom');
    r.setException(err);
    expect(errorOf(r.read(2))).toBe(err);
  });

  it('test_invalid_limit', () => {
    expect(() => new StreamReader({ limit: 0 })).toThrowMatching(
      (e) => e instanceof ValueError && /imit/.test(e.message),
    );
    expect(() => new StreamReader({ limit: -1 })).toThrowMatching(
      (e) => e instanceof ValueError && /imit/.test(e.message),
    );
  });

  it('test_read_limit', () => {
    const r = new StreamReader({ limit: 3 });
    r.feedData('chunk');
    expect(text(value(r.read(5)))).toBe('chunk');
    expect(r.buffered).toBe(0);
  });

  it('test_readline', () => {
    const r = new StreamReader();
    r.feedData('chunk1 ');
    const line = value(
      (function* () {
        const t = createTask(r.readline());
        getRunningLoop().callSoon(() => {
          r.feedData('chunk2 ');
          r.feedData('chunk3 ');
          r.feedData('\n chunk4');
        });
        return text(yield* t);
      })(),
    );
    expect(line).toBe('chunk1 chunk2 chunk3 \n');
    expect(rest(r)).toBe(' chunk4');
  });

  it('test_readline_limit_with_existing_data', () => {
    let r = new StreamReader({ limit: 3 });
    r.feedData('li');
    r.feedData('ne1\nline2\n');
    expect(errorOf(r.readline())).toBeInstanceOf(ValueError);
    // The buffer keeps what follows the overlong line.
    expect(rest(r)).toBe('line2\n');

    r = new StreamReader({ limit: 3 });
    r.feedData('li');
    r.feedData('ne1');
    r.feedData('li');
    expect(errorOf(r.readline())).toBeInstanceOf(ValueError);
    // No newline and more than the limit: the whole buffer is discarded.
    expect(r.buffered).toBe(0);
  });

  it('test_at_eof', () => {
    const r = new StreamReader();
    expect(r.atEof()).toBeFalse();
    r.feedData('some data\n');
    expect(r.atEof()).toBeFalse();
    value(r.readline());
    expect(r.atEof()).toBeFalse();
    r.feedData('some data\n');
    r.feedEof();
    value(r.readline());
    expect(r.atEof()).toBeTrue();
  });

  it('test_readline_limit', () => {
    const fedLater = (parts: string[]) => {
      const r = new StreamReader({ limit: 7 });
      const err = value(
        (function* () {
          getRunningLoop().callSoon(() => {
            for (const p of parts) r.feedData(p);
            r.feedEof();
          });
          return yield* raised(r.readline());
        })(),
      );
      return { r, err };
    };
    let { r, err } = fedLater(['chunk1', 'chunk2', 'chunk3\n']);
    expect(err).toBeInstanceOf(ValueError);
    expect(r.buffered).toBe(0);

    ({ r, err } = fedLater(['chunk1', 'chunk2\n', 'chunk3\n']));
    expect(err).toBeInstanceOf(ValueError);
    expect(rest(r)).toBe('chunk3\n');

    // The limit is strict.
    r = new StreamReader({ limit: 7 });
    r.feedData('1234567\n');
    expect(text(value(r.readline()))).toBe('1234567\n');
    expect(r.buffered).toBe(0);
    r.feedData('12345678\n');
    expect(errorOf(r.readline())).toBeInstanceOf(ValueError);
    expect(r.buffered).toBe(0);
    r.feedData('12345678');
    expect(errorOf(r.readline())).toBeInstanceOf(ValueError);
    expect(r.buffered).toBe(0);
  });

  it('test_readline_nolimit_nowait', () => {
    const r = new StreamReader();
    r.feedData(DATA.slice(0, 6));
    r.feedData(DATA.slice(6));
    expect(text(value(r.readline()))).toBe('line1\n');
    expect(rest(r)).toBe('line2\nline3\n');
  });

  it('test_readline_eof', () => {
    const r = new StreamReader();
    r.feedData('some data');
    r.feedEof();
    expect(text(value(r.readline()))).toBe('some data');
  });

  it('test_readline_empty_eof', () => {
    const r = new StreamReader();
    r.feedEof();
    expect(value(r.readline()).length).toBe(0);
  });

  it('test_readline_read_byte_count', () => {
    const r = new StreamReader();
    r.feedData(DATA);
    value(r.readline());
    expect(text(value(r.read(7)))).toBe('line2\nl');
    expect(rest(r)).toBe('ine3\n');
  });

  it('test_readline_exception', () => {
    const r = new StreamReader();
    r.feedData('line\n');
    expect(text(value(r.readline()))).toBe('line\n');
    const err = new ValueError('boom');
    r.setException(err);
    expect(errorOf(r.readline())).toBe(err);
    expect(r.buffered).toBe(0);
  });

  it('test_readuntil_separator', () => {
    const r = new StreamReader();
    const e = errorOf(r.readuntil(''));
    expect(e).toBeInstanceOf(ValueError);
    expect((e as Error).message).toContain('Separator should be at least one-byte string');
  });

  it('test_readuntil_multi_chunks', () => {
    const r = new StreamReader();
    r.feedData('lineAAA');
    expect(text(value(r.readuntil('AAA')))).toBe('lineAAA');
    expect(r.buffered).toBe(0);
    r.feedData('lineAAA');
    expect(text(value(r.readuntil(enc('AAA'))))).toBe('lineAAA');
    expect(r.buffered).toBe(0);
    r.feedData('lineAAAxxx');
    expect(text(value(r.readuntil('AAA')))).toBe('lineAAA');
    expect(rest(r)).toBe('xxx');
  });

  it('test_readuntil_multi_chunks_1', () => {
    const r = new StreamReader();
    const cases: [string[], string][] = [
      [['QWEaa', 'XYaa', 'a'], 'QWEaaXYaaa'],
      [['QWEaa', 'XYa', 'aa'], 'QWEaaXYaaa'],
      [['aaa'], 'aaa'],
      [['Xaaa'], 'Xaaa'],
      [['XXX', 'a', 'a', 'a'], 'XXXaaa'],
    ];
    for (const [parts, expected] of cases) {
      for (const p of parts) r.feedData(p);
      expect(text(value(r.readuntil('aaa')))).toBe(expected);
      expect(r.buffered).toBe(0);
    }
  });

  it('test_readuntil_eof', () => {
    const r = new StreamReader();
    r.feedData('some dataAA');
    r.feedEof();
    const e = errorOf(r.readuntil('AAA'));
    expect(e).toBeInstanceOf(IncompleteReadError);
    expect((e as IncompleteReadError).message).toMatch(/undefined expected bytes/);
    expect(text((e as IncompleteReadError).partial)).toBe('some dataAA');
    expect((e as IncompleteReadError).expected).toBeNull();
    expect(r.buffered).toBe(0);
  });

  it('test_readuntil_limit_found_sep', () => {
    const r = new StreamReader({ limit: 3 });
    r.feedData('some dataAA');
    const e1 = errorOf(r.readuntil('AAA'));
    expect(e1).toBeInstanceOf(LimitOverrunError);
    expect((e1 as Error).message).toMatch(/not found/);
    expect(r.buffered).toBe('some dataAA'.length);
    r.feedData('A');
    const e2 = errorOf(r.readuntil('AAA'));
    expect(e2).toBeInstanceOf(LimitOverrunError);
    expect((e2 as Error).message).toMatch(/is found/);
    expect(rest(r)).toBe('some dataAAA');
  });

  it('test_readuntil_multi_separator', () => {
    const r = new StreamReader();
    r.feedData('line 1\nline 2\r');
    expect(text(value(r.readuntil(['\r', '\n'])))).toBe('line 1\n');
    expect(text(value(r.readuntil(['\r', '\n'])))).toBe('line 2\r');
    expect(r.buffered).toBe(0);
    // The first end position wins, even if that is the longer separator.
    r.feedData('ABCDEFG');
    expect(text(value(r.readuntil(['DEF', 'BCDE'])))).toBe('ABCDE');
    expect(rest(r)).toBe('FG');
  });

  it('test_readuntil_multi_separator_limit', () => {
    const r = new StreamReader({ limit: 3 });
    r.feedData('some dataA');
    const e = errorOf(r.readuntil(['A', 'ome dataA']));
    expect(e).toBeInstanceOf(LimitOverrunError);
    expect((e as Error).message).toMatch(/is found/);
    expect(rest(r)).toBe('some dataA');
  });

  it('test_readuntil_multi_separator_negative_offset', () => {
    const r = new StreamReader();
    r.feedData('data');
    const data = value(
      (function* () {
        const t = createTask(r.readuntil(['A', 'long sep']));
        getRunningLoop().callSoon(() => r.feedData('Z'));
        getRunningLoop().callSoon(() => r.feedData('Aaaa'));
        return text(yield* t);
      })(),
    );
    expect(data).toBe('dataZA');
    expect(rest(r)).toBe('aaa');
  });

  it('test_readuntil_bytearray', () => {
    const r = new StreamReader();
    r.feedData('some data\r\n');
    expect(text(value(r.readuntil(Uint8Array.of(13, 10))))).toBe('some data\r\n');
    expect(r.buffered).toBe(0);
  });

  it('test_readexactly_zero_or_less', () => {
    const r = new StreamReader();
    r.feedData(DATA);
    expect(value(r.readexactly(0)).length).toBe(0);
    expect(r.buffered).toBe(DATA.length);
    const e = errorOf(r.readexactly(-1));
    expect(e).toBeInstanceOf(ValueError);
    expect((e as Error).message).toMatch(/less than zero/);
    expect(rest(r)).toBe(DATA);
  });

  it('test_readexactly', () => {
    const r = new StreamReader();
    const n = 2 * DATA.length;
    const data = value(
      (function* () {
        const t = createTask(r.readexactly(n));
        getRunningLoop().callSoon(() => {
          r.feedData(DATA);
          r.feedData(DATA);
          r.feedData(DATA);
        });
        return text(yield* t);
      })(),
    );
    expect(data).toBe(DATA + DATA);
    expect(rest(r)).toBe(DATA);
  });

  it('test_readexactly_limit', () => {
    const r = new StreamReader({ limit: 3 });
    r.feedData('chunk');
    expect(text(value(r.readexactly(5)))).toBe('chunk');
    expect(r.buffered).toBe(0);
  });

  it('test_readexactly_eof', () => {
    const r = new StreamReader();
    const n = 2 * DATA.length;
    const e = value(
      (function* () {
        const t = createTask(r.readexactly(n));
        getRunningLoop().callSoon(() => {
          r.feedData(DATA);
          r.feedEof();
        });
        return yield* raised(t);
      })(),
    );
    expect(e).toBeInstanceOf(IncompleteReadError);
    const err = e as IncompleteReadError;
    expect(text(err.partial)).toBe(DATA);
    expect(err.expected).toBe(n);
    // asyncio's message, followed by advice (README: error messages say what to do).
    expect(err.message.startsWith('18 bytes read on a total of 36 expected bytes')).toBeTrue();
    expect(r.buffered).toBe(0);
  });

  it('test_readexactly_exception', () => {
    const r = new StreamReader();
    r.feedData('line\n');
    expect(text(value(r.readexactly(2)))).toBe('li');
    const err = new ValueError('boom');
    r.setException(err);
    expect(errorOf(r.readexactly(2))).toBe(err);
  });

  it('test_exception', () => {
    const r = new StreamReader();
    expect(r.exception()).toBeNull();
    const err = new ValueError('boom');
    r.setException(err);
    expect(r.exception()).toBe(err);
  });

  it('test_exception_waiter', () => {
    const r = new StreamReader();
    const err = new ValueError('boom');
    const got = value(
      (function* () {
        const t1 = createTask(r.readline());
        const t2 = createTask(
          (function* () {
            r.setException(err);
          })(),
        );
        yield* wait([t1, t2]);
        return t1.exception();
      })(),
    );
    expect(got).toBe(err);
  });

  it('test_exception_cancel', () => {
    const r = new StreamReader();
    const out = value(
      (function* () {
        const t = createTask(r.readline());
        yield* sleep(0);
        t.cancel();
        yield* sleep(0);
        // Fails if setException() is not careful with a cancelled waiter.
        r.setException(new Error('message'));
        yield* sleep(0);
        return [t.cancelled(), String(r).includes('waiter')];
      })(),
    );
    expect(out).toEqual([true, false]);
  });

  it('test___repr__ (toString)', () => {
    expect(String(new StreamReader())).toBe('<StreamReader>');
  });

  it('test___repr__nondefault_limit', () => {
    expect(String(new StreamReader({ limit: 123 }))).toBe('<StreamReader limit=123>');
  });

  it('test___repr__eof', () => {
    const r = new StreamReader();
    r.feedEof();
    expect(String(r)).toBe('<StreamReader eof>');
  });

  it('test___repr__data', () => {
    const r = new StreamReader();
    r.feedData('data');
    expect(String(r)).toBe('<StreamReader 4 bytes>');
  });

  it('test___repr__exception', () => {
    const r = new StreamReader();
    r.setException(new ValueError('boom'));
    expect(String(r)).toBe('<StreamReader exception=ValueError: boom>');
  });
});
