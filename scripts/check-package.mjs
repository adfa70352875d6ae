/**
 * `npm run check:package`: checks the package as a user receives it, not as the repo sees it.
 *
 * 1. `npm pack` (which builds), then publint --strict and arethetypeswrong on the tarball;
 * 2. installs the tarball with rxjs into an empty temp project and runs a program through every
 *    entry point from ESM (`import`) and from CommonJS (`require`, Node >= 20.19's require(esm)),
 *    and a job on a worker started from the worker entry (`rx-asyncio/worker`);
 * 3. type-checks a program that imports every entry point under the strictest Node-only setup a
 *    user may have: lib es2022 (no DOM), @types/node, skipLibCheck false, with TypeScript 7 and 5.9;
 * 4. checks that no `_` member and no source map pointing at a missing file was published.
 *
 * The temp project is removed afterwards; pass --keep to leave it for a look.
 */
import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const keep = process.argv.includes('--keep');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
const locked = (name) => lock.packages[`node_modules/${name}`]?.version;
const failures = [];

function step(title, fn) {
  process.stdout.write(`check:package: ${title} ... `);
  try {
    const note = fn();
    console.log(note ? `ok (${note})` : 'ok');
  } catch (e) {
    console.log('FAILED');
    const out = [e.stdout, e.stderr].filter(Boolean).map(String).join('\n').trim();
    console.log(out || e.message);
    failures.push(title);
  }
}

const run = (cmd, args, opts = {}) =>
  execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });

const work = mkdtempSync(join(tmpdir(), 'rx-asyncio-pack-'));
let tarball = '';
step('npm pack', () => {
  const out = run('npm', ['pack', '--json', '--pack-destination', work], { cwd: root });
  const [info] = JSON.parse(out.slice(out.indexOf('[')));
  tarball = join(work, info.filename);
  return `${info.filename}, ${info.entryCount} files, ${(info.size / 1024).toFixed(0)} KB packed`;
});
if (!tarball) process.exit(1);

step('publint --strict', () =>
  run(bin('publint'), ['--strict', tarball], { cwd: root }).trim().split('\n').pop(),
);

// ESM-only on purpose (one copy of the loop's state, see CHANGELOG): CommonJS users get the same
// module through require(esm), so the rule that flags "CJS resolves to ESM" does not apply.
step('arethetypeswrong (profile esm-only)', () => {
  run(bin('attw'), ['--pack', '--profile', 'esm-only', '--format', 'table-flipped', tarball], {
    cwd: root,
  });
});

// The exported subpaths (other than package.json) that a user imports.
const entries = Object.keys(pkg.exports)
  .filter((k) => k !== './package.json')
  .map((k) => (k === '.' ? pkg.name : `${pkg.name}/${k.slice(2)}`));
// Entry points that need an optional peer the temp project does not install.
const optional = new Set(
  Object.entries(pkg.peerDependenciesMeta ?? {})
    .filter(([, meta]) => meta.optional)
    .map(([name]) => name),
);
const needsOptionalPeer = (entry) => [...optional].some((peer) => entry.endsWith(`/${peer}`));
const runnable = entries.filter((e) => !needsOptionalPeer(e));

const app = join(work, 'app');
mkdirSync(app);
writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true }, null, 2));
step('install the tarball into an empty project', () => {
  const deps = [tarball, `rxjs@${locked('rxjs')}`, `@types/node@${locked('@types/node')}`];
  for (const peer of optional) if (locked(peer)) deps.push(`${peer}@${locked(peer)}`);
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...deps], { cwd: app });
});

const program = (load) => `
${load('main', pkg.name)}
${load('marbles', `${pkg.name}/marbles`)}
const { run, createTask, sleep, gather } = main;
function* worker(n) { yield* sleep(10 * n); return n * 2; }
const out = run((function* () {
  const tasks = [1, 2, 3].map((n) => createTask(worker(n)));
  return yield* gather(...tasks);
})());
const virtual = marbles.runVirtual((function* () { yield* sleep(60_000); return "virtual"; })()).outcome;
Promise.resolve(out).then((v) => console.log(JSON.stringify([v, virtual])));
`;
step('ESM: import every entry point and run a program', () => {
  const imports = runnable.map((e, i) => `import * as e${i} from '${e}';`).join('\n');
  writeFileSync(
    join(app, 'esm.mjs'),
    `${imports}\n${program((name, spec) => `import * as ${name} from '${spec}';`)}`,
  );
  const out = run(process.execPath, ['esm.mjs'], { cwd: app }).trim();
  if (!out.includes('[[2,4,6]')) throw new Error(`unexpected output: ${out}`);
  return out;
});
step('CommonJS: require every entry point and run a program', () => {
  const requires = runnable.map((e, i) => `const e${i} = require('${e}');`).join('\n');
  writeFileSync(
    join(app, 'cjs.cjs'),
    `${requires}\n${program((name, spec) => `const ${name} = require('${spec}');`)}`,
  );
  const out = run(process.execPath, ['cjs.cjs'], { cwd: app }).trim();
  if (!out.includes('[[2,4,6]')) throw new Error(`unexpected output: ${out}`);
  return out;
});

step('the worker entry (rx-asyncio/worker) starts pool workers', () => {
  writeFileSync(
    join(app, 'worker-entry.mjs'),
    `import { run, setWorkerUrl, toThread } from '${pkg.name}';
setWorkerUrl(import.meta.resolve('${pkg.name}/worker'));
console.log(await run(toThread((a, b) => a * b, 6, 7)));
`,
  );
  const out = run(process.execPath, ['worker-entry.mjs'], { cwd: app }).trim();
  if (out !== '42') throw new Error(`unexpected output: ${out}`);
  return out;
});

// Strict, Node-only types: no DOM lib, and the package's .d.ts files checked too.
const tsProgram = `
import { createTask, gather, run, sleep, type Task } from '${pkg.name}';
import { runVirtual } from '${pkg.name}/marbles';
${entries.map((e, i) => `import type * as T${i} from '${e}';`).join('\n')}
function* worker(n: number) { yield* sleep(10 * n); return n * 2; }
function* main() {
  const tasks: Task<number>[] = [1, 2, 3].map((n) => createTask(worker(n)));
  const [a, b, c] = yield* gather(tasks[0]!, tasks[1]!, tasks[2]!);
  const total: number = a + b + c;
  return total;
}
void run(main());
void runVirtual(main());
export type Entries = [${entries.map((_, i) => `typeof T${i}`).join(', ')}];
`;
for (const [ext, module] of [
  ['mts', 'nodenext'],
  ['cts', 'nodenext'],
]) {
  const dir = join(app, `ts-${ext}`);
  mkdirSync(dir);
  writeFileSync(join(dir, `index.${ext}`), tsProgram);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'es2022',
        lib: ['es2022'],
        types: ['node'],
        module,
        moduleResolution: 'nodenext',
        strict: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        skipLibCheck: false,
        noEmit: true,
        typeRoots: [join(app, 'node_modules', '@types')],
      },
      files: [`index.${ext}`],
    }),
  );
  for (const [label, tsc] of [
    ['TypeScript 7', join(root, 'node_modules', 'typescript', 'bin', 'tsc')],
    ['TypeScript 5.9', join(root, 'node_modules', 'typescript-docs', 'bin', 'tsc')],
  ]) {
    step(`${label}: strict Node-only type check (.${ext}, no DOM, skipLibCheck false)`, () => {
      run(process.execPath, [tsc, '-p', dir], { cwd: app });
    });
  }
}

step('no `_` members and no dangling source maps in the published files', () => {
  const installed = join(app, 'node_modules', pkg.name);
  const problems = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const file = join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      else if (name.endsWith('.d.ts')) {
        const text = readFileSync(file, 'utf8');
        const hit = text.match(
          /^\s+(?:(?:static|readonly|private|protected|get|set|abstract)\s+)*_\w+\W/m,
        );
        if (hit) problems.push(`${relative(installed, file)}: ${hit[0].trim()}`);
      } else if (name.endsWith('.map')) {
        const map = JSON.parse(readFileSync(file, 'utf8'));
        if (!map.sourcesContent || map.sourcesContent.some((s) => s == null))
          problems.push(`${relative(installed, file)}: names sources it does not carry`);
      }
    }
  };
  walk(installed);
  if (problems.length) throw new Error(problems.slice(0, 20).join('\n'));
});

if (keep) console.log(`check:package: left ${work}`);
else rmSync(work, { recursive: true, force: true });
if (failures.length) {
  console.log(`check:package: ${failures.length} check(s) failed: ${failures.join('; ')}`);
  process.exit(1);
}
console.log('check:package: all checks passed');
