import { connectionPair } from '../../marbles/index.js';
import { RuntimeError, type StreamWriter } from '../../src/index.js';
import { errorOf, value } from '../support/outcome.js';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** Runs `body` synchronously inside a loop, with the client writer of a fresh pair. */
function withPair(body: (cw: StreamWriter) => void): void {
  value(
    (function* () {
      body(connectionPair().client[1]);
    })(),
  );
}

describe('StreamWriter', () => {
  it('writelines() writes every item in order; strings are UTF-8', () => {
    const got = value(
      (function* () {
        const pair = connectionPair();
        const [, cw] = pair.client;
        const [sr] = pair.server;
        cw.writelines(['é', new Uint8Array([0x21]), '\n']);
        return text(yield* sr.readline());
      })(),
    );
    expect(got).toBe('é!\n');
  });

  it('write() after writeEof() is a RuntimeError; a non-byte value a TypeError', () => {
    withPair((cw) => {
      cw.writeEof();
      expect(() => cw.write('x')).toThrowError(RuntimeError, /after writeEof/);
      expect(() => cw.write(42 as never)).toThrowError(TypeError);
    });
  });

  it('startTls() on a transport that cannot upgrade raises RuntimeError', () => {
    const e = errorOf(
      (function* () {
        const [, cw] = connectionPair().client;
        yield* cw.startTls();
      })(),
    );
    expect(e).toEqual(jasmine.any(RuntimeError));
  });

  it('drain() returns at once below the high-water mark; toString shows the state', () => {
    withPair((cw) => {
      expect(String(cw)).toBe('<StreamWriter open>');
      cw.close();
      expect(String(cw)).toBe('<StreamWriter closing>');
    });
  });
});
