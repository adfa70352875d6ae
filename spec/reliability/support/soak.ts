/**
 * Soak and leak workloads, shared by the short specs (`soak.node.spec.ts`, inside `npm test`) and
 * the long mode (`npm run test:stress`, scripts/stress.ts). Each runs on a virtual-time scheduler
 * (synchronous, no real waiting) and returns what it measured; heap samples are taken between
 * rounds, after a full GC when `gc` is exposed (`node --expose-gc`).
 */

import { runVirtual } from '../../../marbles/runVirtual.js';
import {
  CancelledError,
  type Coroutine,
  createTask,
  type EventLoop,
  gather,
  getRunningLoop,
  sleep,
  type Task,
  TimeoutError,
  waitFor,
} from '../../../src/index.js';

export interface SoakResult {
  /** Operations completed. */
  ops: number;
  /** Wall-clock milliseconds. */
  ms: number;
  /** heapUsed (bytes) after each round; after a GC when one could be forced. */
  heap: number[];
  /** True if the heap samples were taken after a forced GC. */
  gcForced: boolean;
  /** Leftovers found in the loop after the run (all must be 0). */
  leftovers: { tasks: number; timers: number; ready: number; unretrieved: number };
  /** Problems found (wrong results, reports, unfinished run). */
  problems: string[];
}

type Gc = () => void;
const forceGc = (globalThis as { gc?: Gc }).gc;

function heapUsed(): number {
  forceGc?.();
  const perf = globalThis as { process?: { memoryUsage(): { heapUsed: number } } };
  return perf.process?.memoryUsage().heapUsed ?? 0;
}

/** Runs `rounds` rounds of `perRound` operations each in one `run()`, sampling the heap between. */
function soak(
  rounds: number,
  perRound: number,
  op: (loop: EventLoop, i: number) => Coroutine<void>,
): SoakResult {
  const heap: number[] = [];
  const problems: string[] = [];
  const t0 = performance.now();
  const r = runVirtual(
    (function* () {
      const loop = getRunningLoop();
      for (let round = 0; round < rounds; round++) {
        for (let i = 0; i < perRound; i++) yield* op(loop, i);
        heap.push(heapUsed());
      }
    })(),
    // Millions of iterations in one virtual instant are the point here, not a spin.
    { spinLimit: Number.POSITIVE_INFINITY },
  );
  const ms = performance.now() - t0;
  if (r.outcome?.ok !== true) problems.push(`run ended with ${JSON.stringify(r.outcome)}`);
  for (const rep of r.reports) problems.push(`report: ${rep.message} ${String(rep.exception)}`);
  const loop = r.loop;
  return {
    ops: rounds * perRound,
    ms,
    heap,
    gcForced: forceGc !== undefined,
    leftovers: {
      tasks: loop._pendingTasks.size,
      timers: loop._timers.size,
      ready: loop._ready.size,
      unretrieved: loop._unretrieved.size,
    },
    problems,
  };
}

function* quick(i: number): Coroutine<number> {
  return i;
}

/** Sequential tasks: create one, await it, repeat. */
export function sequentialTasks(rounds: number, perRound: number): SoakResult {
  return soak(rounds, perRound, function* (_loop, i) {
    const v = yield* createTask(quick(i));
    if (v !== i) throw new Error(`task returned ${v}, expected ${i}`);
  });
}

function* sleeper(): Coroutine<void> {
  yield* sleep(1000);
}

/**
 * Cancel/timeout cycles, alternating: a sleeping task cancelled at once; a `waitFor` that times
 * out (cancelling its sleep); a task cancelled while it waits on another.
 */
export function cancelTimeoutCycles(rounds: number, perRound: number): SoakResult {
  return soak(rounds, perRound, function* (_loop, i) {
    switch (i % 3) {
      case 0: {
        const t = createTask(sleeper());
        yield* sleep(0);
        t.cancel();
        yield* expectCancelled(t);
        return;
      }
      case 1:
        try {
          yield* waitFor(sleep(1000), 1);
          throw new Error('waitFor did not time out');
        } catch (e) {
          if (!(e instanceof TimeoutError)) throw e;
        }
        return;
      default: {
        const inner = createTask(sleeper());
        const outer = createTask(
          (function* () {
            yield* inner;
          })(),
        );
        yield* sleep(0);
        outer.cancel();
        yield* expectCancelled(outer);
        if (!inner.cancelled()) throw new Error('the awaited task was not cancelled');
      }
    }
  });
}

function* expectCancelled(t: Task<unknown>): Coroutine<void> {
  try {
    yield* t;
    throw new Error('task was not cancelled');
  } catch (e) {
    if (!(e instanceof CancelledError)) throw e;
  }
}

/** `yield*` delegation `depth` levels deep; returns the depth counted on the way back. */
export function deepYieldChain(depth: number): number | string {
  function* level(n: number): Coroutine<number> {
    if (n === 0) {
      yield* sleep(1);
      return 0;
    }
    return 1 + (yield* level(n - 1));
  }
  const r = runVirtual(level(depth));
  return r.outcome?.ok ? r.outcome.value : String(r.outcome?.error ?? 'unfinished');
}

/** The deepest `yield*` chain this engine runs (binary search up to `max`). */
export function maxYieldDepth(max: number): number {
  let lo = 0;
  let hi = max;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (deepYieldChain(mid) === mid) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** A gather of `n` coroutines (`kind: 'coroutines'`) or already-done futures. */
export function longGather(n: number, kind: 'coroutines' | 'futures'): SoakResult {
  const t0 = performance.now();
  const problems: string[] = [];
  const r = runVirtual(
    (function* () {
      const loop = getRunningLoop();
      const items: unknown[] = new Array(n);
      for (let i = 0; i < n; i++) {
        if (kind === 'coroutines') {
          items[i] = quick(i);
        } else {
          const f = loop.createFuture<number>();
          f.setResult(i);
          items[i] = f;
        }
      }
      const results = (yield* gather(items as never)) as unknown as number[];
      if (results.length !== n || results[n - 1] !== n - 1) problems.push('wrong gather results');
    })(),
  );
  if (r.outcome?.ok !== true)
    problems.push(
      `run ended with ${String(r.outcome?.ok === false ? r.outcome.error : 'nothing')}`,
    );
  return {
    ops: n,
    ms: performance.now() - t0,
    heap: [],
    gcForced: forceGc !== undefined,
    leftovers: {
      tasks: r.loop._pendingTasks.size,
      timers: r.loop._timers.size,
      ready: r.loop._ready.size,
      unretrieved: r.loop._unretrieved.size,
    },
    problems,
  };
}

/** Growth (bytes) from the first heap sample after warm-up to the last. */
export function heapGrowth(result: SoakResult): number {
  const h = result.heap;
  return h.length < 2 ? 0 : (h[h.length - 1] as number) - (h[1] as number);
}
