/**
 * Context variables: Python's `contextvars` (`ContextVar`, `Token`, `Context`, `copy_context`).
 *
 * Where the current context lives: one slot in this module (`current`). JavaScript runs one
 * thing at a time, so one slot is Python's per-thread "current context". It is the kernel's
 * concern: a task's step makes the task's own context current, a loop callback runs in the
 * context captured when it was scheduled, and `Context.run` does the same for any function.
 * Top-level code runs in a root context.
 *
 * A step does not put the previous context back when it ends; the next entry the loop runs does
 * (see `_enterTaskContext`). Why: with no variable in use every task holds the same `LAZY`
 * placeholder, so consecutive steps need no write at all; entering and restoring around each
 * step cost 6% of `sleep(0)` throughput (bench/ab.ts w2Yield1, CPU time). What code sees is
 * unchanged: every entry that can run code outside the kernel (a callback, a done-callback queue,
 * `asCompleted`) starts by making the batch's own context current again (`_leaveTaskContext`),
 * and the batch ends with that context current. A sleep's timer entry does not: it only settles
 * its future, which queues the callbacks and wakes the waiters, and reads no context.
 *
 * A `Context` holds an immutable map from variables to values: `ContextVar.set` replaces the map
 * of the current context, never mutates it, so `copy()` is O(1) and a copy never sees later sets
 * of the original (Python uses a HAMT; a small `Map` copied on write does the same for the few
 * variables a program has).
 *
 * Zero cost when unused. A task created while the current context is empty does not get a
 * `Context` object: it gets `LAZY`, a shared placeholder meaning "my own context, still empty".
 * The first `set()` (or `getContext()`) inside such a task makes its own `Context` then. So a
 * program that never sets a variable allocates nothing per task, and a step only swaps one slot.
 *
 * @module
 */
import { LookupError, RuntimeError, ValueError } from '../errors.js';
import { describe } from './Awaitable.js';
import { _getRunningLoopOrNull } from './runningLoop.js';

type Data = ReadonlyMap<ContextVar<unknown>, unknown>;

/** The one empty map: contexts that never held a value share it (and `LAZY` tests for it). */
const EMPTY: Data = new Map();

/**
 * Runs `fn(...args)` inside a host async context captured earlier: what Node's
 * `AsyncLocalStorage.snapshot()` returns. The AsyncLocalStorage bridge stores one with each
 * task's context.
 */
export type HostSnapshot = <A extends unknown[], R>(fn: (...args: A) => R, ...args: A) => R;

/**
 * A snapshot of context variables and their values: Python's `contextvars.Context`. Every task
 * runs all its steps in its own `Context` (copied from the creator's when it was created), so a
 * value a task sets is invisible to its parent and siblings. `run(fn)` runs a function inside
 * this context; `copy()` makes an independent copy. It reads as an immutable map of variables to
 * values (`get`, `has`, `size`, iteration); change it only through `ContextVar.set` inside it.
 *
 * @example
 * ```ts
 * import { Context, ContextVar, copyContext } from 'rx-asyncio';
 * const user = new ContextVar<string>('user', { default: 'anonymous' });
 * const ctx = copyContext();
 * ctx.run(() => user.set('ada'));
 * console.log(ctx.get(user), user.get()); // ada anonymous
 * console.log(new Context().size); // 0
 * ```
 */
export class Context implements Iterable<[ContextVar<unknown>, unknown]> {
  /** @internal See displayName.ts. */
  static readonly _displayName: string = 'Context';
  /** @internal The variables' values; replaced on every set, never mutated (copies share it). */
  _data: Data = EMPTY;
  /** @internal True while `run()` is inside this context. */
  _entered = false;
  /** @internal The host async context (AsyncLocalStorage) captured with this one, if bridged. */
  _outer: HostSnapshot | undefined = undefined;

  /**
   * Runs `fn(...args)` with this context as the current one and returns its result; the previous
   * context is current again afterwards, also when `fn` throws. Values `fn` sets stay in this
   * context.
   *
   * @throws {RuntimeError} when this context is already entered (a `run` inside its own `run`,
   *   or the context of the task that is running now).
   */
  run<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): R {
    if (typeof fn !== 'function') {
      throw new TypeError(`Context.run(fn): expected a function, got ${describe(fn)}`);
    }
    if (this._entered || this === current) {
      throw new RuntimeError(
        `cannot enter context: ${this} is already entered (run it from outside, or run a copy())`,
      );
    }
    const prev = current;
    current = this;
    this._entered = true;
    try {
      return fn(...args);
    } finally {
      this._entered = false;
      current = prev;
    }
  }

  /** A new context with the same values (a shallow copy; O(1)). */
  copy(): Context {
    const c = new Context();
    c._data = this._data;
    c._outer = this._outer;
    return c;
  }

  /** The value of `variable` in this context, or `defaultValue` (undefined) when it has none. */
  get<T>(variable: ContextVar<T>): T | undefined;
  get<T, D>(variable: ContextVar<T>, defaultValue: D): T | D;
  get<T, D>(variable: ContextVar<T>, defaultValue?: D): T | D | undefined {
    const data = this._data as ReadonlyMap<ContextVar<T>, T>;
    return data.has(variable) ? data.get(variable) : defaultValue;
  }

  /** Whether `variable` has a value in this context. */
  has(variable: ContextVar<unknown>): boolean {
    return this._data.has(variable);
  }

  /** How many variables have a value in this context. */
  get size(): number {
    return this._data.size;
  }

  /** The variables that have a value here. */
  keys(): IterableIterator<ContextVar<unknown>> {
    return this._data.keys();
  }

  /** Their values. */
  values(): IterableIterator<unknown> {
    return this._data.values();
  }

  /** `[variable, value]` pairs. */
  entries(): IterableIterator<[ContextVar<unknown>, unknown]> {
    return this._data.entries();
  }

  [Symbol.iterator](): IterableIterator<[ContextVar<unknown>, unknown]> {
    return this._data.entries();
  }

  toString(): string {
    const names = [...this._data.keys()].map((v) => v.name).join(', ');
    return `<Context ${this._data.size === 0 ? 'empty' : `{${names}}`}>`;
  }
}

/** The context of top-level code (Python's per-thread context). */
const ROOT = new Context();
/**
 * The placeholder context of a task created while the current context was empty: "my own
 * context, still empty". It is never written; the first `set()` inside the task gives the task
 * a real context. Shared by all such tasks, so it must never be handed out to users.
 */
const LAZY = new Context();

/** The current context (see the module comment). */
let current: Context = ROOT;

/** The AsyncLocalStorage bridge's capture function, or null (the default: no bridge). */
let hostCapture: (() => HostSnapshot) | null = null;

/**
 * Returns a copy of the current context: Python's `contextvars.copy_context()`. Run a function in
 * it with `ctx.run(fn)`, or give it to `createTask(coro, { context })` or
 * `loop.callSoon(cb, { context })`.
 *
 * @example
 * ```ts
 * import { ContextVar, copyContext } from 'rx-asyncio';
 * const requestId = new ContextVar<number>('requestId');
 * requestId.set(7);
 * const snapshot = copyContext();
 * requestId.set(8);
 * console.log(snapshot.get(requestId), requestId.get()); // 7 8
 * ```
 */
export function copyContext(): Context {
  const c = current === LAZY ? new Context() : current.copy();
  if (hostCapture !== null) c._outer = hostCapture();
  return c;
}

/**
 * A context variable: Python's `contextvars.ContextVar`. Its value depends on the context that is
 * current: every task has its own copy of its creator's context, so a value set inside a task is
 * seen by that task (across all its `yield*`s) and by the tasks it creates afterwards, never by
 * its parent or siblings. Create variables once, at module level.
 *
 * @example
 * ```ts
 * import { ContextVar, createTask, run, sleep } from 'rx-asyncio';
 * const requestId = new ContextVar<string>('requestId', { default: '-' });
 * function* handler(id: string) {
 *   requestId.set(id);
 *   yield* sleep(10);
 *   console.log('handling', requestId.get()); // its own id, after the sleep too
 * }
 * run(function* () {
 *   yield* createTask(handler('a'));
 *   yield* createTask(handler('b'));
 *   console.log(requestId.get()); // '-': the children's sets stay in their own contexts
 * }());
 * ```
 */
export class ContextVar<T> {
  /** @internal See displayName.ts. */
  static readonly _displayName: string = 'ContextVar';
  /** The name given at creation (for messages and dumps). */
  readonly name: string;
  private readonly _hasDefault: boolean;
  private readonly _default: T | undefined;

  /**
   * @param name a name for messages.
   * @param options `default`: the value `get()` returns in a context where the variable was
   *   never set (without it, such a `get()` throws a `LookupError`).
   */
  constructor(name: string, options?: { default?: T }) {
    if (typeof name !== 'string') {
      throw new TypeError(`ContextVar(name): name must be a string, got ${describe(name)}`);
    }
    if (options !== undefined && options !== null && typeof options !== 'object') {
      throw new TypeError(
        `ContextVar(name, options): options must be an object such as { default: value }, got ${describe(options)}`,
      );
    }
    this.name = name;
    this._hasDefault = options !== undefined && options !== null && 'default' in options;
    this._default = this._hasDefault ? options?.default : undefined;
  }

  /**
   * The variable's value in the current context; else `defaultValue` if given; else the
   * variable's default.
   *
   * @throws {LookupError} when it has no value, and no default was given here or at creation.
   */
  get(): T;
  get<D>(defaultValue: D): T | D;
  get<D>(...args: [] | [D]): T | D {
    const data = current._data;
    if (data.has(this)) return data.get(this) as T;
    if (args.length > 0) return args[0] as D;
    if (this._hasDefault) return this._default as T;
    throw new LookupError(
      `${this} has no value in the current context and no default: set() it first, ` +
        `or pass a default (new ContextVar(name, { default }) or get(default))`,
    );
  }

  /**
   * Sets the variable's value in the current context (the running task's own context, inside a
   * task). Returns a {@link Token} that `reset()` uses to restore the previous value.
   */
  set(value: T): Token<T> {
    const ctx = current === LAZY ? materialize() : current;
    const data = ctx._data;
    const old = data.has(this) ? (data.get(this) as T) : Token.MISSING;
    const next = new Map(data);
    next.set(this as ContextVar<unknown>, value);
    ctx._data = next;
    return new Token(ctx, this, old);
  }

  /**
   * Restores the value the variable had before the `set()` that returned `token` (or removes it,
   * if it had none).
   *
   * @throws {RuntimeError} when the token was used already.
   * @throws {ValueError} when the token comes from another variable, or from a `set()` in
   *   another context.
   */
  reset(token: Token<T>): void {
    if (!(token instanceof Token)) {
      throw new TypeError(`${this}.reset(token): expected a Token, got ${describe(token)}`);
    }
    if (token._used) {
      throw new RuntimeError(`${token} has already been used once: set() again for a new one`);
    }
    if (token.var !== this) {
      throw new ValueError(`${token} was created by a different ContextVar than ${this}`);
    }
    if (token._context !== current) {
      throw new ValueError(
        `${token} was created in a different Context: reset() it where set() was called`,
      );
    }
    token._used = true;
    const next = new Map(current._data);
    if (token.oldValue === Token.MISSING) next.delete(this as ContextVar<unknown>);
    else next.set(this as ContextVar<unknown>, token.oldValue);
    current._data = next.size === 0 ? EMPTY : next;
  }

  toString(): string {
    return `<ContextVar name=${JSON.stringify(this.name)}>`;
  }
}

/**
 * What `ContextVar.set()` returns: `var`, the value before the set (`oldValue`, or
 * `Token.MISSING` when there was none), and the key to undo it with `variable.reset(token)`
 * (once, in the same context). Python's `contextvars.Token`.
 *
 * @example
 * ```ts
 * import { ContextVar, Token } from 'rx-asyncio';
 * const level = new ContextVar<number>('level', { default: 0 });
 * const token = level.set(1);
 * console.log(token.oldValue === Token.MISSING); // true
 * level.reset(token);
 * console.log(level.get()); // 0
 * ```
 */
export class Token<T> {
  /** @internal See displayName.ts. */
  static readonly _displayName: string = 'Token';
  /** `oldValue` of a token whose variable had no value before the `set()`. */
  static readonly MISSING: unique symbol = Symbol('Token.MISSING');
  /** The variable that was set. */
  readonly var: ContextVar<T>;
  /** Its value before the set, or `Token.MISSING`. */
  readonly oldValue: T | typeof Token.MISSING;
  /** @internal The context the set happened in. */
  readonly _context: Context;
  /** @internal */ _used = false;

  /** @internal Tokens come from `ContextVar.set`. */
  constructor(context: Context, variable: ContextVar<T>, oldValue: T | typeof Token.MISSING) {
    this._context = context;
    this.var = variable;
    this.oldValue = oldValue;
  }

  toString(): string {
    return `<Token${this._used ? ' used' : ''} var=${this.var}>`;
  }
}

/**
 * Gives the running task its own context when it first sets a variable (see `LAZY`). Only a task
 * step ever makes `LAZY` current, and it is the running loop's current task while it does.
 */
function materialize(): Context {
  const task = _getRunningLoopOrNull()?._currentTask;
  if (task === null || task === undefined || task._context !== LAZY) {
    throw new RuntimeError('rx-asyncio bug: an empty task context is current outside its task');
  }
  const ctx = new Context();
  task._context = ctx;
  current = ctx;
  return ctx;
}

// --- the kernel's side: tasks, loop callbacks and the host bridge use these ---

/**
 * @internal The context a new task runs in: `LAZY` when the current one is empty (and no host
 * bridge wants a snapshot), else a copy.
 */
export function _contextForTask(): Context {
  const c = current;
  if (hostCapture === null) return c._data === EMPTY ? LAZY : c.copy();
  const ctx = c === LAZY ? new Context() : c.copy();
  ctx._outer = hostCapture();
  return ctx;
}

/**
 * @internal A context given to a task or callback (`{ context }`) is used as is; with the host
 * bridge on, one that carries no host context yet takes the one current now.
 */
export function _givenContext(ctx: Context): Context {
  if (hostCapture !== null && ctx._outer === undefined) ctx._outer = hostCapture();
  return ctx;
}

/** The context current when the running batch of the loop began (see `_beginBatch`). */
let base: Context = ROOT;

/**
 * @internal A task step's context switch: makes `ctx` current and leaves it there after the
 * step. Only the loop's entries call it (a step from the ready queue), inside a batch.
 */
export function _enterTaskContext(ctx: Context): void {
  if (current !== ctx) current = ctx;
}

/**
 * @internal Called first by every ready entry that can run code outside the kernel (a callback
 * or timer handle, a done-callback queue, `asCompleted`): the context a previous step left current
 * gives way to the batch's own. A new kind of entry that calls anything but the kernel's own
 * bookkeeping must call it too (see ReadyEntry in Handle.ts).
 */
export function _leaveTaskContext(): void {
  if (current !== base) current = base;
}

/**
 * @internal The loop begins a batch (one scheduler action): the context current now is what
 * non-step entries run in, and what `_endBatch` restores. Returns the enclosing batch's, for
 * `_endBatch` (a loop run from inside another loop's step nests).
 */
export function _beginBatch(): Context {
  const prev = base;
  base = current;
  return prev;
}

/** @internal Ends a batch: its starting context is current again. */
export function _endBatch(prev: Context): void {
  current = base;
  base = prev;
}

/** @internal Makes `ctx` current; returns the previous one, to give back to `_restoreContext`. */
export function _enterContext(ctx: Context): Context {
  const prev = current;
  current = ctx;
  return prev;
}

/** @internal Makes `prev` current again (after `_enterContext`). */
export function _restoreContext(prev: Context): void {
  current = prev;
}

/** @internal Whether `ctx` is the shared placeholder of a task whose context is still empty. */
export function _isLazyContext(ctx: Context): boolean {
  return ctx === LAZY;
}

/**
 * @internal Gives `task` (whose context is `LAZY`) a real context (`getContext()`); if it is the
 * task running now, that context becomes the current one.
 */
export function _materializeFor(task: { _context: Context }): Context {
  const real = new Context();
  if (current === LAZY && _getRunningLoopOrNull()?._currentTask === task) current = real;
  task._context = real;
  return real;
}

/**
 * @internal Installs the host async-context capture (the AsyncLocalStorage bridge), or removes it
 * with null. Returns the previous one.
 */
export function _setHostContextCapture(
  capture: (() => HostSnapshot) | null,
): (() => HostSnapshot) | null {
  const prev = hostCapture;
  hostCapture = capture;
  return prev;
}

/** @internal Whether a host bridge is installed (one check per step when it is not). */
export function _hostBridged(): boolean {
  return hostCapture !== null;
}
