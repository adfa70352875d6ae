/**
 * rx-asyncio's side of every workload. Each function runs one whole workload with `run()` on the default
 * real-time scheduler (or `runVirtual` for W7) and measures inside the program, so the loop's
 * start-up and shutdown are not counted (the peers are measured the same way).
 */

import { runVirtual } from '../../marbles/index.js';
import {
  asCompleted,
  CancelledError,
  type Coroutine,
  createTask,
  gather,
  run,
  sleep,
  type Task,
  taskGroup,
  wait,
} from '../../src/index.js';
import { delays, heapUsed, type Measure, now, opsPerSec, usPerTaskBeyond } from '../harness.js';

const opts = { handleSigint: false };

// biome-ignore lint/correctness/useYield: W1 tasks return at once
function* child(i: number): Coroutine<number> {
  return i;
}

function* sleeper(ms: number): Coroutine<void> {
  yield* sleep(ms);
}

function* spin(k: number): Coroutine<void> {
  for (let i = 0; i < k; i++) yield* sleep(0);
}

/** Joins every task in order; returns the sum of results (kept so nothing is optimised away). */
function* joinAll(tasks: Task<number>[]): Coroutine<number> {
  let sum = 0;
  for (let i = 0; i < tasks.length; i++) sum += yield* tasks[i] as Task<number>;
  return sum;
}

/** Creates n tasks of `make(i)` in the running loop. */
function spawnAll<T>(n: number, make: (i: number) => Coroutine<T>): Task<T>[] {
  const tasks = new Array<Task<T>>(n);
  for (let i = 0; i < n; i++) tasks[i] = createTask(make(i));
  return tasks;
}

/**
 * The row factory: a workload whose whole `body(n)` is timed inside `run()` (so the loop's
 * start-up and shutdown are not counted), as ops/s over n. `eagerTasks` runs it with the eager
 * task factory (`run(main, { eagerTasks: true })`).
 */
function row(body: (n: number) => Coroutine<unknown>, eagerTasks = false): Measure {
  return async (n) => {
    let ms = 0;
    await run(
      (function* () {
        const t0 = now();
        yield* body(n);
        ms = now() - t0;
      })(),
      { ...opts, eagerTasks },
    );
    return opsPerSec(n, ms);
  };
}

function* spawnJoin(n: number): Coroutine<number> {
  return yield* joinAll(spawnAll(n, child));
}

/** W1: spawn n tasks from a hoisted generator function and join them. */
export const w1Hoisted: Measure = row(spawnJoin);

/** W1 with eager tasks: each child runs to its end inside `createTask`. */
export const w1Eager: Measure = row(spawnJoin, true);

/** W1: the same with a fresh generator closure per task. */
export const w1Closure: Measure = row(function* (n) {
  return yield* joinAll(
    spawnAll(
      n,
      // biome-ignore lint/correctness/useYield: W1 tasks return at once
      function* (i) {
        return i;
      },
    ),
  );
});

/** W2: n `sleep(0)` in one task. */
export const w2Yield1: Measure = row(spin);

/** W2: n `sleep(0)` split over two tasks. */
export const w2Yield2: Measure = row(function* (n) {
  const a = createTask(spin(n >> 1));
  const b = createTask(spin(n - (n >> 1)));
  yield* a;
  yield* b;
});

/** The slice of rx-asyncio's Queue this benchmark uses (loaded lazily: it may not exist yet). */
interface QueueLike {
  put(x: number): Iterable<unknown>;
  get(): Iterable<unknown>;
}
type QueueCtor = new () => QueueLike;

/** Loads `src/queues/Queue.ts` if present. */
export async function loadQueue(): Promise<QueueCtor | null> {
  try {
    const spec = '../../src/queues/Queue.js';
    const mod = (await import(spec)) as { Queue?: QueueCtor };
    return typeof mod.Queue === 'function' ? mod.Queue : null;
  } catch {
    return null;
  }
}

/** W2: n round trips between two tasks through two `Queue`s. */
export function w2PingPong(Queue: QueueCtor): Measure {
  return async (n) => {
    let ms = 0;
    await run(
      (function* () {
        const ping = new Queue();
        const pong = new Queue();
        const t0 = now();
        const a = createTask(
          (function* () {
            for (let i = 0; i < n; i++) {
              yield* ping.put(i) as Coroutine<void>;
              yield* pong.get() as Coroutine<unknown>;
            }
          })(),
        );
        const b = createTask(
          (function* () {
            for (let i = 0; i < n; i++) {
              const x = yield* ping.get() as Coroutine<unknown>;
              yield* pong.put(x as number) as Coroutine<void>;
            }
          })(),
        );
        yield* a;
        yield* b;
        ms = now() - t0;
      })(),
      opts,
    );
    return opsPerSec(n, ms);
  };
}

/** W3: n tasks sleeping seeded 0–100 ms: µs per task beyond the longest sleep. */
export const w3Overhead: Measure = async (n) => {
  const d = delays(n);
  let ms = 0;
  await run(
    (function* () {
      const t0 = now();
      const tasks = spawnAll(n, (i) => sleeper(d[i] as number));
      for (let i = 0; i < n; i++) yield* tasks[i] as Task<void>;
      ms = now() - t0;
    })(),
    opts,
  );
  return usPerTaskBeyond(n, ms, 100);
};

/** W3: heap bytes per sleeping task, after a full GC, once every task sleeps. */
export const w3Heap: Measure = async (n) => {
  const d = delays(n);
  let bytes = 0;
  await run(
    (function* () {
      const base = heapUsed();
      const tasks = spawnAll(n, (i) => sleeper(d[i] as number));
      yield* sleep(0); // every task has taken its first step: all are asleep now
      bytes = heapUsed() - base;
      for (let i = 0; i < n; i++) yield* tasks[i] as Task<void>;
    })(),
    opts,
  );
  return bytes / n;
};

function* cancellable(ms: number, done: { count: number }): Coroutine<void> {
  try {
    yield* sleep(ms);
  } finally {
    done.count++;
  }
}

/** The body shared by W4 (real time) and W7 (virtual time): returns ms spent cancelling. */
function* cancelAll(n: number, out: { ms: number }): Coroutine<void> {
  const done = { count: 0 };
  const tasks = spawnAll(n, () => cancellable(10_000, done));
  yield* sleep(0);
  const t0 = now();
  for (let i = 0; i < n; i++) (tasks[i] as Task<void>).cancel();
  while (done.count < n) yield* sleep(0);
  out.ms = now() - t0;
  for (const t of tasks) if (!t.cancelled()) throw new Error('W4: a task was not cancelled');
}

/** W4: cancel n sleeping tasks and wait until every `finally` ran: cancels/s. */
export const w4Cancel: Measure = async (n) => {
  const out = { ms: 0 };
  await run(cancelAll(n, out), opts);
  return opsPerSec(n, out.ms);
};

/** W7: W3 under a TestScheduler: µs per task end to end (spawn, sleep, wake, join). */
export const w7Sleep: Measure = async (n) => {
  const d = delays(n);
  const t0 = now();
  const r = runVirtual(
    (function* () {
      const tasks = spawnAll(n, (i) => sleeper(d[i] as number));
      for (let i = 0; i < n; i++) yield* tasks[i] as Task<void>;
    })(),
  );
  const ms = now() - t0;
  if (r.outcome?.ok !== true || r.time !== 100) throw new Error(`W7: bad run ${String(r.time)}`);
  return (ms * 1000) / n;
};

/** W7: W4 under a TestScheduler: µs per task end to end (spawn, sleep, cancel, finally). */
export const w7Cancel: Measure = async (n) => {
  const t0 = now();
  const r = runVirtual(cancelAll(n, { ms: 0 }));
  const ms = now() - t0;
  if (r.outcome?.ok !== true) throw new Error('W7: the cancel run failed');
  return (ms * 1000) / n;
};

/**
 * W9: spawn n tasks that return at once and await them all the way a user would: `gather`, a
 * `TaskGroup`, `wait` or `asCompleted` (W1 joins each task in turn: the reference).
 */
function* spawnGather(n: number): Coroutine<number[]> {
  return yield* gather(spawnAll(n, child));
}

/** W9: `yield* gather(tasks)` (the list form). */
export const w9Gather: Measure = row(spawnGather);

/**
 * W9: `gather` with eager tasks: each child runs inside `createTask`, and the gather of children
 * that all finished eagerly completes without a loop round trip. The like-for-like row beside
 * Effect's `forEach(xs, sync, { concurrency: 'unbounded' })`, which runs synchronous children
 * inside the fork in the same way.
 */
export const w9GatherEager: Measure = row(spawnGather, true);

/** W9: the n children created inside a `taskGroup` scope; the scope waits for them. */
export const w9TaskGroup: Measure = row(groupOf);

function* groupOf(n: number): Coroutine<void> {
  yield* taskGroup(
    // biome-ignore lint/correctness/useYield: spawning only
    function* (tg) {
      for (let i = 0; i < n; i++) tg.createTask(child(i));
    },
  );
}

/**
 * W9: the same `taskGroup` with eager tasks. Each child runs to its end inside `createTask`, and
 * neither the group (it drops finished children) nor the caller keeps its handle: the shape of
 * Effect's `forEach`, which keeps no fiber once it has the child's result. `gather(tasks)` must
 * hold every task until all are in (the caller has the list), and that is its gap to Effect.
 */
export const w9TaskGroupEager: Measure = row(groupOf, true);

/** W9: `yield* wait(tasks)` (ALL_COMPLETED). */
export const w9Wait: Measure = row(function* (n) {
  return yield* wait(spawnAll(n, child));
});

/** W9: `for (const next of asCompleted(tasks)) yield* next`. */
export const w9AsCompleted: Measure = row(function* (n) {
  let sum = 0;
  for (const next of asCompleted(spawnAll(n, child))) sum += yield* next;
  return sum;
});

/**
 * W10: cancel n sleeping tasks (each with a `finally`) and collect them with
 * `gather(tasks, { returnExceptions: true })`: cancels/s from the first `cancel()` until the
 * gather returns.
 */
export const w10CancelGather: Measure = async (n) => {
  let ms = 0;
  await run(
    (function* () {
      const done = { count: 0 };
      const tasks = spawnAll(n, () => cancellable(10_000, done));
      yield* sleep(0);
      const t0 = now();
      for (let i = 0; i < n; i++) (tasks[i] as Task<void>).cancel();
      const outcomes = yield* gather(tasks, { returnExceptions: true });
      ms = now() - t0;
      if (done.count !== n || !(outcomes[n - 1] instanceof CancelledError)) {
        throw new Error('W10: not every task was cancelled');
      }
    })(),
    opts,
  );
  return opsPerSec(n, ms);
};

/**
 * W10: n sleeping children (each with a `finally`) in a `taskGroup`; cancelling the task that
 * runs the group cancels them all: cancels/s from `cancel()` until that task is done.
 */
export const w10CancelGroup: Measure = async (n) => {
  let ms = 0;
  await run(
    (function* () {
      const done = { count: 0 };
      const parent = createTask(
        (function* () {
          yield* taskGroup(
            // biome-ignore lint/correctness/useYield: spawning only
            function* (tg) {
              for (let i = 0; i < n; i++) tg.createTask(cancellable(10_000, done));
            },
          );
        })(),
      );
      yield* sleep(0);
      yield* sleep(0); // the group is in its exit wait, every child asleep
      const t0 = now();
      parent.cancel();
      try {
        yield* parent;
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
      }
      ms = now() - t0;
      if (done.count !== n) throw new Error('W10: not every child was cancelled');
    })(),
    opts,
  );
  return opsPerSec(n, ms);
};
