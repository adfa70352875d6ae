// WorkerPool({ workerUrl }) and setWorkerUrl in Node: workers started from the worker entry file
// (what scripts/build.mjs writes as dist/worker.js, the package's `rx-asyncio/worker`).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  gather,
  getRunningLoop,
  setWorkerUrl,
  toThread,
  WorkerCrashedError,
  WorkerPool,
  workerFunction,
} from '../../src/index.js';
import { WORKER_SOURCE } from '../../src/offload/workerSource.js';
import { guarded } from '../support/outcome.js';

/** Was this job run by a worker started from the entry file (which sets the marker)? */
function fromEntry(): boolean {
  return (globalThis as { startedFromEntry?: boolean }).startedFromEntry === true;
}

describe('WorkerPool({ workerUrl }) in Node', () => {
  let dir: string;
  let entry: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rx-asyncio-worker-entry-'));
    // An ES module, as dist/worker.js: no require(), so the worker finds worker_threads through
    // process.getBuiltinModule. The marker tells its workers from the eval'd ones.
    entry = join(dir, 'worker.mjs');
    writeFileSync(entry, `globalThis.startedFromEntry = true;\n${WORKER_SOURCE}`);
    writeFileSync(join(dir, 'work.mjs'), 'export function triple(n) { return 3 * n; }\n');
  });

  afterAll(() => {
    setWorkerUrl(null);
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts its workers from the entry file, for functions by value and module functions', async () => {
    const pool = new WorkerPool({ maxWorkers: 1, workerUrl: pathToFileURL(entry) });
    const triple = workerFunction<[number], number>(
      pathToFileURL(join(dir, 'work.mjs')).href,
      'triple',
    );
    try {
      const got = await guarded(function* () {
        const loop = getRunningLoop();
        const marked = yield* loop.runInExecutor(pool, fromEntry);
        const sum = yield* loop.runInExecutor(pool, (a: number, b: number) => a + b, 20, 22);
        const tripled = yield* loop.runInExecutor(pool, triple, 14);
        return [marked, sum, tripled];
      });
      expect(got).toEqual([true, 42, 42]);
    } finally {
      await pool.shutdown();
    }
  });

  it('setWorkerUrl(url) sets it for pools created afterwards, toThread’s default pool included', async () => {
    setWorkerUrl(entry);
    try {
      expect(await guarded(() => toThread(fromEntry))).toBe(true);
    } finally {
      setWorkerUrl(null);
    }
    expect(await guarded(() => toThread(fromEntry))).toBe(false);
  });

  it('does nothing when the entry is imported outside a worker', async () => {
    await import(pathToFileURL(entry).href);
    expect((globalThis as { startedFromEntry?: boolean }).startedFromEntry).toBe(true);
    delete (globalThis as { startedFromEntry?: boolean }).startedFromEntry;
  });

  it('fails the jobs when its workers cannot start, instead of starting new ones forever', async () => {
    const pool = new WorkerPool({ maxWorkers: 1, workerUrl: pathToFileURL(join(dir, 'none.mjs')) });
    try {
      const error = await guarded(function* () {
        const loop = getRunningLoop();
        const jobs = [1, 2, 3].map((n) => loop.runInExecutor(pool, (x: number) => x, n));
        return yield* gather(...jobs, { returnExceptions: true });
      }, 20_000);
      for (const e of error) {
        expect(e).toEqual(jasmine.any(WorkerCrashedError));
        expect(String(e)).toMatch(/workers cannot start here: .*none\.mjs/);
      }
    } finally {
      await pool.shutdown();
    }
  });

  it('refuses a workerUrl that is not a string or URL', () => {
    expect(() => new WorkerPool({ workerUrl: 5 as never })).toThrowError(
      TypeError,
      /workerUrl: expected the URL of rx-asyncio's worker entry/,
    );
    expect(() => new WorkerPool({ workerUrl: '' })).toThrowError(TypeError);
    expect(() => setWorkerUrl({} as never)).toThrowError(TypeError, /setWorkerUrl\(url\)/);
  });
});
