// Karma runs the specs in headless Chromium, bundled by esbuild (karma-esbuild).
//
// This file is an ES module ("type": "module"). Karma 6 loads its config with require(); Node
// >= 20.19 (or >= 22.12) can require() an ES module, and Karma picks up `export default`.
//
// Specs: spec/**/*.spec.ts, except Node-only ones named *.node.spec.ts.
// Browser: $CHROME_BIN or $CHROMIUM_BIN, else the first Chrome/Chromium found on the usual paths.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = dirname(fileURLToPath(import.meta.url));

// karma-esbuild writes its entry file into os.tmpdir() and imports each spec by a path relative
// to it. When the checkout itself lives under the temp dir (/tmp/xyz), that path has no leading
// `./` or `../`, so esbuild takes it for a package name and fails to resolve the specs.
// A project-local temp dir (gitignored) keeps the relative paths starting with `../`.
const tmp = join(root, '.karma-tmp');
mkdirSync(tmp, { recursive: true });
process.env.TMPDIR = tmp;
process.env.TMP = tmp;
process.env.TEMP = tmp;

const CHROME_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/chrome',
  '/snap/bin/chromium',
  '/usr/local/bin/chromium',
  '/usr/local/bin/google-chrome',
  '/opt/google/chrome/chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name) {
  try {
    return execFileSync('which', [name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .trim()
      .split('\n')[0];
  } catch {
    return undefined;
  }
}

function findChrome() {
  for (const name of ['CHROME_BIN', 'CHROMIUM_BIN']) {
    const fromEnv = process.env[name];
    if (fromEnv) {
      if (isExecutable(fromEnv)) return fromEnv;
      throw new Error(`${name}=${fromEnv} is not an executable file. Fix or unset ${name}.`);
    }
  }
  const found =
    CHROME_CANDIDATES.find(isExecutable) ??
    ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome']
      .map(onPath)
      .find((p) => p && isExecutable(p));
  if (found) return found;
  throw new Error(
    'No Chrome or Chromium found for the browser tests. ' +
      'Install chromium: apt-get install chromium (Debian/Ubuntu), ' +
      'or set CHROME_BIN to a Chrome/Chromium executable.',
  );
}

// karma-chrome-launcher's ChromiumHeadless reads CHROMIUM_BIN.
process.env.CHROMIUM_BIN = findChrome();

// Prints "browser: N passed, N failed, N skipped" alone on the last line, a summary that CI
// logs and humans can grep.
function SummaryReporter() {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  this.onRunStart = () => {
    passed = failed = skipped = 0;
  };
  this.onSpecComplete = (_browser, result) => {
    if (result.skipped || result.disabled || result.pending) skipped++;
    else if (result.success) passed++;
    else failed++;
  };
  this.onRunComplete = (_browsers, results) => {
    if ((results.error || results.disconnected || results.exitCode) && failed === 0) failed = 1;
    process.stdout.write(`browser: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  };
}

const specs = 'spec/**/*.spec.ts';

// The policy of the /csp/ pages (spec/offload/csp.browser.spec.ts, issue 15): workers only from
// this origin (no blob:), and no 'unsafe-eval', for the page and the worker script alike.
const CSP = "default-src 'self'; script-src 'self'; worker-src 'self'";

/**
 * Serves /csp/page.html (spec/offload/fixtures/cspPage.ts, bundled), the worker entry
 * /csp/worker.js (the pool's worker script, as `npm run build` writes dist/worker.js) and a
 * module of worker functions, each with the header `Content-Security-Policy: CSP`.
 */
function cspMiddleware() {
  const bundle = async (entry, format) => {
    const out = await build({
      entryPoints: [join(root, entry)],
      bundle: true,
      write: false,
      format,
      platform: 'browser',
      target: 'es2022',
      tsconfig: join(root, 'tsconfig.json'),
      logLevel: 'warning',
    });
    return out.outputFiles[0].text;
  };
  let files = null;
  const load = async () => {
    const source = await bundle('src/offload/workerSource.ts', 'esm');
    const { WORKER_SOURCE } = await import(
      `data:text/javascript;base64,${Buffer.from(source).toString('base64')}`
    );
    return new Map([
      ['/csp/page.html', ['text/html', '<!doctype html><script src="/csp/page.js"></script>']],
      [
        '/csp/page.js',
        ['text/javascript', await bundle('spec/offload/fixtures/cspPage.ts', 'iife')],
      ],
      ['/csp/worker.js', ['text/javascript', WORKER_SOURCE]],
      ['/csp/work.js', ['text/javascript', 'export function double(x) { return 2 * x; }\n']],
    ]);
  };
  return (req, res, next) => {
    const path = (req.url ?? '').split('?')[0];
    if (!path.startsWith('/csp/')) return next();
    files ??= load();
    files.then((map) => {
      const file = map.get(path);
      if (file === undefined) {
        res.writeHead(404).end();
        return;
      }
      // Cross-origin isolated like every page karma serves (customHeaders below): a frame or
      // worker without these headers may not load into one that has them.
      res.writeHead(200, {
        'content-type': file[0],
        'cache-control': 'no-store',
        'content-security-policy': CSP,
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
      });
      res.end(file[1]);
    }, next);
  };
}

export default function (config) {
  config.set({
    basePath: root,
    frameworks: ['jasmine'],
    plugins: [
      'karma-jasmine',
      'karma-chrome-launcher',
      'karma-esbuild',
      { 'reporter:summary': ['type', SummaryReporter] },
      { 'middleware:csp': ['factory', cspMiddleware] },
    ],
    beforeMiddleware: ['csp'],
    files: [
      // Global setup files, as jasmine.json's "helpers" in Node (*.node.ts ones are Node-only).
      ...(existsSync(join(root, 'spec/helpers'))
        ? [{ pattern: 'spec/helpers/**/*.ts', watched: false }]
        : []),
      { pattern: specs, watched: false },
    ],
    exclude: ['spec/**/*.node.spec.ts', 'spec/helpers/**/*.node.ts'],
    preprocessors: {
      'spec/**/*.ts': ['esbuild'],
    },
    esbuild: {
      target: 'es2022',
      platform: 'browser',
      format: 'iife',
      sourcemap: true,
      // Some dependencies read these Node-isms; give them browser-safe values.
      define: {
        global: 'globalThis',
        'process.env.NODE_ENV': '"test"',
      },
      // package.json says "sideEffects": false (true of the library), which would let esbuild drop
      // the bare `import "../spec/x.spec.js"` lines of karma-esbuild's entry file.
      ignoreAnnotations: true,
      tsconfig: join(root, 'tsconfig.json'),
      logLevel: 'warning',
    },
    // Cross-origin isolation, as a page that uses WorkerPool's claim boards needs
    // (SharedArrayBuffer): without it those specs could only be skipped in the browser.
    customHeaders: [
      { match: '.*', name: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
      { match: '.*', name: 'Cross-Origin-Embedder-Policy', value: 'require-corp' },
    ],
    client: {
      jasmine: { random: true, stopSpecOnExpectationFailure: false },
      clearContext: false,
    },
    reporters: [process.env.CI ? 'dots' : 'progress', 'summary'],
    browsers: ['ChromiumHeadlessCI'],
    customLaunchers: {
      ChromiumHeadlessCI: {
        base: 'ChromiumHeadless',
        flags: [
          '--no-sandbox',
          '--headless',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      },
    },
    singleRun: true,
    autoWatch: false,
    failOnEmptyTestSuite: true,
    browserNoActivityTimeout: 60_000,
    captureTimeout: 60_000,
    concurrency: 1,
  });
}
