/**
 * Child processes for Node specs, built to give the same verdict on an idle laptop and on a
 * shared 2-core machine under load:
 *
 * - Compiled entry. A child program (TypeScript, importing `src/`) is bundled by esbuild ONCE per
 *   test run into a temp dir, and children run `node bundle.mjs`: no `--import tsx` per child,
 *   whose start-up (transpiling the whole library) takes seconds under load.
 * - Few at once. At most {@link CHILD_CONCURRENCY} children run at the same time; the rest wait in
 *   a FIFO queue. Seven children starting together on two busy cores starve each other.
 * - Bounded by outcome. A run ends when the child exits; its verdict is what it printed and how it
 *   exited. The only clock is a hang guard ({@link CHILD_HANG_GUARD_MS}, minutes, not seconds) that
 *   kills a child that never exits and rejects naming it: a hang is a failure, slowness is not.
 *
 * Specs that await a child should use {@link CHILD_SPEC_TIMEOUT_MS} as their jasmine timeout: it
 * covers the queue and the hang guard, so jasmine's own timeout never decides first.
 */
import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** How long a child may run before it counts as hung and is killed (a guard, not a budget). */
export const CHILD_HANG_GUARD_MS = 120_000;

/** Children running at once: one per spare core, at least one, at most four. */
export const CHILD_CONCURRENCY = Math.max(1, Math.min(4, availableParallelism() - 1));

/** Jasmine timeout for a spec that awaits children: above the queue plus the hang guard. */
export const CHILD_SPEC_TIMEOUT_MS = 2 * CHILD_HANG_GUARD_MS + 60_000;

/** How a child ended. */
export interface ChildRun {
  /** Everything the child wrote to stdout. */
  out: string;
  /** Everything the child wrote to stderr. */
  err: string;
  /** Exit code, or null when a signal ended it. */
  code: number | null;
  /** The signal that ended it, or null. */
  signal: NodeJS.Signals | null;
}

export interface ChildOptions {
  /** Command-line arguments after the entry. */
  args?: readonly string[];
  /** Options for `node` itself, before the entry (e.g. `--expose-gc`). */
  nodeArgs?: readonly string[];
  /** The child's stdin: a pipe (a socket on Unix), /dev/null, or an open file descriptor. */
  stdin?: 'pipe' | 'ignore' | number;
  /** Written to a piped stdin, which is then ended; without it a piped stdin stays open (no EOF). */
  input?: string;
  /** Overrides {@link CHILD_HANG_GUARD_MS}. */
  hangGuardMs?: number;
  /**
   * Called with all stdout so far on each chunk: lets a spec act on what the child printed (e.g.
   * signal it once a prompt appears) instead of after a guessed delay.
   */
  onStdout?: (soFar: string, child: ChildProcess) => void;
  /** Extra environment variables. */
  env?: Record<string, string>;
}

let bundleDir: string | undefined;
const bundles = new Map<string, Promise<string>>();

function outDir(): string {
  if (bundleDir === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'rx-asyncio-children-'));
    bundleDir = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return bundleDir;
}

/**
 * The path of `entry` bundled into one self-contained ES module (dependencies included), built
 * on first use and shared by every later call in this run.
 */
export function bundledEntry(entry: URL | string): Promise<string> {
  const source = entry instanceof URL ? fileURLToPath(entry) : entry;
  let bundle = bundles.get(source);
  if (bundle === undefined) {
    const outfile = join(outDir(), `${bundles.size}-${basename(source).replace(/\.\w+$/, '')}.mjs`);
    bundle = build({
      entryPoints: [source],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node18',
      logLevel: 'silent',
    }).then(() => outfile);
    bundles.set(source, bundle);
  }
  return bundle;
}

// A FIFO gate: at most CHILD_CONCURRENCY children alive at once.
let running = 0;
const waiting: Array<() => void> = [];

function acquire(): Promise<void> {
  if (running < CHILD_CONCURRENCY) {
    running++;
    return Promise.resolve();
  }
  return new Promise((resolve) => waiting.push(resolve));
}

function release(): void {
  const next = waiting.shift();
  if (next) next();
  else running--;
}

/**
 * Runs `entry` (bundled by {@link bundledEntry}) in a child `node` process once a slot is free,
 * and resolves with its output when it exits. Rejects only if the child cannot start or is still
 * running after the hang guard (it is then killed).
 */
export async function runChild(entry: URL | string, options: ChildOptions = {}): Promise<ChildRun> {
  const script = await bundledEntry(entry);
  await acquire();
  try {
    return await spawnOnce(script, options);
  } finally {
    release();
  }
}

function spawnOnce(script: string, options: ChildOptions): Promise<ChildRun> {
  const guardMs = options.hangGuardMs ?? CHILD_HANG_GUARD_MS;
  const argv = [...(options.nodeArgs ?? []), script, ...(options.args ?? [])];
  const proc = spawn(process.execPath, argv, {
    stdio: [options.stdin ?? 'pipe', 'pipe', 'pipe'] as StdioOptions,
    env: { ...process.env, ...options.env },
  });
  if (options.input !== undefined) proc.stdin?.end(options.input);
  let out = '';
  let err = '';
  proc.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    options.onStdout?.(out, proc);
  });
  proc.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  return new Promise((resolve, reject) => {
    const guard = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(
        new Error(
          `child ${basename(script)} ${(options.args ?? []).join(' ')} was still running after ` +
            `the ${guardMs / 1000} s hang guard (killed); stdout so far: ${JSON.stringify(out)}, ` +
            `stderr: ${JSON.stringify(err)}`,
        ),
      );
    }, guardMs);
    proc.on('error', (e) => {
      clearTimeout(guard);
      reject(e);
    });
    // 'close', not 'exit': all of stdout and stderr has been read by then.
    proc.on('close', (code, signal) => {
      clearTimeout(guard);
      resolve({ out, err, code, signal });
    });
  });
}
