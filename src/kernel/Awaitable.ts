/**
 * The await protocol between awaitables and the one place that resumes generators (`Task`).
 *
 * A coroutine awaits with `yield*`, which runs the awaitable's iterator inline. An awaitable that
 * must suspend yields exactly one of two opaque tokens:
 * - {@link AWAIT}, after parking the future it waits on in a one-slot register
 *   ({@link parkFuture}); the driver takes it out synchronously, before anything else can run, so
 *   the register never holds more than one future and costs no allocation;
 * - {@link YIELD}, to give up the rest of this loop iteration (`sleep(0)`).
 * Anything else reaching the driver is a misuse (`yield x` instead of `yield* x`) and is reported
 * as such. The driver resumes the iterator with {@link RESUME}, which stateless awaitables (the
 * shared `sleep(0)`) use to tell "first call" from "resumed".
 *
 * A task's first step sends {@link FIRST} instead: a fresh generator drops the value of its first
 * `next()`, so an awaitable that receives FIRST sits inside a coroutine that something already
 * started (another task, or a `yield*`). It answers {@link REUSED} and changes nothing, and the
 * task fails with asyncio's "cannot reuse already awaited coroutine" while the coroutine stays
 * as it was, for whoever drives it.
 *
 * @module
 */

declare const suspendBrand: unique symbol;

/** What a coroutine yields to the loop. Opaque: only rx-asyncio's awaitables produce it. */
export interface Suspend {
  readonly [suspendBrand]: true;
  readonly description: string;
}

/**
 * Anything a coroutine can `yield*` to get a `T`: a `Task`, a `Future`, `sleep(...)`, another
 * coroutine, a lock's `acquire()`...
 *
 * @example
 * ```ts
 * import { type Awaitable, sleep } from 'rx-asyncio';
 * function* twice(aw: () => Awaitable<number>) {
 *   const a = yield* aw();
 *   const b = yield* aw();
 *   return a + b;
 * }
 * twice(() => sleep(10, 21));
 * ```
 */
export interface Awaitable<T> {
  [Symbol.iterator](): Iterator<Suspend, T, unknown>;
}

/** A coroutine object: what calling a generator function (a "coroutine function") returns. */
export type Coroutine<T = unknown> = Generator<Suspend, T, unknown>;

/** The result type of an awaitable: `AwaitedOf<Task<number>>` is `number`. */
export type AwaitedOf<A> = A extends Awaitable<infer T> ? T : never;

function token(description: string): Suspend {
  return Object.freeze({ description }) as unknown as Suspend;
}

/** Yielded after {@link parkFuture}: "suspend me until the parked future is done". */
export const AWAIT: Suspend = token('await');
/** Yielded to give up the rest of this iteration of the loop (`sleep(0)`). */
export const YIELD: Suspend = token('yield');
/** Yielded after {@link parkFuture} parked a `call()` frame: "run this coroutine as my child". */
export const CALL: Suspend = token('call');
/** Passed to `next()` when the driver resumes a suspended coroutine. */
export const RESUME: unique symbol = Symbol('rx-asyncio.resume');
/** Passed to `next()` by a task's first step (see the module comment). */
export const FIRST: unique symbol = Symbol('rx-asyncio.first');
/** Yielded, with no other effect, by an awaitable resumed with {@link FIRST}. */
export const REUSED: Suspend = token('reused');
/** The shared iterator result that yields {@link REUSED}. */
export const REUSED_RESULT: IteratorYieldResult<Suspend> = Object.freeze({
  done: false,
  value: REUSED,
});

/** Structural view of a future as the driver needs it, to keep this module free of imports. */
export interface Parkable {
  done(): boolean;
}

let parked: Parkable | null = null;

/** Parks `future` for the driver and returns the token to yield. */
export function parkFuture(future: Parkable): Suspend {
  parked = future;
  return AWAIT;
}

/** Parks a `call()` frame for the driver and returns the token to yield. */
export function parkCall(frame: object): Suspend {
  parked = frame as Parkable;
  return CALL;
}

/** Takes the parked future out of the register (driver only). */
export function takeParked(): Parkable | null {
  const f = parked;
  parked = null;
  return f;
}

/** True if `x` can be awaited with `yield*` (it is iterable). */
export function isAwaitable(x: unknown): x is Awaitable<unknown> {
  return (
    x !== null &&
    (typeof x === 'object' || typeof x === 'function') &&
    typeof (x as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function'
  );
}

/**
 * @internal Carried by `Future.prototype` (asyncio's `isfuture()` is duck-typed the same way): a
 * future is its own iterator, so it has next/throw/return, but it is not a coroutine. Without the
 * mark `createTask(fut)` and `run(fut)` took a future for a coroutine and the task waited forever.
 */
export const FUTURE_MARK: unique symbol = Symbol('rx-asyncio.future');

/**
 * @internal Carried by the awaitables that are coroutines in asyncio (`sleep()`, `queue.get()`,
 * `lock.acquire()`, `waitFor()`, `timeout()`...): each `yield*` on one starts its operation
 * afresh, so `createTask` and `run` accept them, as `create_task(asyncio.sleep(1))` is accepted.
 * On the prototype (or the object), never per call: `sleep()` is a hot path.
 */
export const COROUTINE_MARK: unique symbol = Symbol('rx-asyncio.coroutine');

/**
 * @internal An awaitable that calls `start` each time it is awaited and carries
 * {@link COROUTINE_MARK}: the one-off form of an operation that asyncio writes as a coroutine
 * (`timeout(ms, body)`, `wait(fs)`...).
 */
export function coroutineAwaitable<T>(start: () => Iterator<Suspend, T, unknown>): Awaitable<T> {
  return { [COROUTINE_MARK]: true, [Symbol.iterator]: start } as Awaitable<T>;
}

/** True if `x` is a coroutine object (a started-or-not generator): it has next/throw/return. */
export function isCoroutine(x: unknown): x is Coroutine<unknown> {
  return (
    x !== null &&
    typeof x === 'object' &&
    typeof (x as Coroutine).next === 'function' &&
    typeof (x as Coroutine).throw === 'function' &&
    typeof (x as Coroutine).return === 'function' &&
    (x as { [FUTURE_MARK]?: unknown })[FUTURE_MARK] !== true
  );
}

/**
 * @internal True if `x` is an rx-asyncio awaitable that asyncio calls a coroutine (see
 * {@link COROUTINE_MARK}); a Future or Task never is.
 */
export function isCoroutineAwaitable(x: unknown): x is Awaitable<unknown> {
  return (
    isAwaitable(x) &&
    (x as { [COROUTINE_MARK]?: unknown })[COROUTINE_MARK] === true &&
    (x as { [FUTURE_MARK]?: unknown })[FUTURE_MARK] !== true
  );
}

/** True if `x` is a generator function (a "coroutine function" that was not called). */
export function isCoroutineFunction(x: unknown): boolean {
  return (
    typeof x === 'function' &&
    (x.constructor?.name === 'GeneratorFunction' ||
      Object.prototype.toString.call(x) === '[object GeneratorFunction]')
  );
}

/** A short, safe description of any value for error messages (never throws). */
export function describe(x: unknown): string {
  try {
    if (x === null) return 'null';
    if (x === undefined) return 'undefined';
    if (typeof x === 'string') return JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}…` : x);
    if (typeof x === 'function') return `function ${x.name || '(anonymous)'}`;
    if (typeof x !== 'object') return String(x);
    if (isCoroutine(x) && Object.prototype.toString.call(x) === '[object Generator]') {
      return 'a coroutine object';
    }
    const s = String(x);
    return s === '[object Object]' ? `an object {${Object.keys(x).slice(0, 4).join(', ')}}` : s;
  } catch {
    return `a value of type ${typeof x}`;
  }
}
