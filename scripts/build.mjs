/**
 * `npm run build`: a clean dist/ from tsc (tsconfig.build.json), then the internals stripped from
 * its declaration files (scripts/strip-internal-dts.mjs), then the worker entry dist/worker.js
 * (`rx-asyncio/worker`, for pages whose Content-Security-Policy forbids blob: workers): the
 * pool's worker script, written from the one source the pool itself uses (workerSource.ts). A
 * clean start, so a module deleted from src/ never lingers in a published tarball.
 */
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
rmSync(join(root, 'dist'), { recursive: true, force: true });
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
execFileSync(process.execPath, [join(root, 'scripts', 'strip-internal-dts.mjs')], {
  stdio: 'inherit',
});

const dist = join(root, 'dist');
const { WORKER_SOURCE } = await import(
  pathToFileURL(join(dist, 'src', 'offload', 'workerSource.js')).href
);
writeFileSync(
  join(dist, 'worker.js'),
  `// rx-asyncio's worker entry: serve this file from your origin and pass its URL to
// new WorkerPool({ workerUrl }) or setWorkerUrl(url). It does nothing outside a worker.
${WORKER_SOURCE}`,
);
writeFileSync(
  join(dist, 'worker.d.ts'),
  `/**
 * rx-asyncio's worker entry (\`rx-asyncio/worker\`): a script to serve from your own origin, for
 * pages whose Content-Security-Policy forbids blob: workers. It exports nothing; pass its URL to
 * \`new WorkerPool({ workerUrl })\` or \`setWorkerUrl(url)\`.
 */
export {};
`,
);
