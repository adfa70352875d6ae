/**
 * Effect 4: the same workloads with fibers (`Effect.forkChild` + `Fiber.join`), `Effect.yieldNow`,
 * `Effect.sleep`, `Queue` and `Fiber.interruptAll`. Plain JavaScript so that rx-asyncio's typecheck does
 * not depend on the peers being installed (they live in bench/node_modules, installed on demand).
 */
import { Effect, Fiber, Queue } from 'effect';
import { delays, heapUsed, now, opsPerSec, usPerTaskBeyond } from '../harness.ts';

const childFn = Effect.fnUntraced(
  // biome-ignore lint/correctness/useYield: W1 tasks return at once
  function* (i) {
    return i;
  },
);

const spawnJoin = (n, make) =>
  Effect.gen(function* () {
    const t0 = now();
    const fibers = new Array(n);
    for (let i = 0; i < n; i++) fibers[i] = yield* Effect.forkChild(make(i));
    let sum = 0;
    for (let i = 0; i < n; i++) sum += yield* Fiber.join(fibers[i]);
    return opsPerSec(n, now() - t0) + sum * 0;
  });

export const w1Hoisted = (n) => Effect.runPromise(spawnJoin(n, childFn));

export const w1Closure = (n) =>
  Effect.runPromise(
    spawnJoin(n, (i) =>
      Effect.gen(
        // biome-ignore lint/correctness/useYield: W1 tasks return at once
        function* () {
          return i;
        },
      ),
    ),
  );

const spin = (k) =>
  Effect.gen(function* () {
    for (let i = 0; i < k; i++) yield* Effect.yieldNow;
  });

export const w2Yield1 = (n) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const t0 = now();
      yield* spin(n);
      return opsPerSec(n, now() - t0);
    }),
  );

export const w2Yield2 = (n) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const t0 = now();
      const a = yield* Effect.forkChild(spin(n >> 1));
      const b = yield* Effect.forkChild(spin(n - (n >> 1)));
      yield* Fiber.join(a);
      yield* Fiber.join(b);
      return opsPerSec(n, now() - t0);
    }),
  );

export const w2PingPong = (n) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const ping = yield* Queue.unbounded();
      const pong = yield* Queue.unbounded();
      const t0 = now();
      const a = yield* Effect.forkChild(
        Effect.gen(function* () {
          for (let i = 0; i < n; i++) {
            yield* Queue.offer(ping, i);
            yield* Queue.take(pong);
          }
        }),
      );
      const b = yield* Effect.forkChild(
        Effect.gen(function* () {
          for (let i = 0; i < n; i++) yield* Queue.offer(pong, yield* Queue.take(ping));
        }),
      );
      yield* Fiber.join(a);
      yield* Fiber.join(b);
      return opsPerSec(n, now() - t0);
    }),
  );

const sleeper = Effect.fnUntraced(function* (ms) {
  yield* Effect.sleep(ms);
});

export const w3Overhead = (n) => {
  const d = delays(n);
  return Effect.runPromise(
    Effect.gen(function* () {
      const t0 = now();
      const fibers = new Array(n);
      for (let i = 0; i < n; i++) fibers[i] = yield* Effect.forkChild(sleeper(d[i]));
      for (let i = 0; i < n; i++) yield* Fiber.join(fibers[i]);
      return usPerTaskBeyond(n, now() - t0, 100);
    }),
  );
};

export const w3Heap = (n) => {
  const d = delays(n);
  return Effect.runPromise(
    Effect.gen(function* () {
      const base = heapUsed();
      const fibers = new Array(n);
      for (let i = 0; i < n; i++) fibers[i] = yield* Effect.forkChild(sleeper(d[i]));
      yield* Effect.yieldNow;
      const bytes = heapUsed() - base;
      for (let i = 0; i < n; i++) yield* Fiber.join(fibers[i]);
      return bytes / n;
    }),
  );
};

export const w4Cancel = (n) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const done = { count: 0 };
      const fibers = new Array(n);
      const body = Effect.ensuring(
        Effect.sleep(10_000),
        Effect.sync(() => {
          done.count++;
        }),
      );
      for (let i = 0; i < n; i++) fibers[i] = yield* Effect.forkChild(body);
      yield* Effect.yieldNow;
      const t0 = now();
      yield* Fiber.interruptAll(fibers);
      const ms = now() - t0;
      if (done.count !== n) throw new Error(`effect W4: ${done.count} finalizers ran of ${n}`);
      return opsPerSec(n, ms);
    }),
  );

/** W9: Effect's idiom for "run these and collect the results": `forEach`, unbounded concurrency. */
export const w9ForEach = (n) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const xs = new Array(n);
      for (let i = 0; i < n; i++) xs[i] = i;
      const t0 = now();
      yield* Effect.forEach(xs, childFn, { concurrency: 'unbounded' });
      return opsPerSec(n, now() - t0);
    }),
  );

/** W10: interrupt n sleeping fibers (each with a finalizer) and await them: `Fiber.interruptAll`. */
export const w10CancelGather = w4Cancel;

/** W10 (group): n sleeping children of one fiber; interrupting the parent interrupts them all. */
export const w10CancelGroup = (n) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const done = { count: 0 };
      let started = 0;
      const body = Effect.ensuring(
        Effect.flatMap(
          Effect.sync(() => {
            started++;
          }),
          () => Effect.sleep(10_000),
        ),
        Effect.sync(() => {
          done.count++;
        }),
      );
      const parent = yield* Effect.forkChild(
        Effect.gen(function* () {
          for (let i = 0; i < n; i++) yield* Effect.forkChild(body);
          yield* Effect.never;
        }),
      );
      while (started < n) yield* Effect.yieldNow; // every child asleep in its `ensuring`
      const t0 = now();
      yield* Fiber.interrupt(parent);
      const ms = now() - t0;
      if (done.count !== n) throw new Error(`effect W10: ${done.count} finalizers ran of ${n}`);
      return opsPerSec(n, ms);
    }),
  );
