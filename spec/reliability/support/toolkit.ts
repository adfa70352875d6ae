/**
 * The toolkit's ops for generated programs: gather, waitFor, timeout, TaskGroup (and, when their
 * modules are in, locks, semaphores, events and queues). Each op works on the task's spawned
 * children or on generated sub-programs, so every task it starts is tracked like any other.
 */
import fc from 'fast-check';
import {
  CancelledError,
  type Coroutine,
  currentTask,
  gather,
  type Task,
  TimeoutError,
  taskGroup,
  timeout,
  waitFor,
} from '../../../src/index.js';
import type { Extension, ExtensionRuntime, Op, Prog, Run, TaskRecord } from './program.js';
import { runOps } from './program.js';

const ms = fc.constantFrom(0, 1, 2, 3, 5, 10);

export function taskToolkitOps(op: fc.Arbitrary<Op>, prog: fc.Arbitrary<Prog>): fc.Arbitrary<Op>[] {
  const ext = (
    name: string,
    args: fc.Arbitrary<number[]>,
    more: Partial<Record<'ops' | 'progs', fc.Arbitrary<unknown>>> = {},
  ) =>
    fc.record({
      k: fc.constant('ext' as const),
      name: fc.constant(name),
      args,
      ...more,
    }) as fc.Arbitrary<Op>;
  return [
    ext('gather', fc.tuple(fc.nat(1))),
    ext('waitFor', fc.tuple(fc.nat(3), ms)),
    ext('timeout', fc.tuple(ms, fc.nat(1)), { ops: fc.array(op, { maxLength: 4 }) }),
    ext('taskGroup', fc.tuple(fc.nat(1)), { progs: fc.array(prog, { maxLength: 3 }) }),
  ];
}

/** Runs the toolkit ops. */
export const toolkitRuntime: ExtensionRuntime & { names: ReadonlySet<string> } = {
  names: new Set(['gather', 'waitFor', 'timeout', 'taskGroup']),
  *run(run, rec, op, children) {
    switch (op.name) {
      case 'gather':
        return yield* gatherOp(run, rec, op, children);
      case 'waitFor':
        return yield* waitForOp(run, rec, op, children);
      case 'timeout':
        return yield* timeoutOp(run, rec, op, children);
      case 'taskGroup':
        return yield* taskGroupOp(run, rec, op);
      default:
        throw new Error(`unknown toolkit op ${op.name}`);
    }
  },
};

function* gatherOp(
  run: Run,
  rec: TaskRecord,
  op: Extension,
  children: Task<unknown>[],
): Coroutine<void> {
  for (const c of children) run.awaited.add(c);
  const returnExceptions = op.args[0] === 1;
  const results = yield* gather(...children, { returnExceptions });
  if (results.length !== children.length) {
    run.violations.push(`t${rec.id}: gather of ${children.length} gave ${results.length} results`);
  }
  run.log(rec, `gathered ${results.length}`);
}

function* waitForOp(
  run: Run,
  rec: TaskRecord,
  op: Extension,
  children: Task<unknown>[],
): Coroutine<void> {
  const child = children[(op.args[0] ?? 0) % Math.max(1, children.length)];
  if (child === undefined) return;
  run.awaited.add(child);
  try {
    yield* waitFor(child, op.args[1] ?? 0);
    run.log(rec, `waited for ${child.getName()}`);
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    if (!child.done())
      run.violations.push(`t${rec.id}: waitFor timed out before ${child.getName()} was done`);
    run.log(rec, `timed out on ${child.getName()}`);
  }
}

function* timeoutOp(
  run: Run,
  rec: TaskRecord,
  op: Extension,
  children: Task<unknown>[],
): Coroutine<void> {
  const self = currentTask() as Task<unknown>;
  const before = self.cancelling();
  const swallow = op.args[1] === 1;
  try {
    yield* timeout(op.args[0] ?? 0, function* () {
      yield* runOps(run, rec, op.ops ?? [], swallow, children);
    });
    run.log(rec, 'timeout block done');
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    if (!(e.cause instanceof CancelledError))
      run.violations.push(`t${rec.id}: TimeoutError without a CancelledError cause`);
    if (self.cancelling() !== before && !touchesCounter(op.ops ?? [])) {
      run.violations.push(
        `t${rec.id}: cancelling() was ${before} before the timeout, ${self.cancelling()} after`,
      );
    }
    run.log(rec, 'timed out');
  }
}

function* taskGroupOp(run: Run, rec: TaskRecord, op: Extension): Coroutine<void> {
  const made: Task<unknown>[] = [];
  try {
    yield* taskGroup(function* (tg) {
      for (const p of op.progs ?? []) {
        const child = run.spawn(p, 'member', (coro, options) => tg.createTask(coro, options)).task;
        run.awaited.add(child);
        made.push(child);
      }
    });
  } finally {
    const pending = made.filter((t) => !t.done());
    if (pending.length > 0)
      run.violations.push(`t${rec.id}: TaskGroup exited with ${pending.length} member(s) pending`);
  }
  run.log(rec, `group of ${made.length} done`);
}

/** True if the block itself changes its task's cancel count (then `cancelling()` may differ). */
function touchesCounter(ops: readonly Op[]): boolean {
  return ops.some(
    (o) =>
      o.k === 'uncancel' ||
      o.k === 'cancelSelf' ||
      (o.k === 'nest' && touchesCounter(o.ops)) ||
      (o.k === 'ext' && touchesCounter(o.ops ?? [])),
  );
}
