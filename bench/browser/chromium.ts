/**
 * Headless Chromium for the browser benchmark, driven through the DevTools protocol with `ws`:
 * a local HTTP server serves the bundled page scripts, the browser opens them one run at a time
 * and `Runtime.evaluate` awaits the page's result. Chromium: $CHROME_BIN or $CHROMIUM_BIN, else
 * /usr/bin/chromium (as karma.conf.js).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
}

/** One page target, with `evaluate` and `navigate`. */
export class Page {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const msg = JSON.parse(String(data)) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
      };
      const p = msg.id === undefined ? undefined : this.pending.get(msg.id);
      if (p === undefined) return;
      this.pending.delete(msg.id as number);
      if (msg.error) p.reject(new Error(`DevTools: ${msg.error.message}`));
      else p.resolve(msg.result);
    });
    socket.on('close', () => {
      for (const p of this.pending.values()) p.reject(new Error('DevTools socket closed'));
      this.pending.clear();
    });
  }

  send(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Evaluates `expression` in the page, awaiting a Promise; returns the JSON value. */
  async evaluate<T>(expression: string): Promise<T> {
    const r = (await this.send('Runtime.evaluate', {
      expression,
      awaitPromise: true,
      returnByValue: true,
    })) as { result: { value?: T }; exceptionDetails?: { exception?: { description?: string } } };
    if (r.exceptionDetails) {
      throw new Error(`page: ${r.exceptionDetails.exception?.description ?? 'exception'}`);
    }
    return r.result.value as T;
  }

  /** Loads `url` and waits until `ready` (an expression) is true. */
  async navigate(url: string, ready: string): Promise<void> {
    await this.send('Page.navigate', { url });
    const until = Date.now() + 30_000;
    for (;;) {
      const ok = await this.evaluate<boolean>(`Boolean(${ready})`).catch(() => false);
      if (ok) return;
      if (Date.now() > until) throw new Error(`page ${url} did not become ready (${ready})`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** A running headless Chromium plus the HTTP server of the page files. */
export class Browser {
  private constructor(
    private readonly proc: ChildProcess,
    private readonly profile: string,
    private readonly server: Server,
    readonly origin: string,
    readonly page: Page,
    private readonly socket: WebSocket,
  ) {}

  /**
   * Starts Chromium on a blank page; `files` maps a path (`/a.js`) to its body, type and extra
   * response headers.
   */
  static async launch(
    files: Map<string, { body: string; type: string; headers?: Record<string, string> }>,
  ): Promise<Browser> {
    const server = createServer((req, res) => {
      const f = files.get((req.url ?? '/').split('?')[0] as string);
      if (f === undefined) {
        res.writeHead(404).end();
        return;
      }
      res
        .writeHead(200, { 'content-type': f.type, 'cache-control': 'no-store', ...f.headers })
        .end(f.body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const profile = mkdtempSync(join(tmpdir(), 'rx-asyncio-bench-chromium-'));
    const bin = process.env.CHROME_BIN ?? process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
    const proc = spawn(
      bin,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-background-timer-throttling',
        '--disable-renderer-backgrounding',
        '--disable-backgrounding-occluded-windows',
        '--disable-component-update',
        '--no-first-run',
        '--remote-debugging-port=0',
        `--user-data-dir=${profile}`,
        'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const wsUrl = await new Promise<string>((resolve, reject) => {
      let err = '';
      const timer = setTimeout(() => reject(new Error(`Chromium did not start: ${err}`)), 30_000);
      proc.stderr?.on('data', (d: Buffer) => {
        err += String(d);
        const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
        if (m) {
          clearTimeout(timer);
          resolve(m[1] as string);
        }
      });
      proc.on('exit', (code) => reject(new Error(`Chromium exited (${code}): ${err}`)));
    });
    const port = new URL(wsUrl).port;
    const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as {
      type: string;
      webSocketDebuggerUrl: string;
    }[];
    const target = targets.find((t) => t.type === 'page');
    if (target === undefined) throw new Error('Chromium has no page target');
    const socket = new WebSocket(target.webSocketDebuggerUrl, { perMessageDeflate: false });
    await new Promise((r, j) => {
      socket.once('open', r);
      socket.once('error', j);
    });
    const page = new Page(socket);
    await page.send('Page.enable');
    return new Browser(proc, profile, server, origin, page, socket);
  }

  async close(): Promise<void> {
    this.socket.close();
    const exited = new Promise((r) => this.proc.once('exit', r));
    this.proc.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (this.proc.exitCode === null) this.proc.kill('SIGKILL');
    this.server.close();
    // Chromium's helper processes may still be writing the profile for a moment.
    rmSync(this.profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
}
