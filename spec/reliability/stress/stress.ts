/**
 * The long, nightly-style reliability run: `npm run test:stress` (Node, `--expose-gc`).
 *
 * 1. The property suites with 50× more cases (RXIO_PROPERTY_SCALE=50).
 * 2. 10,000,000 sequential tasks and 1,000,000 cancel/timeout cycles, heap sampled after a full
 *    GC every round: it must stay flat (growth under 4 MB from round 2 to the last).
 * 3. A chain of 100,000 tasks awaiting each other, cancelled from the top; the deepest `yield*`
 *    chain the engine runs; gathers of 1,000,000 futures and of 1,000,000 coroutines.
 *
 * Prints a table of measurements and exits non-zero if anything failed. Set RXIO_STRESS_SCALE
 * (default 1) to shrink or grow the soak sizes.
 */
import { spawnSync } from 'node:child_process';
import {
  cancelTimeoutCycles,
  heapGrowth,
  longGather,
  maxYieldDepth,
  type SoakResult,
  sequentialTasks,
} from '../support/soak.js';
import { cancelTaskChain } from './taskChain.js';

const scale = Number(process.env.RXIO_STRESS_SCALE ?? '1');
const MB = 1024 * 1024;
const failures: string[] = [];

function check(name: string, ok: boolean, detail: string): void {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${detail}`);
  if (!ok) failures.push(name);
}

function soakLine(name: string, r: SoakResult, flatWithin: number): void {
  const heap = r.heap.map((h) => (h / MB).toFixed(1)).join(' ');
  const growth = heapGrowth(r);
  const rate = ((r.ops / r.ms) * 1000).toFixed(0);
  const clean = r.problems.length === 0 && Object.values(r.leftovers).every((n) => n === 0);
  check(
    name,
    clean && growth < flatWithin,
    `${r.ops.toLocaleString()} in ${(r.ms / 1000).toFixed(1)} s (${rate}/s), heap after GC (MB): ${heap}, growth ${(growth / MB).toFixed(2)} MB${clean ? '' : `, problems: ${[...r.problems.slice(0, 3), JSON.stringify(r.leftovers)].join('; ')}`}`,
  );
}

if (typeof (globalThis as { gc?: unknown }).gc !== 'function') {
  console.error('test:stress needs `node --expose-gc` (npm run test:stress passes it)');
  process.exit(2);
}

console.log('# property suites, 50x cases');
const props = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    './node_modules/jasmine/bin/jasmine.js',
    '--config=jasmine.json',
    'spec/reliability/*.property.spec.ts',
  ],
  { stdio: 'inherit', env: { ...process.env, RXIO_PROPERTY_SCALE: '50' } },
);
check('property suites (50x)', props.status === 0, `exit code ${props.status}`);

console.log('\n# soak');
const rounds = 10;
soakLine('sequential tasks', sequentialTasks(rounds, Math.round(1_000_000 * scale)), 4 * MB);
soakLine('cancel/timeout cycles', cancelTimeoutCycles(rounds, Math.round(100_000 * scale)), 4 * MB);

console.log('\n# depth and width');
const chain = cancelTaskChain(100_000);
check('task chain 100,000 cancelled', chain.ok, chain.detail);
const depth = maxYieldDepth(200_000);
console.log(`info yield* chain: the engine runs ${depth.toLocaleString()} levels (V8 stack limit)`);
for (const kind of ['futures', 'coroutines'] as const) {
  const r = longGather(Math.round(1_000_000 * scale), kind);
  check(
    `gather of 1,000,000 ${kind}`,
    r.problems.length === 0,
    `${(r.ms / 1000).toFixed(1)} s${r.problems.length ? `, ${r.problems.join('; ')}` : ''}`,
  );
}

console.log(
  failures.length === 0 ? '\nall stress checks passed' : `\nFAILED: ${failures.join(', ')}`,
);
process.exit(failures.length === 0 ? 0 : 1);
