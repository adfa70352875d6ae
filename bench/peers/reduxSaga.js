/**
 * redux-saga: the same workloads with `runSaga`, `fork` + `join`, `delay`, `channel` and `cancel`.
 * redux-saga has no yield-to-the-loop effect (its `delay(0)` is a `setTimeout`), so W2's yield
 * rows skip it.
 */
import { channel, runSaga } from 'redux-saga';
import { call, cancel, delay, fork, join, put, take } from 'redux-saga/effects';
import { delays, heapUsed, now, opsPerSec, usPerTaskBeyond } from '../harness.ts';

const env = { dispatch: () => {}, getState: () => ({}), onError: (e) => console.error(e) };

const runRoot = (saga) => runSaga(env, saga).toPromise();

// biome-ignore lint/correctness/useYield: W1 tasks return at once
function* child(i) {
  return i;
}

function* spawnJoin(n, fresh) {
  const t0 = now();
  const tasks = new Array(n);
  for (let i = 0; i < n; i++) {
    tasks[i] = yield fresh
      ? fork(
          // biome-ignore lint/correctness/useYield: W1 tasks return at once
          function* () {
            return i;
          },
        )
      : fork(child, i);
  }
  yield join(tasks);
  return opsPerSec(n, now() - t0);
}

export const w1Hoisted = (n) => runRoot(() => spawnJoin(n, false));
export const w1Closure = (n) => runRoot(() => spawnJoin(n, true));

export const w2PingPong = (n) =>
  runRoot(function* () {
    const ping = channel();
    const pong = channel();
    const t0 = now();
    const a = yield fork(function* () {
      for (let i = 0; i < n; i++) {
        yield put(ping, i);
        yield take(pong);
      }
    });
    const b = yield fork(function* () {
      for (let i = 0; i < n; i++) yield put(pong, yield take(ping));
    });
    yield join([a, b]);
    return opsPerSec(n, now() - t0);
  });

function* sleeper(ms) {
  yield delay(ms);
}

export const w3Overhead = (n) => {
  const d = delays(n);
  return runRoot(function* () {
    const t0 = now();
    const tasks = new Array(n);
    for (let i = 0; i < n; i++) tasks[i] = yield fork(sleeper, d[i]);
    yield join(tasks);
    return usPerTaskBeyond(n, now() - t0, 100);
  });
};

export const w3Heap = (n) => {
  const d = delays(n);
  return runRoot(function* () {
    const base = heapUsed();
    const tasks = new Array(n);
    for (let i = 0; i < n; i++) tasks[i] = yield fork(sleeper, d[i]);
    const bytes = heapUsed() - base;
    yield join(tasks);
    return bytes / n;
  });
};

export const w4Cancel = (n) =>
  runRoot(function* () {
    const done = { count: 0 };
    function* body() {
      try {
        yield delay(10_000);
      } finally {
        done.count++;
      }
    }
    const tasks = new Array(n);
    for (let i = 0; i < n; i++) tasks[i] = yield fork(body);
    yield call(() => Promise.resolve());
    const t0 = now();
    yield cancel(tasks);
    const ms = now() - t0;
    if (done.count !== n)
      throw new Error(`redux-saga W4: ${done.count} finally blocks ran of ${n}`);
    return opsPerSec(n, ms);
  });
