import type * as WorkerThreads from 'node:worker_threads';
import type { TransferItem } from '../kernel/Executor.js';
import { WORKER_SOURCE } from './workerSource.js';

/** @internal One worker, whatever the platform. */
export interface WorkerLink {
  post(message: unknown, transfer: readonly TransferItem[]): void;
  /** Stops the worker; the result settles once it is gone (Node) or at once (browsers). */
  terminate(): PromiseLike<unknown> | undefined;
  /** Node: whether the worker may keep the process alive (busy: yes; idle: no). */
  setActive(active: boolean): void;
}

/** @internal What a worker reports to its pool. */
export interface LinkEvents {
  message(data: unknown): void;
  /** The worker died, or hit an error outside any job. Called at most once. */
  crash(error: Error): void;
}

/** @internal Starts a worker that runs {@link WORKER_SOURCE}. */
export type Spawn = (events: LinkEvents) => WorkerLink;

type NodeProcess = { versions?: { node?: string }; execArgv?: string[] };

const nodeProcess = (globalThis as { process?: NodeProcess }).process;
const isNode = typeof nodeProcess?.versions?.node === 'string';

let nodeSpawn: Promise<(events: LinkEvents, url: string | null) => WorkerLink> | null = null;
let nodeCores: number | undefined;

/**
 * @internal The platform's way to start workers, from the script at `url` (the worker entry,
 * `rx-asyncio/worker`) or, with null, from {@link WORKER_SOURCE} itself. Node's
 * `worker_threads` is imported on first use, by a computed specifier so that browser bundlers
 * leave it alone.
 */
export function loadSpawn(url: string | null): Promise<Spawn> | Spawn {
  if (!isNode) return (events) => spawnWebWorker(events, url);
  return loadNodeSpawn().then((spawn) => (events: LinkEvents) => spawn(events, url));
}

function loadNodeSpawn(): Promise<(events: LinkEvents, url: string | null) => WorkerLink> {
  if (nodeSpawn === null) {
    const wtName = 'node:worker_threads';
    const osName = 'node:os';
    nodeSpawn = Promise.all([
      import(/* @vite-ignore */ wtName) as Promise<typeof WorkerThreads>,
      import(/* @vite-ignore */ osName) as Promise<{ availableParallelism?: () => number }>,
    ]).then(([wt, os]) => {
      nodeCores = os.availableParallelism?.();
      return (events: LinkEvents, url: string | null) => spawnNodeWorker(wt, events, url);
    });
  }
  return nodeSpawn;
}

/**
 * The tsx API a worker needs to import `.ts` modules, when this process runs under tsx: Node 20
 * does not apply the parent's `--import` loader hooks to a worker's dynamic imports.
 */
function tsLoader(): string | null {
  const argv = nodeProcess?.execArgv ?? [];
  for (const arg of argv) {
    const m = /^(?:--import=)?(file:\/\/\S*\/tsx\/dist\/)loader\.mjs$/.exec(arg);
    if (m) return `${m[1]}esm/api/index.mjs`;
    if (arg === 'tsx' || arg === '--import=tsx') return 'tsx/esm/api';
  }
  return null;
}

function spawnNodeWorker(
  wt: typeof WorkerThreads,
  events: LinkEvents,
  url: string | null,
): WorkerLink {
  const options = { workerData: { tsLoader: tsLoader() }, stdout: false, stderr: false };
  const worker =
    url === null
      ? new wt.Worker(WORKER_SOURCE, { ...options, eval: true })
      : new wt.Worker(url.startsWith('file:') ? new URL(url) : url, options);
  let gone = false;
  const crash = (error: Error): void => {
    if (gone) return;
    gone = true;
    events.crash(error);
  };
  worker.on('message', (data) => events.message(data));
  worker.on('error', (e) => crash(e instanceof Error ? e : new Error(String(e))));
  worker.on('messageerror', (e) => crash(e instanceof Error ? e : new Error(String(e))));
  worker.on('exit', (code) => crash(new Error(`the worker exited with code ${code}`)));
  return {
    post: (message, transfer) => worker.postMessage(message, transfer as never),
    terminate: () => {
      gone = true;
      return guardedTerminate(worker);
    },
    setActive: (active) => (active ? worker.ref() : worker.unref()),
  };
}

/** How long a terminating worker may take before it counts as stuck in a system call. */
const STUCK_MS = 500;
const stuck = new Set<WorkerThreads.Worker>();
let exitGuard = false;

/**
 * Terminates a worker; settles within {@link STUCK_MS} even if it cannot stop. rx-asyncio's own
 * jobs never block in a system call (`input()` asks the main thread for its line), but a job of
 * the user's may (a synchronous read of a socket), and such a worker ignores `terminate()`, and
 * Node's exit would then wait for it forever: as a last resort, a process exiting with such a
 * worker still stuck kills itself (SIGKILL) instead of hanging, and says why on stderr.
 */
function guardedTerminate(worker: WorkerThreads.Worker): Promise<void> {
  // Why ref: an idle worker is unreferenced, and a process whose last work is awaiting this
  // termination (run()'s executor shutdown) would otherwise exit before it settles, silently.
  worker.ref();
  const ended = worker.terminate().then(() => {
    stuck.delete(worker);
  });
  const late = new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      worker.unref(); // stuck: the exit guard below deals with it
      stuck.add(worker);
      installExitGuard();
      resolve();
    }, STUCK_MS);
    timer.unref?.();
    ended.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
  return late;
}

function installExitGuard(): void {
  if (exitGuard) return;
  exitGuard = true;
  const proc = nodeProcess as {
    once(event: 'exit', fn: () => void): void;
    kill(pid: number, signal: string): void;
    pid: number;
  };
  proc.once('exit', () => {
    if (stuck.size === 0) return;
    console.error(
      `rx-asyncio: ${stuck.size} worker thread(s) stuck in a blocking system call ` +
        'would keep the process from exiting; killing it',
    );
    proc.kill(proc.pid, 'SIGKILL');
  });
}

let blobUrl: string | null = null;
/** The directive of the last Content-Security-Policy violation that refused a `blob:` worker. */
let blobRefusedBy: string | null = null;
let watchingPolicy = false;

/**
 * Notes when the page's Content-Security-Policy refuses a `blob:` worker. Why: the browser then
 * fires only an `error` event without a message on the worker, and the reason travels in a
 * `securitypolicyviolation` event, which comes first.
 */
function watchPolicy(): void {
  if (watchingPolicy) return;
  watchingPolicy = true;
  const g = globalThis as { addEventListener?: (type: string, fn: (e: Event) => void) => void };
  g.addEventListener?.('securitypolicyviolation', (e) => {
    const v = e as Event & { blockedURI?: string; effectiveDirective?: string };
    if (v.blockedURI === 'blob' || v.blockedURI?.startsWith('blob:')) {
      blobRefusedBy = v.effectiveDirective ?? 'worker-src';
    }
  });
}

/**
 * Why a worker failed to start (an `error` event with no message: its script never ran), with
 * what to do. Content-Security-Policy is the usual cause for a `blob:` worker.
 */
function startFailure(url: string | null): Error {
  if (url !== null) {
    return new Error(
      `the worker script ${url} could not be loaded (a wrong URL or a 404, a non-JavaScript MIME ` +
        'type, or a Content-Security-Policy whose worker-src does not allow it); it must be the ' +
        'worker entry rx-asyncio/worker (dist/worker.js), served from this origin',
    );
  }
  const refusal =
    blobRefusedBy === null
      ? 'the usual cause is a Content-Security-Policy that does not allow blob: workers'
      : `the page's Content-Security-Policy (${blobRefusedBy}) refused it`;
  return new Error(
    `the worker could not start from its blob: URL: ${refusal}. Serve the worker entry ` +
      'rx-asyncio/worker (dist/worker.js) from your own origin and pass its URL: ' +
      'new WorkerPool({ workerUrl }), or setWorkerUrl(url) for the default pool of toThread',
  );
}

function spawnWebWorker(events: LinkEvents, url: string | null): WorkerLink {
  if (url === null) {
    watchPolicy();
    blobUrl ??= URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
  }
  const worker = new Worker(url ?? (blobUrl as string));
  let gone = false;
  const crash = (error: Error): void => {
    if (gone) return;
    gone = true;
    events.crash(error);
  };
  worker.addEventListener('message', (ev) => events.message(ev.data));
  worker.addEventListener('error', (ev) => {
    ev.preventDefault();
    crash(ev.message ? new Error(ev.message) : startFailure(url));
  });
  worker.addEventListener('messageerror', () =>
    crash(new Error('a message from the worker could not be deserialized')),
  );
  return {
    post: (message, transfer) => worker.postMessage(message, transfer as Transferable[]),
    terminate: () => {
      gone = true;
      worker.terminate();
      return undefined;
    },
    setActive: () => {},
  };
}

/** @internal A sensible default pool size: the cores, at least 2, at most 8. */
export function defaultPoolSize(): number {
  const g = globalThis as { navigator?: { hardwareConcurrency?: number } };
  const cores = isNode ? nodeCores : g.navigator?.hardwareConcurrency;
  return Math.max(2, Math.min(8, cores ?? 2));
}
