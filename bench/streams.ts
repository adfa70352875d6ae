/**
 * Streams benchmark (issue 20), in one run: echo throughput of 64 KiB messages over loopback
 * (rx-asyncio streams vs raw Node `net` vs asyncio streams), heap per idle connection (1,000
 * connections, both ends in one process, rx-asyncio vs asyncio), and `communicate()` of 100 MiB
 * through `cat` (rx-asyncio vs raw `child_process` vs asyncio). Medians of a few rounds; ratios
 * taken against baselines measured in the same run. Writes section `streams` of bench/RESULTS.md.
 *
 * `npm run bench:streams` (options: `--quick` for a short run).
 */
import { execFileSync, spawn } from 'node:child_process';
import * as net from 'node:net';
import { fileURLToPath } from 'node:url';
import { type Coroutine, run, type StreamReader, type StreamWriter, sleep } from '../src/index.js';
import {
  createSubprocessExec,
  openConnection,
  PIPE,
  type ServerSocket,
  startServer,
} from '../src/node/index.js';
import { writeResultsSection } from './resultsSection.js';

const MSG = 64 * 1024;
const quick = process.argv.includes('--quick');
const MESSAGES = quick ? 300 : 1500;
const CONNS = 1000;
const MIB = quick ? 20 : 100;
const ROUNDS = quick ? 1 : 3;

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
const now = () => performance.now();

// --- echo throughput

function* echoHandler(reader: StreamReader, writer: StreamWriter): Coroutine<void> {
  for (;;) {
    const data = yield* reader.read(MSG);
    if (data.length === 0) break;
    writer.write(data);
    yield* writer.drain();
  }
  writer.close();
}

function echoRx(): Promise<number> {
  return run(
    (function* () {
      const server = yield* startServer(echoHandler, '127.0.0.1', 0);
      const port = (server.sockets[0] as ServerSocket).getsockname()[1] as number;
      const [reader, writer] = yield* openConnection('127.0.0.1', port);
      const payload = new Uint8Array(MSG).fill(120);
      const t0 = now();
      for (let i = 0; i < MESSAGES; i++) {
        writer.write(payload);
        yield* writer.drain();
        yield* reader.readexactly(MSG);
      }
      const dt = (now() - t0) / 1000;
      writer.close();
      yield* writer.waitClosed();
      server.close();
      yield* server.waitClosed();
      return (MESSAGES * MSG) / dt / 2 ** 20;
    })(),
  );
}

/** The same protocol with Node's `net` and callbacks: the floor. */
function echoRaw(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((s) => s.pipe(s));
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      const c = net.connect(port, '127.0.0.1');
      const payload = Buffer.alloc(MSG, 120);
      let got = 0;
      let sent = 0;
      let t0 = 0;
      c.on('connect', () => {
        t0 = now();
        sent++;
        c.write(payload);
      });
      c.on('data', (d: Buffer) => {
        got += d.length;
        if (got === MSG) {
          got = 0;
          if (sent === MESSAGES) {
            const dt = (now() - t0) / 1000;
            c.destroy();
            server.close(() => resolve((MESSAGES * MSG) / dt / 2 ** 20));
            return;
          }
          sent++;
          c.write(payload);
        }
      });
      c.on('error', reject);
    });
  });
}

// --- heap per idle connection

function idleRx(): Promise<number> {
  return run(
    (function* () {
      const held: StreamWriter[] = [];
      const server = yield* startServer(
        function* (r, w) {
          held.push(w);
          yield* r.read(); // idle until the client closes
          w.close();
        },
        '127.0.0.1',
        0,
      );
      const port = (server.sockets[0] as ServerSocket).getsockname()[1] as number;
      gc();
      const base = process.memoryUsage().heapUsed;
      const clients: StreamWriter[] = [];
      for (let i = 0; i < CONNS; i++) clients.push((yield* openConnection('127.0.0.1', port))[1]);
      while (held.length < CONNS) yield* sleep(10);
      gc();
      const per = (process.memoryUsage().heapUsed - base) / CONNS;
      for (const w of clients) w.close();
      server.close();
      yield* server.waitClosed();
      return per;
    })(),
  );
}

/** The same 1,000 idle connections with bare Node sockets (both ends): what Node itself costs. */
function idleRaw(): Promise<number> {
  return new Promise((resolve) => {
    const held: net.Socket[] = [];
    const server = net.createServer((s) => {
      held.push(s);
      s.on('end', () => s.end());
    });
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      gc();
      const base = process.memoryUsage().heapUsed;
      const clients: net.Socket[] = [];
      for (let i = 0; i < CONNS; i++) clients.push(net.connect(port, '127.0.0.1'));
      const check = () => {
        if (held.length < CONNS) return void setTimeout(check, 10);
        gc();
        const per = (process.memoryUsage().heapUsed - base) / CONNS;
        for (const c of clients) c.end();
        server.close(() => resolve(per));
      };
      check();
    });
  });
}

// --- communicate() through cat

function communicateRx(): Promise<number> {
  return run(
    (function* () {
      const data = new Uint8Array(MIB * 2 ** 20).fill(121);
      const t0 = now();
      const proc = yield* createSubprocessExec('cat', [], { stdin: PIPE, stdout: PIPE });
      const [out] = yield* proc.communicate(data);
      const dt = (now() - t0) / 1000;
      if (out?.length !== data.length) throw new Error('communicate lost bytes');
      return MIB / dt;
    })(),
  );
}

function communicateRaw(): Promise<number> {
  return new Promise((resolve, reject) => {
    const data = Buffer.alloc(MIB * 2 ** 20, 121);
    const t0 = now();
    const child = spawn('cat', [], { stdio: ['pipe', 'pipe', 'inherit'] });
    const parts: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => parts.push(d));
    child.on('error', reject);
    child.stdin.end(data);
    child.on('close', () => {
      const dt = (now() - t0) / 1000;
      if (Buffer.concat(parts).length !== data.length) reject(new Error('raw lost bytes'));
      else resolve(MIB / dt);
    });
  });
}

function asyncio(): { echo: number; idle: number; communicate: number } | null {
  try {
    const script = fileURLToPath(new URL('./streams_asyncio.py', import.meta.url));
    const out = execFileSync('python3', [script, String(MESSAGES), String(CONNS), String(MIB)], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    return JSON.parse(out.trim().split('\n').pop() as string);
  } catch (e) {
    console.error('asyncio side failed:', (e as Error).message);
    return null;
  }
}

const rows = {
  echoRx: [] as number[],
  echoRaw: [] as number[],
  echoPy: [] as number[],
  idleRx: [] as number[],
  idleRaw: [] as number[],
  idlePy: [] as number[],
  comRx: [] as number[],
  comRaw: [] as number[],
  comPy: [] as number[],
};
for (let round = 0; round < ROUNDS; round++) {
  rows.echoRaw.push(await echoRaw());
  rows.echoRx.push(await echoRx());
  rows.idleRaw.push(await idleRaw());
  rows.idleRx.push(await idleRx());
  rows.comRaw.push(await communicateRaw());
  rows.comRx.push(await communicateRx());
  const py = asyncio();
  if (py !== null) {
    rows.echoPy.push(py.echo);
    rows.idlePy.push(py.idle);
    rows.comPy.push(py.communicate);
  }
  console.log(`round ${round + 1}/${ROUNDS} done`);
}

const m = Object.fromEntries(
  Object.entries(rows).map(([k, v]) => [k, v.length ? median(v) : Number.NaN]),
) as Record<keyof typeof rows, number>;
const f = (x: number, d = 0) => (Number.isNaN(x) ? 'n/a' : x.toFixed(d));
const table = [
  '## Streams and subprocesses (issue 20)',
  '',
  `\`npm run bench:streams\`${quick ? ' --quick' : ''}, ${new Date().toISOString().slice(0, 16)} UTC, Node ${process.version}, ${python()}; medians of ${ROUNDS} round(s), on a shared, busy 2-core machine (other engineers' test runs were going on: absolute numbers are low and noisy, the ratios are what to read).`,
  '',
  '| workload | rx-asyncio | raw Node | asyncio | vs raw Node | vs asyncio | target |',
  '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
  `| echo, ${MESSAGES} × 64 KiB round trips over loopback (MiB/s) | ${f(m.echoRx)} | ${f(m.echoRaw)} | ${f(m.echoPy)} | ${f(m.echoRx / m.echoRaw, 2)}× | ${f(m.echoRx / m.echoPy, 2)}× | ≥ 0.8× raw, ≥ 2× asyncio |`,
  `| heap per idle connection, ${CONNS} connections, both ends (bytes) | ${f(m.idleRx)} | ${f(m.idleRaw)} | ${f(m.idlePy)} | ${f(m.idleRx / m.idleRaw, 2)}× | ${f(m.idleRx / m.idlePy, 2)}× | ≤ 1× asyncio |`,
  `| \`communicate()\` of ${MIB} MiB through \`cat\` (MiB/s) | ${f(m.comRx)} | ${f(m.comRaw)} | ${f(m.comPy)} | ${f(m.comRx / m.comRaw, 2)}× | ${f(m.comRx / m.comPy, 2)}× | — |`,
  '',
  'Heap: rx-asyncio is V8 `heapUsed` after a forced GC; asyncio is `tracemalloc` (Python allocations). Neither counts kernel socket buffers.',
].join('\n');
console.log(table);
if (!quick) writeResultsSection('streams', table);

function python(): string {
  try {
    return execFileSync('python3', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return 'no python3';
  }
}
