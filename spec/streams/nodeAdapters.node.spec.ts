// StreamReader.from / StreamWriter.from over Node streams (Readable, Writable, a pipe).
import { PassThrough, Readable, Writable } from 'node:stream';
import { StreamReader, StreamWriter, sleep } from '../../src/index.js';
import { guarded } from '../support/outcome.js';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('StreamReader.from / StreamWriter.from (Node streams)', () => {
  it('reads a Node Readable to its end, with readuntil()', async () => {
    const got = await guarded(function* () {
      const reader = StreamReader.from(Readable.from(['a;b', ';c']));
      return [
        text(yield* reader.readuntil(';')),
        text(yield* reader.readuntil(';')),
        text(yield* reader.read()),
      ];
    });
    expect(got).toEqual(['a;', 'b;', 'c']);
  });

  it('pauses a Node Readable past twice the limit (a flowing source does not flood memory)', async () => {
    const out = await guarded(function* () {
      let produced = 0;
      const source = new Readable({
        read() {
          produced++;
          this.push(produced <= 500 ? Buffer.alloc(1000) : null);
        },
        highWaterMark: 1000,
      });
      const reader = StreamReader.from(source, { limit: 2000 });
      yield* sleep(200);
      const held = { produced, buffered: reader.buffered };
      const total = (yield* reader.read()).length;
      return { held, total };
    });
    expect(out.held.buffered).toBeLessThanOrEqual(5000);
    expect(out.held.produced).toBeLessThan(50);
    expect(out.total).toBe(500_000);
  });

  it('writes to a Node Writable; drain() waits while write() returns false', async () => {
    const out = await guarded(function* () {
      const got: string[] = [];
      const sink = new Writable({
        highWaterMark: 4,
        write(chunk: Buffer, _enc, cb) {
          got.push(chunk.toString());
          setTimeout(cb, 2);
        },
      });
      const writer = StreamWriter.from(sink);
      for (const w of ['alpha', 'beta', 'gamma']) {
        writer.write(w);
        yield* writer.drain();
      }
      writer.close();
      yield* writer.waitClosed();
      return got.join(' ');
    });
    expect(out).toBe('alpha beta gamma');
  });

  it('a destroyed Writable makes drain() raise', async () => {
    const e = await guarded(function* () {
      const sink = new PassThrough();
      const writer = StreamWriter.from(sink);
      sink.destroy(new Error('gone'));
      yield* sleep(10);
      try {
        writer.write('x');
        yield* writer.drain();
        return null;
      } catch (e) {
        return e;
      }
    });
    expect((e as Error | null)?.name).toBe('ConnectionResetError');
  });
});
