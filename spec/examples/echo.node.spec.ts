import { main } from '../../examples/echo.js';
import { run, waitFor } from '../../src/index.js';

describe('the echo example (asyncio’s TCP echo client and server, real TCP)', () => {
  it('echoes a line, then hangs up on an idle client after the idle timeout', async () => {
    const lines: string[] = [];
    await run(
      (function* () {
        yield* waitFor(
          main((l) => lines.push(l), 300, 0),
          30_000,
        );
      })(),
    );
    const norm = lines.map((l) => l.replace(/\["127\.0\.0\.1",\d+\]/g, 'ADDR'));
    expect(norm[0]).toBe('Serving on ADDR');
    // the talking client, then the idle one; server and client lines interleave by arrival
    expect(norm.slice(1, 7).sort()).toEqual(
      [
        'Send: "Hello World!"',
        'Received "Hello World!\\n" from ADDR',
        'Send: "Hello World!\\n"',
        'Received: "Hello World!\\n"',
        'Close the connection',
        'Close the connection',
      ].sort(),
    );
    expect(norm.slice(7)).toEqual([
      'Idle for 0.3 s: ADDR',
      'Close the connection',
      'Idle client: the server closed the connection (0 bytes)',
    ]);
  }, 40_000);
});
