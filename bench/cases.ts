/**
 * The workloads W1–W7 as cases: n, unit, the systems that run each, and the issue's targets.
 * W8 (offload) comes from bench/offload.ts when it exists (see index.ts).
 */
import type { Case, Measure } from './harness.js';
import * as native from './systems/native.js';
import * as rxio from './systems/rx-asyncio.js';
import * as rx from './systems/rxjs.js';

/** A peer's module: the subset of case functions it implements. */
export type PeerModule = Partial<Record<string, Measure>>;

export interface Peers {
  effect: PeerModule | null;
  effection: PeerModule | null;
  'redux-saga': PeerModule | null;
  asyncio: PeerModule | null;
}

export interface CaseOptions {
  quick: boolean;
  peers: Peers;
  /** Why a peer is missing (not installed, no python3...). */
  peerNotes: Record<string, string>;
  Queue: Awaited<ReturnType<typeof rxio.loadQueue>>;
}

/** Effection spawns ~15k tasks/s: its task-heavy rows run at this n (shown in its cell). */
const EFFECTION_CAP = 20_000;

export function buildCases(o: CaseOptions): Case[] {
  const q = o.quick;
  const k = (full: number, quick: number): number => (q ? quick : full);
  const cases: Case[] = [];

  const add = (
    c: Omit<Case, 'systems' | 'skipped'>,
    own: Record<string, Measure | undefined>,
    key: string | null | Partial<Record<keyof Peers, string>>,
    peerCaps: Partial<Record<keyof Peers, number>> = {},
  ): void => {
    const systems: Record<string, Measure> = {};
    const skipped: Record<string, string> = {};
    for (const [name, m] of Object.entries(own)) {
      if (m) systems[name] = m;
    }
    if (key !== null) {
      for (const [name, mod] of Object.entries(o.peers) as [keyof Peers, PeerModule | null][]) {
        const k = typeof key === 'string' ? key : key[name];
        if (k === undefined) continue;
        const m = mod?.[k];
        if (mod === null) {
          skipped[name] = o.peerNotes[name] ?? 'not available';
        } else if (m === undefined) {
          skipped[name] = 'no counterpart';
        } else {
          const cap = peerCaps[name];
          systems[name] = cap !== undefined && cap < c.n ? capped(m, cap) : m;
        }
      }
    }
    cases.push({ ...c, systems, skipped });
  };

  const effectionCap = { effection: k(EFFECTION_CAP, 2_000) };

  add(
    {
      id: 'w1Hoisted',
      workload: 'W1',
      title: 'spawn + join, hoisted generator function',
      n: k(100_000, 10_000),
      unit: 'tasks/s',
      better: 'higher',
      targets: [
        { label: '≥ 1.0× effect', against: 'effect', op: '>=', bound: 1 },
        { label: '≥ 0.6× native', against: 'native', op: '>=', bound: 0.6 },
      ],
    },
    { native: native.w1Hoisted, 'rx-asyncio': rxio.w1Hoisted, rxjs: rx.w1Hoisted },
    'w1Hoisted',
    effectionCap,
  );
  add(
    {
      id: 'w1Closure',
      workload: 'W1',
      title: 'spawn + join, fresh closure per task',
      n: k(100_000, 10_000),
      unit: 'tasks/s',
      better: 'higher',
      targets: [
        { label: '≥ 1.0× effect', against: 'effect', op: '>=', bound: 1 },
        { label: '≥ 0.6× native', against: 'native', op: '>=', bound: 0.6 },
      ],
    },
    { native: native.w1Closure, 'rx-asyncio': rxio.w1Closure },
    'w1Closure',
    effectionCap,
  );
  const yieldTargets = [
    { label: '≥ 10M/s', against: 'abs', op: '>=' as const, bound: 10_000_000 },
    { label: '≥ 24× asyncio', against: 'asyncio', op: '>=' as const, bound: 24 },
    { label: '≥ 2× best peer', against: 'best', op: '>=' as const, bound: 2 },
    { label: '≥ 0.5× native', against: 'native', op: '>=' as const, bound: 0.5 },
  ];
  add(
    {
      id: 'w2Yield1',
      workload: 'W2',
      title: 'yields to the loop in one task (`sleep(0)`; native `await null`)',
      n: k(1_000_000, 100_000),
      unit: 'yields/s',
      better: 'higher',
      targets: yieldTargets,
    },
    { native: native.w2Yield1, 'rx-asyncio': rxio.w2Yield1, rxjs: rx.w2Yield1 },
    'w2Yield1',
  );
  add(
    {
      id: 'w2Yield2',
      workload: 'W2',
      title: 'the same split over two tasks',
      n: k(1_000_000, 100_000),
      unit: 'yields/s',
      better: 'higher',
      targets: yieldTargets,
    },
    { native: native.w2Yield2, 'rx-asyncio': rxio.w2Yield2 },
    'w2Yield2',
  );
  add(
    {
      id: 'w2PingPong',
      workload: 'W2',
      title: 'ping-pong between two tasks through a queue',
      n: k(100_000, 10_000),
      unit: 'round trips/s',
      better: 'higher',
      targets: [{ label: '≥ 2× redux-saga', against: 'redux-saga', op: '>=', bound: 2 }],
      note: o.Queue
        ? undefined
        : 'rx-asyncio skipped: `src/queues/Queue.ts` does not exist yet (another issue).',
    },
    { native: native.w2PingPong, 'rx-asyncio': o.Queue ? rxio.w2PingPong(o.Queue) : undefined },
    'w2PingPong',
  );
  add(
    {
      id: 'w3Overhead',
      workload: 'W3',
      title: 'tasks sleeping a seeded 0–100 ms: overhead per task beyond the sleep',
      n: k(100_000, 10_000),
      unit: 'µs/task',
      better: 'lower',
      targets: [{ label: '≤ 1.5× native', against: 'native', op: '<=', bound: 1.5 }],
    },
    { native: native.w3Overhead, 'rx-asyncio': rxio.w3Overhead, rxjs: rx.w3Overhead },
    'w3Overhead',
    effectionCap,
  );
  add(
    {
      id: 'w3Heap',
      workload: 'W3',
      title: 'heap per sleeping task after a full GC',
      n: k(100_000, 10_000),
      unit: 'B/task',
      better: 'lower',
      targets: [{ label: '≤ 450 B', against: 'abs', op: '<=', bound: 450 }],
    },
    { native: native.w3Heap, 'rx-asyncio': rxio.w3Heap },
    'w3Heap',
    effectionCap,
  );
  add(
    {
      id: 'w4Cancel',
      workload: 'W4',
      title: 'cancel sleeping tasks, until every `finally` ran',
      n: k(100_000, 10_000),
      unit: 'cancels/s',
      better: 'higher',
      targets: [
        { label: '≥ 1.0× effect', against: 'effect', op: '>=', bound: 1 },
        { label: '≥ 4× asyncio', against: 'asyncio', op: '>=', bound: 4 },
      ],
    },
    { native: native.w4Cancel, 'rx-asyncio': rxio.w4Cancel },
    'w4Cancel',
    effectionCap,
  );
  add(
    {
      id: 'w5GenNext',
      workload: 'W5',
      title: 'floor: bare `generator.next()` loop',
      n: k(10_000_000, 1_000_000),
      unit: 'steps/s',
      better: 'higher',
    },
    { native: native.w5GenNext },
    null,
  );
  add(
    {
      id: 'w5SetImmediate',
      workload: 'W5',
      title: 'floor: `setImmediate` chain',
      n: k(200_000, 20_000),
      unit: 'steps/s',
      better: 'higher',
    },
    { native: native.w5SetImmediate },
    null,
  );
  add(
    {
      id: 'w5GenThrow',
      workload: 'W5',
      title: 'floor of W4: throw into a generator suspended in `yield*`, out of its `finally`',
      n: k(100_000, 10_000),
      unit: 'throws/s',
      better: 'higher',
    },
    { native: native.w5GenThrow },
    null,
  );
  add(
    {
      id: 'w5NewError',
      workload: 'W5',
      title: 'floor of W4: `new Error()` without a stack (`stackTraceLimit = 0`)',
      n: k(1_000_000, 100_000),
      unit: 'errors/s',
      better: 'higher',
    },
    { native: native.w5NewError },
    null,
  );
  // W9: the ways a user awaits many tasks, each against joining them one by one (W1 hoisted, the
  // same n, the same round) and Effect's idiom for the job (forEach, unbounded concurrency).
  const w9Targets = [
    {
      label: 'cost ≤ 1.25× joining each (W1)',
      against: 'w1Hoisted',
      op: '<=' as const,
      bound: 1.25,
    },
    { label: '≥ 1.0× effect', against: 'effect', op: '>=' as const, bound: 1 },
  ];
  // What each system runs in a W9 row (the idiom its users write), shown under the table.
  const forEach = "effect `Effect.forEach(xs, child, { concurrency: 'unbounded' })`";
  const w9Variants = (rx: string, nat: string | null, py: string): string =>
    `variants: rx-asyncio ${rx}; ${nat === null ? 'native: no counterpart' : `native ${nat}`}; ` +
    `${forEach}; asyncio ${py}.`;
  for (const [id, title, own, pyKey, note] of [
    [
      'w9Gather',
      'spawn + `gather(tasks)`',
      { native: native.w9Gather, 'rx-asyncio': rxio.w9Gather },
      'w9Gather',
      w9Variants('`yield* gather(tasks)`', '`await Promise.all(ps)`', '`await gather(*tasks)`'),
    ],
    [
      'w9TaskGroup',
      'spawn inside a `taskGroup` (the scope waits)',
      { native: native.w9Gather, 'rx-asyncio': rxio.w9TaskGroup },
      'w9TaskGroup',
      w9Variants(
        '`yield* taskGroup(function* (tg) { tg.createTask(...) })`',
        '`await Promise.all(ps)`',
        '`async with TaskGroup() as tg: tg.create_task(...)`',
      ),
    ],
    [
      'w9Wait',
      'spawn + `wait(tasks)`',
      { native: native.w9Wait, 'rx-asyncio': rxio.w9Wait },
      'w9Wait',
      w9Variants('`yield* wait(tasks)`', '`await Promise.allSettled(ps)`', '`await wait(tasks)`'),
    ],
    [
      'w9AsCompleted',
      'spawn + `for (const next of asCompleted(tasks)) yield* next`',
      { 'rx-asyncio': rxio.w9AsCompleted },
      'w9AsCompleted',
      w9Variants(
        '`for (const next of asCompleted(tasks)) yield* next`',
        null,
        '`for f in as_completed(tasks): await f`',
      ),
    ],
  ] as const) {
    add(
      {
        id,
        workload: 'W9',
        title,
        n: k(100_000, 10_000),
        unit: 'tasks/s',
        better: 'higher',
        targets: w9Targets,
        note,
      },
      own,
      { effect: 'w9ForEach', asyncio: pyKey },
    );
  }
  // The like-for-like row for Effect's forEach: Effect runs a synchronous child inside the fork,
  // as an eager task runs inside createTask (asyncio 3.12's eager_task_factory; Python 3.11 here
  // has none, so no asyncio cell).
  add(
    {
      id: 'w9GatherEager',
      workload: 'W9',
      title: 'spawn + `gather(tasks)`, eager tasks (`run(main, { eagerTasks: true })`)',
      n: k(100_000, 10_000),
      unit: 'tasks/s',
      better: 'higher',
      targets: [{ label: '≥ 1.0× effect', against: 'effect', op: '>=', bound: 1 }],
      note:
        'variants: rx-asyncio `yield* gather(tasks)` under `run(main, { eagerTasks: true })`; ' +
        `native \`await Promise.all(ps)\`; ${forEach} (a synchronous child runs inside its fork, ` +
        'as an eager task runs inside `createTask`); asyncio: none (Python 3.11 has no eager tasks).',
    },
    { native: native.w9Gather, 'rx-asyncio': rxio.w9GatherEager },
    { effect: 'w9ForEach' },
  );
  // Effect's forEach keeps no fiber once a child is done; neither does a `taskGroup` (it drops
  // finished children) whose caller keeps no handles: like for like, without the list of tasks
  // that `gather(tasks)` must hold.
  add(
    {
      id: 'w9TaskGroupEager',
      workload: 'W9',
      title: 'spawn inside a `taskGroup`, eager tasks (`run(main, { eagerTasks: true })`)',
      n: k(100_000, 10_000),
      unit: 'tasks/s',
      better: 'higher',
      targets: [{ label: '≥ 1.0× effect', against: 'effect', op: '>=', bound: 1 }],
      note:
        'variants: rx-asyncio `yield* taskGroup(function* (tg) { tg.createTask(...) })` under ' +
        '`run(main, { eagerTasks: true })` (no handle kept: the group drops finished children); ' +
        `native \`await Promise.all(ps)\`; ${forEach} (keeps no fiber once a child is done); ` +
        'asyncio: none (Python 3.11 has no eager tasks).',
    },
    { native: native.w9Gather, 'rx-asyncio': rxio.w9TaskGroupEager },
    { effect: 'w9ForEach' },
  );
  for (const [id, title, rx, nat, note] of [
    [
      'w10CancelGather',
      'cancel sleeping tasks (each with `finally`), then `gather(tasks, { returnExceptions: true })`',
      rxio.w10CancelGather,
      native.w10CancelGather,
      'variants: rx-asyncio `task.cancel()` each, then `yield* gather(tasks, { returnExceptions: true })`; ' +
        'native a hand-rolled cancellable sleep (`clearTimeout` + reject, `try/finally`), cancelled ' +
        'each, then `await Promise.allSettled(ps)`; effect `Fiber.interruptAll(fibers)` (sleeps in ' +
        '`Effect.ensuring`); asyncio `t.cancel()` each, then `await gather(*tasks, return_exceptions=True)`.',
    ],
    [
      'w10CancelGroup',
      'cancel the task running a `taskGroup` of sleeping children (each with `finally`)',
      rxio.w10CancelGroup,
      native.w10CancelGroup,
      "variants: rx-asyncio `parent.cancel()` of the task in `taskGroup(...)`'s exit wait; native one " +
        '`AbortController.abort()` that every sleep listens to, then `Promise.allSettled`; effect ' +
        '`Fiber.interrupt(parent)` of the fiber that forked the children; asyncio `parent.cancel()` ' +
        'of the task in `async with TaskGroup()`.',
    ],
  ] as const) {
    add(
      {
        id,
        workload: 'W10',
        title,
        n: k(100_000, 10_000),
        unit: 'cancels/s',
        better: 'higher',
        targets: [{ label: '≥ 0.5× native', against: 'native', op: '>=', bound: 0.5 }],
        note,
      },
      { native: nat, 'rx-asyncio': rx },
      { effect: id, asyncio: id },
    );
  }
  const sizes = q ? [1_000, 10_000, 100_000] : [10_000, 100_000, 1_000_000];
  for (const [key, title, unit, better] of [
    ['w1Hoisted', 'W1 (spawn + join)', 'tasks/s', 'higher'],
    ['w3Overhead', 'W3 (sleeping tasks, overhead)', 'µs/task', 'lower'],
  ] as const) {
    for (const n of sizes) {
      add(
        {
          id: `w6.${key}@${n}`,
          workload: 'W6',
          title: `${title} at ${n.toLocaleString('en-US')}`,
          n,
          unit,
          better,
          targets:
            n === sizes[2]
              ? [
                  {
                    label: 'cost ≤ 1.5× at smallest n',
                    against: `w6.${key}@${sizes[0]}`,
                    op: '<=',
                    bound: 1.5,
                  },
                ]
              : undefined,
        },
        { native: W6[key].native, 'rx-asyncio': W6[key]['rx-asyncio'] },
        null,
      );
    }
  }
  const vsizes = q ? [1_000, 10_000] : [100_000, 1_000_000];
  for (const [key, title] of [
    ['w7Sleep', 'W3 under TestScheduler: spawn, sleep, wake, join'],
    ['w7Cancel', 'W4 under TestScheduler: spawn, sleep, cancel, finally'],
  ] as const) {
    for (const n of vsizes) {
      add(
        {
          id: `w7.${key}@${n}`,
          workload: 'W7',
          title: `${title} (n=${n.toLocaleString('en-US')})`,
          n,
          unit: 'µs/task',
          better: 'lower',
          targets: [
            { label: '≤ 3 µs/task', against: 'abs', op: '<=', bound: 3 },
            ...(n === vsizes[1]
              ? [
                  {
                    label: 'linear: ≤ 1.5× per task at smaller n',
                    against: `w7.${key}@${vsizes[0]}`,
                    op: '<=' as const,
                    bound: 1.5,
                  },
                ]
              : []),
          ],
        },
        { 'rx-asyncio': W7[key] },
        null,
      );
    }
  }
  return cases;
}

const W6 = {
  w1Hoisted: { native: native.w1Hoisted, 'rx-asyncio': rxio.w1Hoisted },
  w3Overhead: { native: native.w3Overhead, 'rx-asyncio': rxio.w3Overhead },
};

const W7 = { w7Sleep: rxio.w7Sleep, w7Cancel: rxio.w7Cancel };

/** Runs `m` at a smaller n (a slow peer); the table shows the n it ran at. */
function capped(m: Measure, cap: number): Measure {
  const f: Measure = (_n) => m(cap);
  (f as { cappedAt?: number }).cappedAt = cap;
  return f;
}
