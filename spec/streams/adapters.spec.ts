// StreamReader.from / StreamWriter.from over WHATWG streams: real streams on a real loop, so these
// run in Node and in Chromium alike. Bounded by waitFor guards; nothing depends on speed.
import { StreamReader, StreamWriter, sleep } from '../../src/index.js';
import { guarded } from '../support/outcome.js';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('StreamReader.from / StreamWriter.from (WHATWG streams)', () => {
  it('reads lines from a ReadableStream of bytes and strings, then end of file', async () => {
    const got = await guarded(function* () {
      const source = new ReadableStream<Uint8Array | string>({
        start(c) {
          c.enqueue(new TextEncoder().encode('one\ntw'));
          c.enqueue('o\nthree');
          c.close();
        },
      });
      const reader = StreamReader.from(source);
      const lines: string[] = [];
      for (let i = 0; i < 4; i++) lines.push(text(yield* reader.readline()));
      return [lines, reader.atEof()];
    });
    expect(got).toEqual([['one\n', 'two\n', 'three', ''], true]);
  });

  it('a slow reader stops pulling: the source is asked only for what the limit allows', async () => {
    const out = await guarded(function* () {
      let pulled = 0;
      const source = new ReadableStream<Uint8Array>(
        {
          pull(c) {
            pulled++;
            c.enqueue(new Uint8Array(100));
            if (pulled === 1000) c.close();
          },
        },
        { highWaterMark: 1 },
      );
      const reader = StreamReader.from(source, { limit: 250 });
      yield* sleep(200); // nobody reads meanwhile
      const held = { pulled, buffered: reader.buffered };
      const all = yield* reader.read();
      return { held, total: all.length };
    });
    // paused past 2 * limit (500 bytes); one chunk in flight and the stream's own queue of 1
    expect(out.held.buffered).toBeLessThanOrEqual(600);
    expect(out.held.pulled).toBeLessThan(20);
    expect(out.total).toBe(100_000);
  });

  it('an erroring ReadableStream makes the next read raise its error', async () => {
    const e = await guarded(function* () {
      const boom = new RangeError('source failed');
      const reader = StreamReader.from(
        new ReadableStream({
          pull(c) {
            c.error(boom);
          },
        }),
      );
      try {
        yield* reader.read(1);
        return null;
      } catch (e) {
        return e;
      }
    });
    expect(e).toEqual(jasmine.any(RangeError));
  });

  it('writes to a WritableStream with back-pressure: drain() waits for a slow sink', async () => {
    const out = await guarded(function* () {
      const received: string[] = [];
      let inSink = 0;
      let maxInSink = 0;
      const sink = new WritableStream<Uint8Array>(
        {
          write(chunk) {
            inSink++;
            maxInSink = Math.max(maxInSink, inSink);
            received.push(text(chunk));
            return new Promise((resolve) =>
              setTimeout(() => {
                inSink--;
                resolve();
              }, 5),
            );
          },
        },
        { highWaterMark: 2 },
      );
      const writer = StreamWriter.from(sink);
      let maxQueued = 0;
      for (let i = 0; i < 20; i++) {
        writer.write(`${i},`);
        yield* writer.drain();
        maxQueued = Math.max(maxQueued, i + 1 - received.length);
      }
      writer.close();
      yield* writer.waitClosed();
      return { all: received.join(''), maxQueued, maxInSink };
    });
    expect(out.all).toBe(Array.from({ length: 20 }, (_, i) => `${i},`).join(''));
    expect(out.maxQueued).toBeLessThanOrEqual(3); // never more than the stream's highWaterMark + 1
    expect(out.maxInSink).toBe(1);
  });

  it('refuses what is not a stream', () => {
    expect(() => StreamReader.from({} as never)).toThrowError(TypeError);
    expect(() => StreamWriter.from(42 as never)).toThrowError(TypeError);
  });
});
