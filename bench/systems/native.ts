/**
 * Native async/await: the same workloads with Promises, `setTimeout` and a counter, as a
 * JavaScript developer would write them without a library. Also the floors (W5).
 */
import { setMaxListeners } from 'node:events';
import { delays, heapUsed, type Measure, now, opsPerSec, usPerTaskBeyond } from '../harness.js';

async function child(i: number): Promise<number> {
  return i;
}

async function joinAll(ps: Promise<number>[]): Promise<number> {
  let sum = 0;
  for (let i = 0; i < ps.length; i++) sum += await (ps[i] as Promise<number>);
  return sum;
}

export const w1Hoisted: Measure = async (n) => {
  const t0 = now();
  const ps = new Array<Promise<number>>(n);
  for (let i = 0; i < n; i++) ps[i] = child(i);
  await joinAll(ps);
  return opsPerSec(n, now() - t0);
};

export const w1Closure: Measure = async (n) => {
  const t0 = now();
  const ps = new Array<Promise<number>>(n);
  for (let i = 0; i < n; i++) ps[i] = (async () => i)();
  await joinAll(ps);
  return opsPerSec(n, now() - t0);
};

async function spin(k: number): Promise<void> {
  for (let i = 0; i < k; i++) await null;
}

/** W2: `await null` is native's cheapest yield (a microtask turn). */
export const w2Yield1: Measure = async (n) => {
  const t0 = now();
  await spin(n);
  return opsPerSec(n, now() - t0);
};

export const w2Yield2: Measure = async (n) => {
  const t0 = now();
  await Promise.all([spin(n >> 1), spin(n - (n >> 1))]);
  return opsPerSec(n, now() - t0);
};

/** A minimal unbounded async queue: what native code would hand-roll for a ping-pong. */
class AsyncQueue<T> {
  private items: T[] = [];
  private waiters: ((x: T) => void)[] = [];
  put(x: T): void {
    const w = this.waiters.shift();
    if (w) w(x);
    else this.items.push(x);
  }
  get(): Promise<T> {
    if (this.items.length > 0) return Promise.resolve(this.items.shift() as T);
    return new Promise((r) => this.waiters.push(r));
  }
}

export const w2PingPong: Measure = async (n) => {
  const ping = new AsyncQueue<number>();
  const pong = new AsyncQueue<number>();
  const t0 = now();
  const a = (async () => {
    for (let i = 0; i < n; i++) {
      ping.put(i);
      await pong.get();
    }
  })();
  const b = (async () => {
    for (let i = 0; i < n; i++) pong.put(await ping.get());
  })();
  await Promise.all([a, b]);
  return opsPerSec(n, now() - t0);
};

const sleepMs = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function sleeper(ms: number): Promise<void> {
  await sleepMs(ms);
}

export const w3Overhead: Measure = async (n) => {
  const d = delays(n);
  const t0 = now();
  const ps = new Array<Promise<void>>(n);
  for (let i = 0; i < n; i++) ps[i] = sleeper(d[i] as number);
  for (let i = 0; i < n; i++) await ps[i];
  return usPerTaskBeyond(n, now() - t0, 100);
};

export const w3Heap: Measure = async (n) => {
  const d = delays(n);
  const base = heapUsed();
  const ps = new Array<Promise<void>>(n);
  for (let i = 0; i < n; i++) ps[i] = sleeper(d[i] as number);
  const bytes = heapUsed() - base;
  for (let i = 0; i < n; i++) await ps[i];
  return bytes / n;
};

const CANCEL = new Error('cancelled');

/** W4: a cancellable sleep is a timer plus a reject function the canceller calls. */
export const w4Cancel: Measure = async (n) => {
  let count = 0;
  let allDone: () => void = () => {};
  const finished = new Promise<void>((r) => {
    allDone = r;
  });
  const cancels = new Array<() => void>(n);
  const task = async (i: number): Promise<void> => {
    try {
      await new Promise<void>((resolve, reject) => {
        const id = setTimeout(resolve, 10_000);
        cancels[i] = () => {
          clearTimeout(id);
          reject(CANCEL);
        };
      });
    } catch {
      // cancelled
    } finally {
      if (++count === n) allDone();
    }
  };
  for (let i = 0; i < n; i++) void task(i);
  await null;
  const t0 = now();
  for (let i = 0; i < n; i++) (cancels[i] as () => void)();
  await finished;
  return opsPerSec(n, now() - t0);
};

/** W5 floor: a bare `generator.next()` loop. */
export const w5GenNext: Measure = async (n) => {
  function* g(): Generator<number, void, unknown> {
    for (;;) yield 1;
  }
  const it = g();
  let sum = 0;
  const t0 = now();
  for (let i = 0; i < n; i++) sum += it.next().value as number;
  const ms = now() - t0;
  if (sum !== n) throw new Error('W5: bad sum');
  return opsPerSec(n, ms);
};

/** W5 floor: a `setImmediate` chain (one host macrotask per step). */
export const w5SetImmediate: Measure = (n) =>
  new Promise((resolve) => {
    let k = n;
    const t0 = now();
    const step = (): void => {
      if (--k > 0) setImmediate(step);
      else resolve(opsPerSec(n, now() - t0));
    };
    setImmediate(step);
  });

/** An iterator whose `throw` re-raises: what a generator suspended in `yield* future` delegates to. */
const rethrowing: Iterator<number> & Iterable<number> = {
  [Symbol.iterator]() {
    return this;
  },
  next: () => ({ done: false, value: 1 }),
  throw(e: unknown): never {
    throw e;
  },
};

/**
 * W5 floor of a cancellation (W4): n generators suspended in `try { yield* x } finally {}`, each
 * thrown into once; the error goes through `x.throw` into the generator and out of its
 * `finally`. No loop, no task, one shared error: the V8 cost every generator-based cancel pays.
 */
export const w5GenThrow: Measure = async (n) => {
  let finallies = 0;
  function* g(): Generator<number, void, unknown> {
    try {
      yield* rethrowing;
    } finally {
      finallies++;
    }
  }
  const gens = new Array<Generator<number, void, unknown>>(n);
  for (let i = 0; i < n; i++) {
    const it = g();
    it.next();
    gens[i] = it;
  }
  const e = new Error('cancelled');
  const t0 = now();
  for (let i = 0; i < n; i++) {
    try {
      (gens[i] as Generator<number, void, unknown>).throw(e);
    } catch {
      // expected: the error leaves the generator
    }
  }
  const ms = now() - t0;
  if (finallies !== n) throw new Error('W5: a finally did not run');
  return opsPerSec(n, ms);
};

/** W5 floor: constructing an Error without a stack (`Error.stackTraceLimit = 0`), as CancelledError does. */
export const w5NewError: Measure = async (n) => {
  const E = Error as { stackTraceLimit?: number };
  const limit = E.stackTraceLimit;
  const keep = new Array<Error>(1024);
  const t0 = now();
  for (let i = 0; i < n; i++) {
    E.stackTraceLimit = 0;
    keep[i & 1023] = new Error('');
    E.stackTraceLimit = limit;
  }
  const ms = now() - t0;
  return opsPerSec(n, ms);
};

/** W9: `Promise.all` over n async calls that return at once (native's gather). */
export const w9Gather: Measure = async (n) => {
  const t0 = now();
  const ps = new Array<Promise<number>>(n);
  for (let i = 0; i < n; i++) ps[i] = child(i);
  await Promise.all(ps);
  return opsPerSec(n, now() - t0);
};

/** W9: `Promise.allSettled` (native's `wait`: outcomes, never a rejection). */
export const w9Wait: Measure = async (n) => {
  const t0 = now();
  const ps = new Array<Promise<number>>(n);
  for (let i = 0; i < n; i++) ps[i] = child(i);
  await Promise.allSettled(ps);
  return opsPerSec(n, now() - t0);
};

/** A hand-rolled cancellable sleep: a timer, and a cancel function (clearTimeout + reject). */
function cancellableSleep(ms: number, onCancel: (cancel: () => void) => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const id = setTimeout(resolve, ms);
    onCancel(() => {
      clearTimeout(id);
      reject(CANCEL);
    });
  });
}

/**
 * W10: n hand-rolled cancellable sleeps (a timer plus a reject function; `try/finally`),
 * cancelled one by one and collected with `Promise.allSettled` (native's gather with
 * `returnExceptions`).
 */
export const w10CancelGather: Measure = async (n) => {
  let count = 0;
  const cancels = new Array<() => void>(n);
  const task = async (i: number): Promise<void> => {
    try {
      await cancellableSleep(10_000, (cancel) => {
        cancels[i] = cancel;
      });
    } finally {
      count++;
    }
  };
  const ps = new Array<Promise<void>>(n);
  for (let i = 0; i < n; i++) ps[i] = task(i);
  await null;
  const t0 = now();
  for (let i = 0; i < n; i++) (cancels[i] as () => void)();
  await Promise.allSettled(ps);
  const ms = now() - t0;
  if (count !== n) throw new Error('native W10: a finally did not run');
  return opsPerSec(n, ms);
};

/**
 * W10 (group): native's structured cancel is one `AbortController` whose signal every sleep
 * listens to; `abort()` cancels them all, `Promise.allSettled` waits for every `finally`.
 */
export const w10CancelGroup: Measure = async (n) => {
  let count = 0;
  const ac = new AbortController();
  const signal = ac.signal;
  setMaxListeners(0, signal); // n listeners on one signal is the point here
  const task = async (): Promise<void> => {
    try {
      await cancellableSleep(10_000, (cancel) => {
        signal.addEventListener('abort', cancel, { once: true });
      });
    } finally {
      count++;
    }
  };
  const ps = new Array<Promise<void>>(n);
  for (let i = 0; i < n; i++) ps[i] = task();
  await null;
  const t0 = now();
  ac.abort();
  await Promise.allSettled(ps);
  const ms = now() - t0;
  if (count !== n) throw new Error('native W10: a finally did not run');
  return opsPerSec(n, ms);
};
