/**
 * rx-asyncio's benchmark suite: `npm run bench` (full: ≥ 5 rounds, writes bench/RESULTS.md) or
 * `npm run bench -- --quick` (small n, one round, a smoke test). A partial run (`--quick` or
 * `--only`) writes to the OS temp folder unless given `--out`.
 * Options: `--rounds=N`, `--only=w1,w3` (case id prefixes), `--out=path`, `--isolate`.
 *
 * Every system runs every case in each round (in a rotating order), so ratios are taken round by
 * round and the machine's noise moves all systems together; the table shows medians.
 *
 * `--isolate` runs each measurement in a fresh process (this script with `--child=CASE/SYSTEM`:
 * one untimed run at full size, then a forced GC, a warm-up at n/10, the timed run) and writes
 * section `isolated` of RESULTS.md (with `--only`, pass `--out=bench/RESULTS.md` to keep it).
 * Why both: in one process every system runs after the others have trained V8's shared caches and
 * sized its heap, which moved rx-asyncio's rows by up to 2× (issue 19); a user's program holds one
 * library, not seven. The in-process table stays the main one (one process, one machine state, the
 * ratios within a round); the isolated one shows what each system does alone.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCases, type PeerModule, type Peers } from './cases.js';
import { ensurePeers } from './ensurePeers.js';
import { type Case, fullGc, hasGc, hostTurn, type Measure } from './harness.js';
import { type OffloadRow, renderReport, type Sample } from './report.js';
import { writeResultsSection } from './resultsSection.js';
import { loadQueue } from './systems/rx-asyncio.js';

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const arg = (name: string): string | undefined =>
  argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const rounds = Number(arg('rounds') ?? (quick ? 1 : 5));
const only = arg('only')?.split(',');
const isolate = argv.includes('--isolate');
const child = arg('child');
const outPath =
  arg('out') ??
  // Why a partial run (--quick, --only) writes to the temp folder: RESULTS.md is the full run's.
  (quick || only ? join(tmpdir(), 'rx-asyncio-bench-partial.md') : join(here, 'RESULTS.md'));
const section = isolate ? 'isolated' : 'main';

async function loadPeer(file: string, notes: Record<string, string>, name: string) {
  try {
    const spec = `./peers/${file}`;
    return (await import(spec)) as PeerModule;
  } catch (e) {
    notes[name] = `not installed (${String(e).split('\n')[0]})`;
    return null;
  }
}

/** Python's asyncio: one subprocess per round runs every case; the measures read its output. */
function asyncioPeer(notes: Record<string, string>): {
  peer: PeerModule | null;
  runRound: (cases: Case[]) => void;
} {
  const probe = spawnSync('python3', ['--version'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    notes.asyncio = 'skipped: `python3` is not on this machine';
    return { peer: null, runRound: () => {} };
  }
  notes.asyncio = `${probe.stdout.trim()}`;
  let last: Record<string, number> = {};
  const keys = [
    'w1Hoisted',
    'w1Closure',
    'w2Yield1',
    'w2Yield2',
    'w2PingPong',
    'w3Overhead',
    'w3Heap',
    'w4Cancel',
    'w9Gather',
    'w9TaskGroup',
    'w9Wait',
    'w9AsCompleted',
    'w10CancelGather',
    'w10CancelGroup',
  ];
  const peer: PeerModule = {};
  for (const key of keys) peer[key] = async () => last[key] ?? Number.NaN;
  const runRound = (cases: Case[]): void => {
    const wanted: Record<string, number> = {};
    for (const c of cases) if (keys.includes(c.id) && c.systems.asyncio) wanted[c.id] = c.n;
    if (Object.keys(wanted).length === 0) return;
    const r = spawnSync('python3', [join(here, 'asyncio_bench.py'), JSON.stringify(wanted)], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    if (r.status !== 0) {
      console.warn(`asyncio_bench.py failed: ${r.stderr}`);
      last = {};
      return;
    }
    last = JSON.parse(r.stdout) as Record<string, number>;
  };
  return { peer, runRound };
}

async function loadOffload(): Promise<(() => Promise<OffloadRow[]>) | null> {
  if (!existsSync(join(here, 'offload.ts'))) return null;
  const spec = './offload.js';
  const mod = (await import(spec)) as { benchOffload?: () => Promise<OffloadRow[]> };
  return typeof mod.benchOffload === 'function' ? mod.benchOffload : null;
}

/** Refuses to measure through a transpiler that turned generators into state machines. */
function checkNativeGenerators(): string {
  const gen = (function* () {})();
  if (Object.prototype.toString.call(gen) !== '[object Generator]') {
    throw new Error('generators are not native here: the benchmark would be distorted');
  }
  return 'native generators (tsx → esbuild, target = this Node version)';
}

/**
 * One timed run of `m`, on a clean heap and warm code. Why the untimed warm-up after the GC: a
 * forced GC (\`gc()\`) is memory-reducing, and V8 then drops the optimized code that checks a
 * hidden class with no live instance (bench/warm.ts; rx-asyncio's kernel keeps anchors since
 * issue 19, the peers do not), so without it a timed run measured how fast a system's code
 * re-optimizes, not its speed.
 */
async function measureOnce(m: Measure, n: number): Promise<number> {
  fullGc();
  await hostTurn();
  await m(Math.max(1, Math.ceil(n / 10)));
  await hostTurn();
  return m(n);
}

async function main(): Promise<void> {
  const genNote = checkNativeGenerators();
  if (!hasGc()) console.warn('run with node --expose-gc (npm run bench does): heap rows need it');
  ensurePeers();
  const notes: Record<string, string> = {};
  const py = child === undefined ? asyncioPeer(notes) : { peer: null, runRound: () => {} };
  const peers: Peers = {
    effect: await loadPeer('effect.js', notes, 'effect'),
    effection: await loadPeer('effection.js', notes, 'effection'),
    'redux-saga': await loadPeer('reduxSaga.js', notes, 'redux-saga'),
    asyncio: py.peer,
  };
  const Queue = await loadQueue();
  let cases = buildCases({ quick, peers, peerNotes: notes, Queue });
  if (only) cases = cases.filter((c) => only.some((p) => c.id.toLowerCase().startsWith(p)));
  if (child !== undefined) {
    await runChild(cases, child);
    return;
  }

  if (!quick && !isolate) {
    console.log('warm-up round (small n, not recorded)');
    for (const c of cases) {
      for (const m of Object.values(c.systems)) await measureOnce(m, Math.min(c.n, 10_000));
    }
  }

  const samples: Sample[] = [];
  const t0 = Date.now();
  for (let r = 0; r < rounds; r++) {
    console.log(`round ${r + 1}/${rounds}`);
    py.runRound(cases);
    for (const c of cases) {
      const names = Object.keys(c.systems);
      const shift = r % names.length;
      const order = [...names.slice(shift), ...names.slice(0, shift)];
      for (const name of order) {
        const m = c.systems[name] as Measure;
        // asyncio is its own process already (its values come from the round's python run).
        const value =
          isolate && name !== 'asyncio' ? measureInChild(c.id, name) : await measureOnce(m, c.n);
        samples.push({ round: r, caseId: c.id, system: name, value });
      }
      const rx = samples.find(
        (s) => s.round === r && s.caseId === c.id && s.system === 'rx-asyncio',
      );
      console.log(`  ${c.id.padEnd(24)} rx-asyncio ${rx ? fmtShort(rx.value) : '—'} ${c.unit}`);
    }
  }

  let offload: OffloadRow[] | string;
  const bench = await loadOffload();
  if (bench === null) offload = 'skipped: `bench/offload.ts` (benchOffload) does not exist yet.';
  else if (only && !only.some((p) => 'w8'.startsWith(p))) offload = 'not run (--only).';
  else if (isolate) offload = 'not run (--isolate: the W8 rows are in the main section).';
  else {
    console.log('W8 offload');
    try {
      offload = await bench();
    } catch (e) {
      offload = `failed: ${String(e)}`;
    }
  }

  const md = renderReport({
    cases,
    samples,
    rounds,
    quick,
    isolated: isolate,
    notes: { ...notes, generators: genNote },
    offload,
    seconds: (Date.now() - t0) / 1000,
  });
  // Only the suite's own section: other scripts' sections of the same file are kept.
  writeResultsSection(section, md, outPath);
  formatMarkdown(outPath);
  console.log(`\nwrote ${outPath}\n`);
  console.log(md);
}

/** Child mode (`--child=CASE/SYSTEM`): one {@link measureOnce}, its value printed as JSON. */
async function runChild(cases: Case[], spec: string): Promise<void> {
  const [id, system] = spec.split('/');
  const c = cases.find((x) => x.id === id);
  const m = c?.systems[system ?? ''];
  if (c === undefined || m === undefined) throw new Error(`--child=${spec}: no such case/system`);
  // Why a full-size run first: a fresh process has cold code, and the in-process table measures
  // warm code (every case has run at 10,000 and in earlier rounds); this is the same warm state.
  await m(c.n);
  console.log(JSON.stringify({ value: await measureOnce(m, c.n) }));
}

/** One measurement in a fresh process (`--isolate`); NaN, with a warning, if the child fails. */
function measureInChild(id: string, system: string): number {
  const args = [...process.execArgv, fileURLToPath(import.meta.url), `--child=${id}/${system}`];
  if (quick) args.push('--quick');
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return (JSON.parse(last) as { value: number }).value;
  } catch {
    console.warn(`  ${id}/${system}: the child failed (status ${r.status}): ${r.stderr.trim()}`);
    return Number.NaN;
  }
}

/** Pads the tables the way the repository's formatter (Biome) does, so `npm run lint` stays clean. */
function formatMarkdown(path: string): void {
  const biome = join(here, '..', 'node_modules', '.bin', 'biome');
  if (!existsSync(biome)) return;
  spawnSync(biome, ['format', '--write', path], { stdio: 'ignore' });
}

function fmtShort(v: number): string {
  return Number.isFinite(v) ? v.toPrecision(4) : String(v);
}

await main();
