// TLS over real TCP on 127.0.0.1: a real handshake with a self-signed test certificate, made with
// `openssl` at spec time when it is there, else the committed fixture (spec/node/fixtures).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Coroutine, StreamReader, StreamWriter } from '../../src/index.js';
import {
  openConnection,
  type Server,
  type ServerSocket,
  startServer,
} from '../../src/node/index.js';
import { guarded } from '../support/outcome.js';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

function testCertificate(): { key: string; cert: string; generated: boolean } {
  const dir = mkdtempSync(join(tmpdir(), 'rx-asyncio-tls-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
      ],
      { stdio: 'ignore', timeout: 30_000 },
    );
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8'), generated: true };
  } catch {
    const fixture = (name: string) =>
      readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');
    return { key: fixture('tls-key.pem'), cert: fixture('tls-cert.pem'), generated: false };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const portOf = (server: Server) => (server.sockets[0] as ServerSocket).getsockname()[1] as number;

function* echoLine(reader: StreamReader, writer: StreamWriter): Coroutine<void> {
  writer.write(yield* reader.readline());
  yield* writer.drain();
  writer.close();
}

describe('TLS streams (rx-asyncio/node)', () => {
  let tls: { key: string; cert: string; generated: boolean };
  beforeAll(() => {
    tls = testCertificate();
  }, 40_000);

  it('openConnection({ ssl }) to startServer({ ssl }): a real handshake, the peer certificate, no writeEof', async () => {
    const out = await guarded(function* () {
      const server = yield* startServer(echoLine, '127.0.0.1', 0, {
        ssl: { key: tls.key, cert: tls.cert },
      });
      try {
        const [reader, writer] = yield* openConnection('127.0.0.1', portOf(server), {
          ssl: { ca: tls.cert },
          serverHostname: 'localhost',
        });
        writer.write('secret\n');
        const line = text(yield* reader.readline());
        const cert = writer.getExtraInfo('peercert') as { subject: { CN: string } };
        const canWriteEof = writer.canWriteEof();
        writer.close();
        yield* writer.waitClosed();
        return { line, cn: cert.subject.CN, canWriteEof };
      } finally {
        server.close();
        yield* server.waitClosed();
      }
    });
    expect(out).toEqual({ line: 'secret\n', cn: 'localhost', canWriteEof: false });
  }, 60_000);

  it('a certificate the client does not trust fails the handshake with a clear error', async () => {
    const e = await guarded(function* () {
      const server = yield* startServer(echoLine, '127.0.0.1', 0, {
        ssl: { key: tls.key, cert: tls.cert },
      });
      try {
        yield* openConnection('127.0.0.1', portOf(server), {
          ssl: true,
          serverHostname: 'localhost',
        });
        return null;
      } catch (e) {
        return e;
      } finally {
        server.close();
        yield* server.waitClosed();
      }
    });
    expect((e as { code?: string } | null)?.code).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY/);
  }, 60_000);

  it('writer.startTls() upgrades a plain connection in place (STARTTLS)', async () => {
    const out = await guarded(function* () {
      const server = yield* startServer(
        function* (reader, writer) {
          if (text(yield* reader.readline()) !== 'STARTTLS\n') return writer.close();
          writer.write('OK\n');
          yield* writer.drain();
          yield* writer.startTls({ isServer: true, key: tls.key, cert: tls.cert });
          writer.write(`over tls: ${text(yield* reader.readline())}`);
          yield* writer.drain();
          writer.close();
        },
        '127.0.0.1',
        0,
      );
      try {
        const [reader, writer] = yield* openConnection('127.0.0.1', portOf(server));
        writer.write('STARTTLS\n');
        const ok = text(yield* reader.readline());
        const before = writer.getExtraInfo('peercert');
        yield* writer.startTls({ ca: tls.cert }, { serverHostname: 'localhost' });
        writer.write('hello\n');
        const line = text(yield* reader.readline());
        const cn = (writer.getExtraInfo('peercert') as { subject: { CN: string } }).subject.CN;
        writer.close();
        return { ok, before, line, cn };
      } finally {
        server.close();
        yield* server.waitClosed();
      }
    });
    expect(out).toEqual({
      ok: 'OK\n',
      before: undefined,
      line: 'over tls: hello\n',
      cn: 'localhost',
    });
  }, 60_000);
});
