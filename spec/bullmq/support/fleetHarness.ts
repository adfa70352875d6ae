/**
 * Real components for the fleet specs and benchmark: a `redis-server` on a free loopback port in
 * a temporary directory, and `rx-asyncio-worker` processes (the real command line, under tsx).
 * Everything started here has a stop that waits for the process to be gone.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const CLI = join(ROOT, 'src/bullmq/cli.ts');

// Hang guard for a process to start or stop: generous, the machine is shared and busy.
const START_GUARD_MS = 60_000;

/** Why the fleet specs cannot run here (no `redis-server` binary), or undefined if they can. */
export function redisMissing(): string | undefined {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.error === undefined && probe.status === 0) return undefined;
  return (
    'no redis-server binary on PATH (install the Debian package: apt-get install redis-server; ' +
    '.ci/run does this)'
  );
}

/** A running process and how to stop it. */
export interface Started {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Output so far (stdout and stderr), for failure messages. */
  output(): string;
  /** Stops it (SIGTERM, then SIGKILL after a guard) and resolves once it has exited. */
  stop(): Promise<void>;
}

/** A running redis-server. */
export interface RedisServer extends Started {
  readonly port: number;
  readonly connection: { host: string; port: number };
}

/** Starts redis-server on a free 127.0.0.1 port, without persistence, in a temporary directory. */
export async function startRedis(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'rx-asyncio-redis-'));
  let lastError: unknown;
  // Why retry: the free port is found by binding and closing it; another process may take it.
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const proc = track(
      spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--save',
          '',
          '--appendonly',
          'no',
          '--dir',
          dir,
          '--daemonize',
          'no',
          '--protected-mode',
          'yes',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      ),
      () => rmSync(dir, { recursive: true, force: true }),
    );
    try {
      await waitFor(proc, () => /Ready to accept connections/.test(proc.output()), 'redis-server');
      await ping(port);
      return { ...proc, port, connection: { host: '127.0.0.1', port } };
    } catch (e) {
      lastError = e;
      await proc.stop();
    }
  }
  throw new Error(`could not start redis-server: ${String(lastError)}`);
}

/** Options of {@link startWorker}. */
export interface WorkerProcessOptions {
  port: number;
  queue: string;
  /** The allowlist: name -> module path (absolute) or URL. */
  modules: Record<string, string>;
  concurrency?: number;
  lockDuration?: number;
  stalledInterval?: number;
  env?: Record<string, string>;
}

/** Starts `rx-asyncio-worker` (src/bullmq/cli.ts under tsx) and waits for its ready line. */
export async function startWorker(options: WorkerProcessOptions): Promise<Started> {
  const args = [
    '--import',
    'tsx',
    CLI,
    '--queue',
    options.queue,
    '--redis',
    `redis://127.0.0.1:${options.port}`,
  ];
  for (const [name, path] of Object.entries(options.modules))
    args.push('--module', `${name}=${path}`);
  if (options.concurrency !== undefined) args.push('--concurrency', String(options.concurrency));
  if (options.lockDuration !== undefined)
    args.push('--lock-duration', String(options.lockDuration));
  if (options.stalledInterval !== undefined) {
    args.push('--stalled-interval', String(options.stalledInterval));
  }
  return startNodeScript(args, options.env);
}

/**
 * Starts `node ...args` (tsx loaded) in the repository root and waits until it prints a line with
 * `rx-asyncio-worker ready`.
 */
export async function startNodeScript(
  args: string[],
  env: Record<string, string> = {},
): Promise<Started> {
  const proc = track(
    spawn(process.execPath, args[0] === '--import' ? args : ['--import', 'tsx', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    }),
  );
  try {
    await waitFor(proc, () => /rx-asyncio-worker ready/.test(proc.output()), args.join(' '));
  } catch (e) {
    await proc.stop();
    throw e;
  }
  return proc;
}

function track(child: ChildProcess, cleanup?: () => void): Started {
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<void>((resolveExit) => {
    if (child.exitCode !== null || child.signalCode !== null) resolveExit();
    else child.once('exit', () => resolveExit());
  });
  exited.then(() => cleanup?.());
  return {
    child,
    pid: child.pid ?? -1,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const guard = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(guard);
      }
      await exited;
    },
  };
}

async function waitFor(proc: Started, ready: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + START_GUARD_MS;
  while (!ready()) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
      throw new Error(`${what} exited before it was ready:\n${proc.output()}`);
    }
    if (Date.now() > deadline)
      throw new Error(`${what} not ready after ${START_GUARD_MS} ms:\n${proc.output()}`);
    await sleep(20);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** Resolves once redis answers PING on `port`. */
function ping(port: number): Promise<void> {
  return new Promise((resolvePing, reject) => {
    const socket = new Socket();
    socket.setTimeout(START_GUARD_MS);
    socket.once('timeout', () => {
      socket.destroy();
      reject(new Error('redis-server: no answer to PING'));
    });
    socket.once('error', reject);
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.once('data', (d) => {
      socket.end();
      if (d.toString().startsWith('+PONG')) resolvePing();
      else reject(new Error(`redis-server answered PING with ${d.toString()}`));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `check` every 20 ms until true; throws `what` after the (generous) hang guard. */
export async function eventually(
  check: () => boolean,
  what: string,
  guardMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + guardMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`hang guard (${guardMs} ms): ${what}`);
    await sleep(20);
  }
}
