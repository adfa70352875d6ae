/**
 * The page side of `npm run bench:browser` (bench/browser.ts bundles this file with esbuild and
 * drives it in headless Chromium). It exposes `globalThis.__bench.run(spec)`: one workload for
 * `spec.ms` ms of real time while a `setInterval(…, 10)` samples how long the page's other
 * work waits, returning the work done and the gaps between interval ticks.
 *
 * Workloads: `idle` (nothing), `pingPong` (two tasks handing a number back and forth through two
 * queues: W2 of bench/index.ts, run until a deadline) and `cpu` (many tasks, each step ~0.2 ms of
 * arithmetic then a zero sleep). Systems: `rx-asyncio` (under `run()`, the page's loop defaults or
 * the `budget`/`yield` given) and `native` (async functions and Promises, yielding to the host
 * every `budget` ms through the same primitive: the hand-written baseline of a cooperative loop).
 */
import type { SchedulerLike } from 'rxjs';
import { type Coroutine, createTask, Queue, run, sleep } from '../../src/index.js';

/**
 * How a loop hands the page a turn: `page` is rx-asyncio's own way in browsers (a zero timer,
 * then a `postTask` or `MessageChannel` post; see src/schedulers/macrotaskScheduler.ts), `default`
 * is rx-asyncio's default (for the native loop: `page`); the others post straight through one
 * primitive.
 */
export type Primitive = 'default' | 'page' | 'yield' | 'postTask' | 'message' | 'timeout';

export interface Spec {
  workload: 'idle' | 'pingPong' | 'cpu';
  system: 'rx-asyncio' | 'native';
  /** Real-time duration of the busy phase, ms. */
  ms: number;
  /** Slice (ms) before the loop yields; rx-asyncio: `budget` (undefined: the default). */
  budget?: number;
  primitive?: Primitive;
  /** cpu workload: how many tasks. */
  tasks?: number;
}

export interface Outcome {
  /** Round trips (pingPong) or task steps (cpu) done. */
  ops: number;
  /** Busy phase, ms. */
  elapsed: number;
  /** Gaps between consecutive interval ticks during the busy phase, ms. */
  gaps: number[];
  /** The cpu workload's results folded together (read, so the arithmetic stays). */
  checksum: number;
}

const now = (): number => performance.now();

interface PostTaskScheduler {
  postTask(fn: () => void, options?: { priority?: string }): Promise<unknown>;
  yield?: () => Promise<void>;
}
const host = (globalThis as { scheduler?: PostTaskScheduler }).scheduler;

/** One host turn through `p`, as a callback. */
function poster(p: Primitive): (fn: () => void) => void {
  if (p === 'postTask' && host) return (fn) => void host.postTask(fn);
  if (p === 'yield' && host?.yield) {
    const y = host.yield.bind(host);
    return (fn) => void y().then(fn);
  }
  if (p === 'timeout') return (fn) => void setTimeout(fn, 0);
  if (p === 'page' || p === 'default') {
    const direct = poster(host ? 'postTask' : 'message');
    return (fn) => void setTimeout(() => direct(fn), 0);
  }
  const channel = new MessageChannel();
  const queue: (() => void)[] = [];
  channel.port1.onmessage = () => (queue.shift() as () => void)();
  return (fn) => {
    queue.push(fn);
    channel.port2.postMessage(null);
  };
}

/** An RxJS scheduler whose zero-delay work goes through `p` (rx-asyncio's `yieldScheduler`). */
function yieldSchedulerOf(p: Primitive): SchedulerLike | undefined {
  if (p === 'default') return undefined;
  const post = poster(p);
  return {
    now,
    schedule(work: (this: unknown, state?: unknown) => void, _delay?: number, state?: unknown) {
      let live = true;
      post(() => {
        if (live) work.call(null, state);
      });
      return {
        closed: false,
        unsubscribe() {
          live = false;
        },
      };
    },
  } as unknown as SchedulerLike;
}

/** A 10 ms interval that records the gaps between its ticks from `start()` to `stop()`. */
function sampler(): { start(): void; stop(): number[] } {
  const gaps: number[] = [];
  let last = 0;
  let id: ReturnType<typeof setInterval> | undefined;
  return {
    start() {
      last = now();
      id = setInterval(() => {
        const t = now();
        gaps.push(t - last);
        last = t;
      }, 10);
    },
    stop() {
      clearInterval(id);
      gaps.push(now() - last); // the wait still open at the end counts too
      return gaps;
    },
  };
}

/** ~0.2 ms of arithmetic that the optimiser cannot drop. */
function crunch(seed: number): number {
  let x = seed | 0;
  for (let i = 0; i < 40_000; i++) x = (x * 1103515245 + 12345) | 0;
  return x;
}

let sink = 0;

function rxPingPong(deadline: number): Coroutine<number> {
  return (function* () {
    const ping = new Queue<number>();
    const pong = new Queue<number>();
    let trips = 0;
    let done = false;
    const a = createTask(
      (function* () {
        for (let i = 0; !done; i++) {
          yield* ping.put(i);
          yield* pong.get();
          trips++;
          if ((i & 255) === 0 && now() >= deadline) done = true;
        }
        yield* ping.put(-1);
      })(),
    );
    const b = createTask(
      (function* () {
        for (;;) {
          const x = yield* ping.get();
          if (x < 0) return;
          yield* pong.put(x);
        }
      })(),
    );
    yield* a;
    yield* b;
    return trips;
  })();
}

function rxCpu(deadline: number, tasks: number): Coroutine<number> {
  return (function* () {
    let steps = 0;
    const all = [];
    for (let t = 0; t < tasks; t++) {
      all.push(
        createTask(
          (function* () {
            while (now() < deadline) {
              sink ^= crunch(steps++);
              yield* sleep(0);
            }
          })(),
        ),
      );
    }
    for (const t of all) yield* t;
    return steps;
  })();
}

/** A minimal async queue for the native loop: one waiting getter at most (ping-pong). */
class NativeQueue<T> {
  private readonly items: T[] = [];
  private waiter: ((v: T) => void) | null = null;
  put(v: T): void {
    const w = this.waiter;
    if (w) {
      this.waiter = null;
      w(v);
    } else this.items.push(v);
  }
  get(): Promise<T> | T {
    if (this.items.length > 0) return this.items.shift() as T;
    return new Promise<T>((resolve) => {
      this.waiter = resolve;
    });
  }
}

/**
 * The native loop's cooperative yield: once `budget` ms of work are done, every caller awaits the
 * same host turn through `p` (so 100 tasks yield once, not 100 times).
 */
function slicer(budget: number, p: Primitive): () => Promise<void> | undefined {
  const post = poster(p);
  let sliceStart = now();
  let turn: Promise<void> | undefined;
  return () => {
    if (turn !== undefined) return turn;
    if (now() - sliceStart < budget) return undefined;
    turn = new Promise<void>((resolve) =>
      post(() => {
        turn = undefined;
        sliceStart = now();
        resolve();
      }),
    );
    return turn;
  };
}

async function nativePingPong(deadline: number, budget: number, p: Primitive): Promise<number> {
  const ping = new NativeQueue<number>();
  const pong = new NativeQueue<number>();
  const turn = slicer(budget, p);
  let trips = 0;
  const b = (async () => {
    for (;;) {
      const x = await ping.get();
      if (x < 0) return;
      pong.put(x);
    }
  })();
  for (let i = 0; ; i++) {
    ping.put(i);
    await pong.get();
    trips++;
    if ((i & 255) === 0) {
      if (now() >= deadline) break;
      await turn();
    }
  }
  ping.put(-1);
  await b;
  return trips;
}

async function nativeCpu(
  deadline: number,
  tasks: number,
  budget: number,
  p: Primitive,
): Promise<number> {
  const turn = slicer(budget, p);
  let steps = 0;
  const one = async (): Promise<void> => {
    while (now() < deadline) {
      // Checked again after each turn: the tasks a turn releases all resume in one macrotask.
      for (let t = turn(); t !== undefined; t = turn()) await t;
      sink ^= crunch(steps++);
      await null;
    }
  };
  await Promise.all(Array.from({ length: tasks }, one));
  return steps;
}

async function runSpec(spec: Spec): Promise<Outcome> {
  const p = spec.primitive ?? 'default';
  const budget = spec.budget ?? 5;
  const tasks = spec.tasks ?? 100;
  const s = sampler();
  // Let the page settle (a turn for timers already due) before sampling.
  await new Promise((r) => setTimeout(r, 20));
  s.start();
  const t0 = now();
  const deadline = t0 + spec.ms;
  let ops = 0;
  if (spec.workload === 'idle') {
    await new Promise((r) => setTimeout(r, spec.ms));
  } else if (spec.system === 'native') {
    ops =
      spec.workload === 'pingPong'
        ? await nativePingPong(deadline, budget, p)
        : await nativeCpu(deadline, tasks, budget, p);
  } else {
    const options = {
      ...(spec.budget === undefined ? {} : { budget: spec.budget }),
      ...(p === 'default' ? {} : { yieldScheduler: yieldSchedulerOf(p) ?? null }),
    };
    ops = await run(
      spec.workload === 'pingPong' ? rxPingPong(deadline) : rxCpu(deadline, tasks),
      options,
    );
  }
  const elapsed = now() - t0;
  return { ops, elapsed, gaps: s.stop(), checksum: sink };
}

(globalThis as { __bench?: unknown }).__bench = {
  run: runSpec,
  features: {
    postTask: typeof host?.postTask === 'function',
    yield: typeof host?.yield === 'function',
  },
};
