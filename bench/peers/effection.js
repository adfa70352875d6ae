/**
 * Effection 4: the same workloads with structured tasks (`spawn` + `yield* task`), `sleep`,
 * `createQueue` and `task.halt()`. Effection's `sleep(0)` is a `setTimeout` (≥ 1 ms), so its
 * cheapest yield to other tasks is an operation resolved through a microtask (`until`).
 */
import { createQueue, run, sleep, spawn, until } from 'effection';
import { delays, heapUsed, now, opsPerSec, usPerTaskBeyond } from '../harness.ts';

// biome-ignore lint/correctness/useYield: W1 tasks return at once
function* child() {
  return 1;
}

function* spawnJoin(n, make) {
  const t0 = now();
  const tasks = new Array(n);
  for (let i = 0; i < n; i++) tasks[i] = yield* spawn(make(i));
  let sum = 0;
  for (let i = 0; i < n; i++) sum += yield* tasks[i];
  return opsPerSec(n, now() - t0) + sum * 0;
}

export const w1Hoisted = (n) => run(() => spawnJoin(n, () => child));

export const w1Closure = (n) =>
  run(() =>
    spawnJoin(
      n,
      (i) =>
        // biome-ignore lint/correctness/useYield: W1 tasks return at once
        function* () {
          return i;
        },
    ),
  );

const resolved = Promise.resolve();

function* spin(k) {
  for (let i = 0; i < k; i++) yield* until(resolved);
}

export const w2Yield1 = (n) =>
  run(function* () {
    const t0 = now();
    yield* spin(n);
    return opsPerSec(n, now() - t0);
  });

export const w2Yield2 = (n) =>
  run(function* () {
    const t0 = now();
    const a = yield* spawn(() => spin(n >> 1));
    const b = yield* spawn(() => spin(n - (n >> 1)));
    yield* a;
    yield* b;
    return opsPerSec(n, now() - t0);
  });

export const w2PingPong = (n) =>
  run(function* () {
    const ping = createQueue();
    const pong = createQueue();
    const t0 = now();
    const a = yield* spawn(function* () {
      for (let i = 0; i < n; i++) {
        ping.add(i);
        yield* pong.next();
      }
    });
    const b = yield* spawn(function* () {
      for (let i = 0; i < n; i++) pong.add((yield* ping.next()).value);
    });
    yield* a;
    yield* b;
    return opsPerSec(n, now() - t0);
  });

export const w3Overhead = (n) => {
  const d = delays(n);
  return run(function* () {
    const t0 = now();
    const tasks = new Array(n);
    for (let i = 0; i < n; i++) tasks[i] = yield* spawn(() => sleep(d[i]));
    for (let i = 0; i < n; i++) yield* tasks[i];
    return usPerTaskBeyond(n, now() - t0, 100);
  });
};

export const w3Heap = (n) => {
  const d = delays(n);
  return run(function* () {
    const base = heapUsed();
    const tasks = new Array(n);
    for (let i = 0; i < n; i++) tasks[i] = yield* spawn(() => sleep(d[i]));
    yield* until(resolved);
    const bytes = heapUsed() - base;
    for (let i = 0; i < n; i++) yield* tasks[i];
    return bytes / n;
  });
};

export const w4Cancel = (n) =>
  run(function* () {
    const done = { count: 0 };
    const tasks = new Array(n);
    for (let i = 0; i < n; i++) {
      tasks[i] = yield* spawn(function* () {
        try {
          yield* sleep(10_000);
        } finally {
          done.count++;
        }
      });
    }
    yield* until(resolved);
    const t0 = now();
    const halts = new Array(n);
    for (let i = 0; i < n; i++) halts[i] = tasks[i].halt();
    for (let i = 0; i < n; i++) yield* halts[i];
    const ms = now() - t0;
    if (done.count !== n) throw new Error(`effection W4: ${done.count} finally blocks ran of ${n}`);
    return opsPerSec(n, ms);
  });
