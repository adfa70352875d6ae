/**
 * Bundle size: `npm run bench:size`. Bundles each entry with esbuild (ESM, minified, tree-shaken,
 * for browsers, with this package's `sideEffects: false` as a consumer's bundler would see it),
 * gzips the result (level 9) and writes the table to bench/RESULTS.md (section `size`). The
 * peers (Effection's `run` + `sleep`, rxjs's `interval` + `map`) are bundled in the same run
 * with the same settings.
 *
 * Options: `--out=path` (default bench/RESULTS.md), `--print` (also print the table).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { ensurePeers } from './ensurePeers.js';
import { RESULTS_PATH, writeResultsSection } from './resultsSection.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const src = join(root, 'src', 'index.ts');
const marbles = join(root, 'marbles', 'index.ts');

interface Entry {
  name: string;
  /** The module text: what a program imports (and uses) from the library. */
  code: string;
  /** Where bare imports resolve from (the peers live in bench/node_modules). */
  resolveDir: string;
  /** Gzipped target in KB, when the issue set one. */
  targetKb?: number;
}

const entries: Entry[] = [
  {
    name: 'rx-asyncio `run` + `sleep`',
    code: `export { run, sleep } from ${JSON.stringify(src)};`,
    resolveDir: root,
    targetKb: 10,
  },
  {
    name: 'rx-asyncio toolkit: `run`, `sleep`, `gather`, `TaskGroup`, `timeout`, `Lock`, `Queue`',
    code: `export { run, sleep, gather, TaskGroup, timeout, Lock, Queue } from ${JSON.stringify(src)};`,
    resolveDir: root,
    targetKb: 16,
  },
  {
    name: 'rx-asyncio, everything',
    code: `export * from ${JSON.stringify(src)};`,
    resolveDir: root,
  },
  {
    name: 'rx-asyncio, everything + `rx-asyncio/marbles`',
    code: `export * from ${JSON.stringify(src)};\nexport * from ${JSON.stringify(marbles)};`,
    resolveDir: root,
  },
  {
    name: 'Effection `run` + `sleep`',
    code: `export { run, sleep } from 'effection';`,
    resolveDir: here,
  },
  {
    name: 'rxjs `interval` + `map`',
    code: `export { interval, map } from 'rxjs';`,
    resolveDir: root,
  },
];

interface Size {
  name: string;
  min: number;
  gz: number;
  targetKb?: number;
  /** Minified bytes from rxjs (and its tslib helpers), the rest being the entry's own. */
  rxjs: number;
}

async function measure(entry: Entry): Promise<Size> {
  const out = await build({
    stdin: { contents: entry.code, resolveDir: entry.resolveDir, loader: 'ts' },
    bundle: true,
    minify: true,
    treeShaking: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    // Node built-ins are loaded lazily by the worker pool in Node; a browser bundle leaves them out.
    external: ['node:*'],
    write: false,
    logLevel: 'silent',
    metafile: true,
  });
  const bytes = out.outputFiles[0]?.contents ?? new Uint8Array();
  let rxjs = 0;
  for (const o of Object.values(out.metafile.outputs)) {
    for (const [path, input] of Object.entries(o.inputs)) {
      if (/node_modules\/(rxjs|tslib)\//.test(path)) rxjs += input.bytesInOutput;
    }
  }
  return {
    name: entry.name,
    min: bytes.length,
    gz: gzipSync(bytes, { level: 9 }).length,
    targetKb: entry.targetKb,
    rxjs,
  };
}

const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;

function render(sizes: Size[]): string {
  const lines = [
    '## Bundle size',
    '',
    `Written by \`npm run bench:size\` (bench/size.ts), ${new Date().toISOString().slice(0, 10)}: esbuild ` +
      'bundle (ESM, browser, tree-shaken, `sideEffects: false` honoured), minified, gzip level 9. ' +
      'The peers are bundled in the same run with the same settings. KB = 1024 bytes.',
    '',
    '| bundle | minified | of which rxjs + tslib | gzipped | target (gzipped) |',
    '|---|---:|---:|---:|---|',
  ];
  for (const s of sizes) {
    const target =
      s.targetKb === undefined
        ? ''
        : `≤ ${s.targetKb} KB: ${s.gz <= s.targetKb * 1024 ? 'met' : '**missed**'}`;
    lines.push(`| ${s.name} | ${kb(s.min)} | ${kb(s.rxjs)} | ${kb(s.gz)} | ${target} |`);
  }
  lines.push(
    '',
    'What stands between `run` + `sleep` and 10 KB: the loop, `Future`, `Task` and their error ' +
      'messages (each says what went wrong and what to do) are most of it; rxjs brings its ' +
      '`Observable` (a Future is one) and the schedulers the loop runs on. The worker pool is no ' +
      'longer in it (issue 17: the kernel reaches the offload layer through a hook). The toolkit ' +
      'adds `ensureFuture` (gather and TaskGroup accept Promises and Observables), which brings ' +
      "rxjs's `innerFrom`, tslib's async-iterator helpers and the Promise-boundary check " +
      '(`VirtualTimeScheduler`). Sizes are deterministic: unlike the timings, they do not ' +
      'depend on the busy shared machine they were measured on.',
  );
  return lines.join('\n');
}

const argv = process.argv.slice(2);
const outArg = argv.find((a) => a.startsWith('--out='))?.slice('--out='.length);
ensurePeers();
const sizes: Size[] = [];
for (const entry of entries) {
  if (entry.resolveDir === here && !existsSync(join(here, 'node_modules'))) continue;
  sizes.push(await measure(entry));
}
const table = render(sizes);
writeResultsSection('size', table, outArg ?? RESULTS_PATH);
if (argv.includes('--print') || outArg === undefined) console.log(table);
