/**
 * The task tree: who awaits whom, as Python 3.14's `asyncio.capture_call_graph` /
 * `print_call_graph` show it, but for every task of a loop at once (or one task).
 *
 * Edges come from what the kernel already knows, at no cost to programs that never ask:
 * - a task waits on one future at a time (`task._futWaiter`, the Task invariant);
 * - a future that combines others lists them in `_children` (`gather` does);
 * - library code can declare more with {@link _linkAwaited} (a `TaskGroup`'s children are awaited
 *   by the task that owns the group, even while its body still runs).
 *
 * @module
 */

import { displayName } from '../internal/displayName.js';
import { creationSite } from '../kernel/creationSite.js';
import type { EventLoop } from '../kernel/EventLoop.js';
import { Future } from '../kernel/Future.js';
import { _getRunningLoopOrNull, getRunningLoop } from '../kernel/runningLoop.js';
import { Task } from '../kernel/Task.js';

/** One node of the task tree: a task, or a future a task waits on. */
export interface TaskTreeNode {
  /** The task or future. */
  readonly future: Future<unknown>;
  /** `Task "name"` for a task, else the future's description (`sleep(100)`, `gather(3)`...). */
  readonly label: string;
  /** `running` (the current task), `pending`, `cancelling`, or the done state. */
  readonly state: string;
  /** Debug mode: where the task was created (`file:line:col`). */
  readonly createdAt: string | undefined;
  /** What this node awaits: a task's awaited future, a combinator's children. */
  readonly children: readonly TaskTreeNode[];
}

const linked = new WeakMap<Future<unknown>, Set<Future<unknown>>>();

/**
 * @internal Declares that `outer` awaits `inner` (e.g. a TaskGroup's owner task awaits each
 * child task), so the task tree shows `inner` under `outer`. Library code only.
 */
export function _linkAwaited(inner: Future<unknown>, outer: Future<unknown>): void {
  let set = linked.get(outer);
  if (set === undefined) {
    set = new Set();
    linked.set(outer, set);
  }
  set.add(inner);
}

/** @internal Undoes {@link _linkAwaited}. */
export function _unlinkAwaited(inner: Future<unknown>, outer: Future<unknown>): void {
  linked.get(outer)?.delete(inner);
}

const linkedSets = new WeakMap<Future<unknown>, Iterable<Future<unknown>>[]>();

/**
 * @internal Declares that `outer` awaits every member of `members`, now and as it changes (a
 * TaskGroup's owner task and the group's set of children): one registration per group, not one
 * per child. Library code only.
 */
export function _linkAwaitedAll(members: Iterable<Future<unknown>>, outer: Future<unknown>): void {
  const sets = linkedSets.get(outer);
  if (sets === undefined) linkedSets.set(outer, [members]);
  else sets.push(members);
}

/** @internal Undoes {@link _linkAwaitedAll}. */
export function _unlinkAwaitedAll(
  members: Iterable<Future<unknown>>,
  outer: Future<unknown>,
): void {
  const sets = linkedSets.get(outer);
  const i = sets?.indexOf(members) ?? -1;
  if (i >= 0) sets?.splice(i, 1);
}

/** What `f` awaits right now (pending only, in a stable order). */
function awaitsOf(f: Future<unknown>): Future<unknown>[] {
  const out: Future<unknown>[] = [];
  const add = (x: unknown): void => {
    if (x instanceof Future && !x.done() && !out.includes(x)) out.push(x);
  };
  if (f instanceof Task) add(f._futWaiter);
  const combined = (f as { _children?: unknown })._children;
  if (Array.isArray(combined)) for (const c of combined) add(c);
  for (const c of linked.get(f) ?? []) add(c);
  for (const set of linkedSets.get(f) ?? []) for (const c of set) add(c);
  return out;
}

function stateOf(f: Future<unknown>): string {
  if (f instanceof Task) {
    if (f._loop._currentTask === f) return 'running';
    if (!f.done() && f.cancelling() > 0) return 'cancelling';
  }
  return f._stateText();
}

function labelOf(f: Future<unknown>): string {
  if (f instanceof Task) return `Task ${JSON.stringify(f.getName())}`;
  return f._description ?? displayName(f);
}

function build(
  f: Future<unknown>,
  path: Set<Future<unknown>>,
  shown?: Set<Future<unknown>>,
): TaskTreeNode {
  path.add(f);
  shown?.add(f);
  const children = awaitsOf(f)
    .filter((c) => !path.has(c)) // a cycle (a bug elsewhere) must not hang the dump
    .map((c) => build(c, path, shown));
  path.delete(f);
  const created = f instanceof Task ? f._createdAt : undefined;
  return {
    future: f,
    label: labelOf(f),
    state: stateOf(f),
    createdAt: created === undefined ? undefined : creationSite(created),
    children,
  };
}

/**
 * Captures the task tree. With a task or future: the tree under it (what it awaits, down to the
 * leaves). Without: one tree per pending task of the loop that no other task awaits, so every
 * pending task appears once, under whoever awaits it.
 *
 * @throws {RuntimeError} without arguments outside a running loop (pass `{ loop }`).
 * @see {@link formatTaskTree}, {@link printTaskTree}
 * @example
 * ```ts
 * import { captureTaskTree, createTask, run, sleep } from 'rx-asyncio';
 * function* nap() {
 *   yield* sleep(100);
 * }
 * run(function* main() {
 *   createTask(nap(), { name: 'sleeper' });
 *   yield* sleep(0);
 *   const roots = captureTaskTree();
 *   console.log(roots.map((n) => n.label)); // [ 'Task "main"', 'Task "sleeper"' ]
 * }());
 * ```
 */
export function captureTaskTree(of?: Future<unknown> | { loop?: EventLoop }): TaskTreeNode[] {
  if (of instanceof Future) return [build(of, new Set())];
  const loop = of?.loop ?? _getRunningLoopOrNull() ?? getRunningLoop();
  const tasks = [...loop._pendingTasks];
  const awaited = new Set<Future<unknown>>();
  const mark = (f: Future<unknown>, seen: Set<Future<unknown>>): void => {
    for (const c of awaitsOf(f)) {
      if (seen.has(c)) continue;
      seen.add(c);
      awaited.add(c);
      mark(c, seen);
    }
  };
  for (const t of tasks) mark(t, new Set([t]));
  const shown = new Set<Future<unknown>>();
  const roots = tasks.filter((t) => !awaited.has(t)).map((t) => build(t, new Set(), shown));
  // Tasks that await each other in a cycle (a deadlock) have no root: show them from the first.
  for (const t of tasks) if (!shown.has(t)) roots.push(build(t, new Set(), shown));
  return roots;
}

/**
 * The task tree as text, one line per node, children indented under what awaits them:
 * ```text
 * └── Task "main" pending (created at app.ts:12:3)
 *     └── gather(2) pending
 *         ├── Task "a" pending
 *         │   └── sleep(100) pending
 *         └── Task "b" running
 * ```
 * Arguments as {@link captureTaskTree}.
 *
 * @example
 * ```ts
 * import { formatTaskTree, run, sleep } from 'rx-asyncio';
 * run(function* main() {
 *   yield* sleep(0);
 *   console.log(formatTaskTree()); // └── Task "main" running
 * }());
 * ```
 */
export function formatTaskTree(of?: Future<unknown> | { loop?: EventLoop }): string {
  const roots = captureTaskTree(of);
  if (roots.length === 0) return '(no pending tasks)';
  const lines: string[] = [];
  const walk = (n: TaskTreeNode, prefix: string, last: boolean): void => {
    const site = n.createdAt === undefined ? '' : ` (created at ${n.createdAt})`;
    lines.push(`${prefix}${last ? '└── ' : '├── '}${n.label} ${n.state}${site}`);
    const inner = prefix + (last ? '    ' : '│   ');
    n.children.forEach((c, i) => {
      walk(c, inner, i === n.children.length - 1);
    });
  };
  roots.forEach((r, i) => {
    walk(r, '', i === roots.length - 1);
  });
  return lines.join('\n');
}

/**
 * Prints {@link formatTaskTree} to the console (Python's `asyncio.print_call_graph`, for all
 * tasks when called without arguments).
 *
 * @example
 * ```ts
 * import { printTaskTree, run, sleep } from 'rx-asyncio';
 * run(function* main() {
 *   yield* sleep(0);
 *   printTaskTree();
 * }());
 * ```
 */
export function printTaskTree(of?: Future<unknown> | { loop?: EventLoop }): void {
  console.log(formatTaskTree(of));
}
