import { type Awaitable, COROUTINE_MARK, type Suspend } from '../kernel/Awaitable.js';

/**
 * @internal An awaitable that is already finished with `value`: `yield*` gets `value` without
 * suspending (asyncio: awaiting something already available does not yield). The object is its
 * own iterator and its own iterator result, so a ready operation allocates one object at most.
 */
export class Ready<T> implements Awaitable<T>, Iterator<Suspend, T, unknown> {
  readonly done = true;
  constructor(readonly value: T) {}

  /** @internal A coroutine in asyncio's terms: `createTask` accepts it (see COROUTINE_MARK). */
  get [COROUTINE_MARK](): true {
    return true;
  }

  [Symbol.iterator](): this {
    return this;
  }

  next(): IteratorReturnResult<T> {
    return this as IteratorReturnResult<T>;
  }

  throw(e: unknown): never {
    throw e;
  }

  return(value?: unknown): IteratorResult<Suspend, T> {
    return { done: true, value: value as T };
  }
}

/** @internal Shared, stateless: a ready `true`. */
export const READY_TRUE: Ready<true> = Object.freeze(new Ready<true>(true)) as Ready<true>;
/** @internal Shared, stateless: a ready `undefined`. */
export const READY_VOID: Ready<void> = Object.freeze(new Ready<void>(undefined)) as Ready<void>;

/**
 * @internal An awaitable that calls `start` each time it is awaited, as a Python coroutine runs
 * when awaited, not when created. A primitive makes one per operation kind at construction, so
 * `lock.acquire()` allocates nothing per call; `start` takes the fast path (a {@link Ready}) or
 * returns the generator that waits.
 */
export class Deferred<T> implements Awaitable<T> {
  constructor(
    private readonly start: () => Iterator<Suspend, T, unknown>,
    private readonly label: string,
  ) {}

  /** @internal A coroutine in asyncio's terms: `createTask` accepts it (see COROUTINE_MARK). */
  get [COROUTINE_MARK](): true {
    return true;
  }

  [Symbol.iterator](): Iterator<Suspend, T, unknown> {
    return this.start();
  }

  toString(): string {
    return this.label;
  }
}
