/**
 * `npm run bench:browser`: how long a busy loop makes the page's other work wait, in headless
 * Chromium (issue 21). Each run keeps a loop busy for `--ms` ms of real time while a
 * `setInterval(…, 10)` samples the gaps between its ticks; it reports the work done (round trips
 * or task steps per second) and the gap p95 and max, for
 *
 * - rx-asyncio as it is in this checkout (`after`) and, with `--a <checkout>`, as it is there
 *   (`before`: a copy of main's `src/` and `package.json`, bundled the same way);
 * - a native `async`/`await` loop that yields to the page the same way (every 5 ms, through
 *   `scheduler.yield()`), the hand-written baseline;
 * - idle: the interval alone.
 *
 * Workloads: ping-pong (two tasks handing a number back and forth through two queues) and cpu
 * (100 tasks, each step ~0.2 ms of arithmetic then `sleep(0)`). Every variant runs once per
 * round, in an order that rotates from round to round, on a freshly loaded page; the table gives
 * the medians over rounds. Targets: busy gap p95 ≤ 16.7 ms (one frame), max ≤ 33 ms.
 *
 *   npm run bench:browser -- --a /tmp/bA --rounds 5 --write
 *   node --import tsx bench/browser.ts --matrix      # yield primitives × slices (exploration)
 *
 * `--write` replaces the `browser` section of bench/RESULTS.md. The page is bench/browser/page.ts;
 * Chromium is driven through its DevTools protocol (bench/browser/chromium.ts, `ws` from karma).
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { Browser } from './browser/chromium.js';
import type { Outcome, Primitive, Spec } from './browser/page.js';
import { median } from './harness.js';
import { writeResultsSection } from './resultsSection.js';
import { fmtRate, loadText } from './rounds.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');

interface Variant {
  /** Row label. */
  label: string;
  /** Which bundle runs it: this checkout (`b`) or the `--a` one (`a`). */
  bundle: 'a' | 'b';
  spec: Omit<Spec, 'ms'>;
}

interface Row {
  variant: Variant;
  rates: number[];
  p95: number[];
  max: number[];
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
}

/** Bundles the page with its `src/` taken from `checkout` (the page imports ../../src/index.js). */
async function bundle(checkout: string): Promise<string> {
  const ownSrc = join(root, 'src');
  const redirect: Plugin = {
    name: 'checkout-src',
    setup(b) {
      b.onResolve({ filter: /\/src\/index\.js$/ }, (a) => {
        const p = resolve(a.resolveDir, a.path);
        if (!p.startsWith(ownSrc)) return undefined;
        return { path: join(checkout, 'src', 'index.ts') };
      });
    },
  };
  const out = await build({
    entryPoints: [join(here, 'browser', 'page.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: false,
    define: { global: 'globalThis', 'process.env.NODE_ENV': '"production"' },
    nodePaths: [join(root, 'node_modules')],
    plugins: checkout === root ? [] : [redirect],
    logLevel: 'error',
  });
  return (out.outputFiles[0] as { text: string }).text;
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number;
};

function variants(withA: boolean, matrix: boolean): Variant[] {
  const vs: Variant[] = [
    { label: 'idle', bundle: 'b', spec: { workload: 'idle', system: 'native' } },
  ];
  const workloads = ['pingPong', 'cpu'] as const;
  if (matrix) {
    const prims = (arg('--prims')?.split(',') ?? ['message', 'postTask', 'timeout']) as Primitive[];
    for (const workload of workloads) {
      for (const budget of (arg('--budgets') ?? '5,8').split(',').map(Number)) {
        for (const primitive of prims) {
          vs.push({
            label: `${workload} rx-asyncio ${primitive} ${budget}ms`,
            bundle: 'b',
            spec: { workload, system: 'rx-asyncio', budget, primitive },
          });
          vs.push({
            label: `${workload} native ${primitive} ${budget}ms`,
            bundle: 'b',
            spec: { workload, system: 'native', budget, primitive },
          });
        }
      }
    }
    return vs;
  }
  for (const workload of workloads) {
    if (withA) {
      vs.push({
        label: `${workload} before`,
        bundle: 'a',
        spec: { workload, system: 'rx-asyncio' },
      });
    }
    vs.push({ label: `${workload} after`, bundle: 'b', spec: { workload, system: 'rx-asyncio' } });
    for (const [name, primitive] of nativeYields) {
      vs.push({
        label: `${workload} native, ${name}`,
        bundle: 'b',
        spec: { workload, system: 'native', budget: 5, primitive },
      });
    }
  }
  return vs;
}

/** The native loop's rows: rx-asyncio's way of yielding, then the single primitives. */
const nativeYields: [string, Primitive][] = [
  ['same yield', 'page'],
  ['MessageChannel', 'message'],
  ['scheduler.postTask', 'postTask'],
  ['scheduler.yield', 'yield'],
];

async function main(): Promise<void> {
  const a = arg('--a');
  const ms = Number(arg('--ms') ?? 3000);
  const rounds = Number(arg('--rounds') ?? 3);
  const matrix = process.argv.includes('--matrix');
  const only = arg('--only');
  const files = new Map<string, { body: string; type: string }>();
  const html = (name: string) => ({
    body: `<!doctype html><meta charset="utf-8"><title>bench</title><script src="/${name}.js"></script>`,
    type: 'text/html',
  });
  files.set('/b.js', { body: await bundle(root), type: 'text/javascript' });
  files.set('/b.html', html('b'));
  if (a !== undefined) {
    files.set('/a.js', { body: await bundle(resolve(a)), type: 'text/javascript' });
    files.set('/a.html', html('a'));
  }
  let vs = variants(a !== undefined, matrix);
  if (only !== undefined) vs = vs.filter((v) => v.label === 'idle' || v.label.includes(only));
  const rows: Row[] = vs.map((variant) => ({ variant, rates: [], p95: [], max: [] }));
  const loads: string[] = [];
  const browser = await Browser.launch(files);
  try {
    const features = await (async () => {
      await browser.page.navigate(`${browser.origin}/b.html`, 'globalThis.__bench');
      return browser.page.evaluate<{ postTask: boolean; yield: boolean }>(
        'globalThis.__bench.features',
      );
    })();
    const version = await browser.page.evaluate<string>('navigator.userAgent');
    console.log(
      `${version}\nscheduler.postTask: ${features.postTask}, scheduler.yield: ${features.yield}`,
    );
    for (let r = 0; r < rounds; r++) {
      loads.push(loadText());
      console.log(`round ${r + 1}/${rounds} (load ${loads[r]})`);
      for (let j = 0; j < rows.length; j++) {
        const row = rows[(j + r) % rows.length] as Row;
        const { bundle: which, spec } = row.variant;
        await browser.page.navigate(`${browser.origin}/${which}.html`, 'globalThis.__bench');
        const o = await browser.page.evaluate<Outcome>(
          `globalThis.__bench.run(${JSON.stringify({ ...spec, ms })})`,
        );
        row.rates.push((o.ops / o.elapsed) * 1000);
        row.p95.push(pct(o.gaps, 95));
        row.max.push(Math.max(...o.gaps));
        console.log(
          `  ${row.variant.label.padEnd(34)} ${fmtRate((o.ops / o.elapsed) * 1000).padStart(7)}/s  gap p95 ${pct(o.gaps, 95).toFixed(1)} max ${Math.max(...o.gaps).toFixed(1)} ms`,
        );
      }
    }
    const table = report(rows, rounds, ms, loads, version);
    console.log(`\n${table}`);
    if (process.argv.includes('--write')) writeResultsSection('browser', table);
  } finally {
    await browser.close();
  }
}

function report(rows: Row[], rounds: number, ms: number, loads: string[], ua: string): string {
  const chrome = /Chrome\/([\d.]+)/.exec(ua)?.[1] ?? ua;
  const lines = [
    '## Browser responsiveness (issue 21)',
    '',
    `\`npm run bench:browser -- --a <copy of main> --rounds ${rounds} --write\`: headless Chromium ${chrome}; each run keeps the loop busy for ${ms} ms while a \`setInterval(…, 10)\` samples the gaps between its ticks (how long the page's timers and input wait). \`before\` is main before issue 21 (8 ms slices, \`MessageChannel\` turns), \`after\` this checkout (5 ms slices; a zero timer, then \`scheduler.postTask\`); the native rows are \`async\` functions yielding every 5 ms through the primitive named. Medians over ${rounds} interleaved rounds, each run on a freshly loaded page; "÷ before" is the median of the per-round ratios. Targets while busy: gap p95 ≤ 16.7 ms (one frame), max ≤ 33 ms. Load average at each round: ${loads.join('; ')} (2 cores).`,
    '',
    '| workload | system | work/s | ÷ before | gap p95 (ms) | gap max (ms) |',
    '|---|---|---:|---:|---:|---:|',
  ];
  for (const row of rows) {
    const [workload, ...rest] = row.variant.label.split(' ');
    const system = rest.length === 0 ? '—' : rest.join(' ');
    const idle = row.variant.spec.workload === 'idle';
    const before = rows.find((r) => r.variant.label === `${workload} before`);
    const ratio =
      idle || before === undefined || before === row
        ? '—'
        : `${median(row.rates.map((x, i) => x / (before.rates[i] as number))).toFixed(2)}×`;
    const rate = idle ? '—' : fmtRate(median(row.rates));
    lines.push(
      `| ${workload} | ${system} | ${rate} | ${ratio} | ${median(row.p95).toFixed(1)} | ${median(row.max).toFixed(1)} |`,
    );
  }
  return lines.join('\n');
}

await main();
