import { connectionPair, expectTimeline, record, runVirtual } from '../../marbles/index.js';
import {
  CancelledError,
  ConnectionResetError,
  createTask,
  sleep,
  TimeoutError,
  timeout,
} from '../../src/index.js';
import { errorOf, raised, value } from '../support/outcome.js';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('connectionPair (in-memory streams in virtual time)', () => {
  it('an echo exchange, as a timeline: latency each way, chunked delivery', () => {
    const { timeline } = record((tl) =>
      (function* () {
        const {
          client: [cr, cw],
          server: [sr, sw],
        } = connectionPair({ latency: 10, chunkSize: 3 });
        const server = createTask(
          (function* () {
            for (;;) {
              const line = yield* sr.readline();
              if (line.length === 0) break;
              tl.print(`got ${text(line).trim()}`);
              sw.write(line);
            }
            sw.close();
          })(),
          { name: 'server' },
        );
        const client = createTask(
          (function* () {
            for (const word of ['ping', 'pong']) {
              cw.write(`${word}\n`);
              yield* cw.drain();
              tl.print(`echo ${text(yield* cr.readline()).trim()}`);
            }
            cw.writeEof();
            tl.print(`eof ${(yield* cr.read()).length}`);
          })(),
          { name: 'client' },
        );
        yield* client;
        yield* server;
      })(),
    );
    expectTimeline(
      timeline,
      { server: '10ms a 19ms b 19ms |', client: '20ms c 19ms d 19ms (e|)' },
      { a: 'got ping', b: 'got pong', c: 'echo ping', d: 'echo pong', e: 'eof 0' },
    );
  });

  it('drain() waits while the bytes in flight pass the high-water mark', () => {
    const log = value(
      (function* () {
        const {
          client: [, cw],
          server: [sr],
        } = connectionPair({ latency: 5, highWaterMark: 8 });
        const log: string[] = [];
        const w = createTask(
          (function* () {
            for (let i = 0; i < 3; i++) {
              cw.write('0123456789');
              yield* cw.drain();
              log.push(`drained ${i}`);
            }
          })(),
        );
        yield* sleep(1);
        log.push(`buffered ${sr.buffered}`);
        yield* w;
        return log;
      })(),
    );
    // each 10-byte write passes 8: drain waits for its delivery (5 ms)
    expect(log).toEqual(['buffered 0', 'drained 0', 'drained 1', 'drained 2']);
  });

  it('a reader over its limit stops receiving, so the writer is held by drain() (end-to-end back-pressure)', () => {
    const r = runVirtual(
      (function* () {
        const {
          client: [, cw],
          server: [sr],
        } = connectionPair({ highWaterMark: 16, limit: 8, chunkSize: 4 });
        let written = 0;
        const w = createTask(
          (function* () {
            for (;;) {
              cw.write('abcd');
              written += 4;
              yield* cw.drain();
            }
          })(),
        );
        yield* sleep(100);
        const stalled = [written, sr.buffered];
        w.cancel();
        return stalled;
      })(),
    );
    const [written, buffered] = (r.outcome as { value: number[] }).value;
    // the reader holds at most 2 * limit + one chunk; the rest waits in flight, under the mark
    expect(buffered).toBeLessThanOrEqual(20);
    expect(written as number).toBeLessThanOrEqual(20 + 16 + 4);
  });

  it('cancelling a task in drain() loses no byte', () => {
    const got = value(
      (function* () {
        const {
          client: [, cw],
          server: [sr],
        } = connectionPair({ latency: 50, highWaterMark: 4 });
        const t = createTask(
          (function* () {
            cw.write('all of it\n');
            yield* cw.drain();
          })(),
        );
        yield* sleep(10);
        t.cancel();
        let cancelled = false;
        try {
          yield* t;
        } catch (e) {
          cancelled = e instanceof CancelledError;
        }
        return [cancelled, text(yield* sr.readline())];
      })(),
    );
    expect(got).toEqual([true, 'all of it\n']);
  });

  it('timeout() around readline(): TimeoutError, and the partial line stays for the next read', () => {
    const got = value(
      (function* () {
        const {
          client: [, cw],
          server: [sr],
        } = connectionPair({ latency: 1 });
        cw.write('par');
        let timedOut = false;
        try {
          yield* timeout(20, function* () {
            return yield* sr.readline();
          });
        } catch (e) {
          timedOut = e instanceof TimeoutError;
        }
        cw.write('tial\n');
        return [timedOut, text(yield* sr.readline())];
      })(),
    );
    expect(got).toEqual([true, 'partial\n']);
  });

  it('reset(): the next read and drain() of both ends raise ConnectionResetError', () => {
    const errors = value(
      (function* () {
        const pair = connectionPair({ latency: 3 });
        const [pr, pw] = pair.client;
        const [qr] = pair.server;
        const reading = createTask(qr.readline());
        yield* sleep(1);
        pair.reset();
        const out: unknown[] = [];
        out.push(yield* raised(reading));
        out.push(yield* raised(pr.read(1)));
        try {
          pw.write('x');
          yield* pw.drain();
        } catch (e) {
          out.push(e);
        }
        return out.map((e) => (e as Error).name);
      })(),
    );
    expect(errors).toEqual([
      'ConnectionResetError',
      'ConnectionResetError',
      'ConnectionResetError',
    ]);
  });

  it('abort() on one end resets the other; waitClosed() raises the reset there', () => {
    const e = errorOf(
      (function* () {
        const pair = connectionPair({ latency: 2 });
        const [, cw] = pair.client;
        const [sr, sw] = pair.server;
        cw.transport.abort();
        yield* cw.waitClosed(); // clean on the aborting side
        let readError: unknown;
        try {
          yield* sr.read(1);
        } catch (e) {
          readError = e;
        }
        expect(readError).toEqual(jasmine.any(ConnectionResetError));
        yield* sw.waitClosed();
      })(),
    );
    expect(e).toEqual(jasmine.any(ConnectionResetError));
  });

  it('close(): the other end reads what was sent, then end of file; writing after close is an error', () => {
    const got = value(
      (function* () {
        const pair = connectionPair({ latency: 4 });
        const [, cw] = pair.client;
        const [sr] = pair.server;
        cw.write('bye');
        cw.close();
        yield* cw.waitClosed();
        let err: unknown;
        try {
          cw.write('more');
        } catch (e) {
          err = e;
        }
        return [
          text(yield* sr.read()),
          sr.atEof(),
          err instanceof ConnectionResetError,
          cw.isClosing(),
        ];
      })(),
    );
    expect(got).toEqual(['bye', true, true, true]);
  });

  it('half-close: after writeEof() the writer can still read the answer', () => {
    const got = value(
      (function* () {
        const pair = connectionPair({ latency: 1 });
        const [cr, cw] = pair.client;
        const [sr, sw] = pair.server;
        createTask(
          (function* () {
            const all = yield* sr.read();
            sw.write(`${all.length} bytes`);
            sw.close();
          })(),
        );
        cw.write('12345');
        expect(cw.canWriteEof()).toBeTrue();
        cw.writeEof();
        return text(yield* cr.read());
      })(),
    );
    expect(got).toBe('5 bytes');
  });

  it('getExtraInfo names the ends; bad options are RangeErrors', () => {
    const names = value(
      (function* () {
        const [, cw] = connectionPair().client;
        return [cw.getExtraInfo('peername'), cw.getExtraInfo('sockname'), cw.getExtraInfo('x', 7)];
      })(),
    );
    expect(names).toEqual([['server', 0], ['client', 0], 7]);
    expect(() => connectionPair({ latency: -1 })).toThrowError(RangeError);
    expect(() => connectionPair({ chunkSize: 0 })).toThrowError(RangeError);
  });
});
