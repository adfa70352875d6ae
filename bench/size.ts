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
  /** Minified bytes per input module, largest first. */
  modules: Array<[string, number]>;
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
  const modules: Array<[string, number]> = [];
  for (const o of Object.values(out.metafile.outputs)) {
    for (const [path, input] of Object.entries(o.inputs)) {
      if (/node_modules\/(rxjs|tslib)\//.test(path)) rxjs += input.bytesInOutput;
      if (input.bytesInOutput > 0) modules.push([path, input.bytesInOutput]);
    }
  }
  modules.sort((a, b) => b[1] - a[1]);
  return {
    name: entry.name,
    min: bytes.length,
    gz: gzipSync(bytes, { level: 9 }).length,
    targetKb: entry.targetKb,
    rxjs,
    modules,
  };
}

const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;

/** The largest modules of a bundle, then the rest as one row. */
function breakdown(s: Size, rows = 12): string[] {
  const name = (path: string): string =>
    path.replace(/^.*node_modules\/(rxjs\/dist\/\w+\/internal\/|)/, (_m, rx: string) =>
      rx === '' ? '' : 'rxjs: ',
    );
  const top = s.modules.slice(0, rows);
  const rest = s.modules.slice(rows).reduce((sum, [, n]) => sum + n, 0);
  return [
    `Where the bytes of ${s.name} go (minified, before gzip), largest first:`,
    '',
    '| module | minified |',
    '|---|---:|',
    ...top.map(([path, n]) => `| ${name(path)} | ${kb(n)} |`),
    `| ${s.modules.length - top.length} other modules | ${kb(rest)} |`,
  ];
}

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
  const first = sizes[0];
  if (first !== undefined) lines.push('', ...breakdown(first));
  lines.push(
    '',
    'What stands between `run` + `sleep` and 10 KB: the kernel itself. The loop, `Task` and ' +
      '`Future` (with their error messages, each saying what went wrong and what to do) and ' +
      'the runner behind `run()` are most of it; rxjs brings its `Observable` (a Future is one), ' +
      '`Subscription` and the schedulers the loop runs on (async, asap for waking an idle loop, ' +
      'queue), in the ES5 build most bundlers pick. Debug mode (creation sites, the slow-step ' +
      "monitor) and run()'s Ctrl-C handling are small. The worker pool is not in it (issue 17: " +
      'the kernel reaches the offload layer through a hook), nor `VirtualTimeScheduler` (virtual ' +
      'time is recognised by shape). The toolkit adds `ensureFuture` (gather and TaskGroup accept ' +
      "Promises and Observables), which brings rxjs's `innerFrom` and tslib's async-iterator " +
      'helpers. Sizes are deterministic: unlike the timings, they do not depend on the busy ' +
      'shared machine they were measured on.',
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
