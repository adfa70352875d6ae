/**
 * RxJS operators and offload in generated programs:
 * - `pipeline(policy, n, ms, failAt)`: `n` values of an interval on the loop's scheduler through
 *   `mergeCoroutine` / `concatCoroutine` / `switchCoroutine` / `exhaustCoroutine`, each value
 *   projected by a coroutine that sleeps `ms` and throws at value `failAt`; awaited as an array.
 *   Every projected coroutine that started must run its `finally` exactly once (a switch cancels
 *   it), which the frame counters check.
 * - `offload(ms, fail)`: `toThread` on a scripted `FakeExecutor` (the loop's default executor),
 *   whose job ends after `ms` with a value or an error. After the run, no job may still be
 *   pending (cancelled with its task, or failed by the executor's shutdown).
 */
import fc from 'fast-check';
import { interval, type OperatorFunction, take, toArray } from 'rxjs';
import { FakeExecutor } from '../../../marbles/FakeExecutor.js';
import {
  awaitable,
  type Coroutine,
  concatCoroutine,
  exhaustCoroutine,
  getRunningLoop,
  mergeCoroutine,
  sleep,
  switchCoroutine,
  toThread,
} from '../../../src/index.js';
import type { Extension, ExtensionRuntime, Op, ProgramError, Run, TaskRecord } from './program.js';

const POLICIES = ['merge', 'concat', 'switch', 'exhaust'] as const;

export function interopOps(): fc.Arbitrary<Op>[] {
  const ext = (name: string, args: fc.Arbitrary<number[]>): fc.Arbitrary<Op> =>
    fc.record({ k: fc.constant('ext' as const), name: fc.constant(name), args });
  return [
    ext(
      'pipeline',
      fc.tuple(
        fc.nat(3),
        fc.integer({ min: 0, max: 4 }),
        fc.constantFrom(0, 1, 2, 3),
        fc.integer({ min: -1, max: 3 }),
      ),
    ),
    ext('offload', fc.tuple(fc.constantFrom(0, 1, 2, 5), fc.constantFrom(0, 0, 1))),
  ];
}

/** Runs on the worker side in real use; the fake executor never calls it (scripted outcomes). */
function offloaded(id: number): number {
  return id;
}

interface OffloadState {
  fake: FakeExecutor;
  errors: Map<number, ProgramError>;
  next: number;
}

export function interopRuntime(): ExtensionRuntime & { names: ReadonlySet<string> } {
  const states = new WeakMap<Run, OffloadState>();
  const offloadState = (run: Run): OffloadState => {
    let s = states.get(run);
    if (s === undefined) {
      const errors = new Map<number, ProgramError>();
      const fake = new FakeExecutor((job) => {
        const [id, ms] = job.args as [number, number];
        const error = errors.get(id);
        return error === undefined ? { after: ms, value: id } : { after: ms, error };
      });
      getRunningLoop().setDefaultExecutor(fake);
      s = { fake, errors, next: 0 };
      states.set(run, s);
    }
    return s;
  };
  return {
    names: new Set(['pipeline', 'offload']),
    *run(run, rec, op) {
      if (op.name === 'pipeline') return yield* pipeline(run, rec, op);
      const s = offloadState(run);
      const id = s.next++;
      if (op.args[1] === 1) s.errors.set(id, run.error(`t${rec.id} job ${id}`));
      const v = yield* toThread(
        offloaded as (id: number, ms: number) => number,
        id,
        op.args[0] ?? 0,
      );
      if (v !== id) run.violations.push(`t${rec.id}: job ${id} returned ${v}`);
    },
    finish(run, bad) {
      const s = states.get(run);
      if (s === undefined) return;
      for (const job of s.fake.jobs) {
        if (job.state === 'pending')
          bad(`offload: job ${String(job.args[0])} still pending after run()`);
      }
    },
  };
}

function* pipeline(run: Run, rec: TaskRecord, op: Extension): Coroutine<void> {
  const [policy = 0, n = 0, ms = 0, failAt = -1] = op.args;
  const project = function* (v: number): Coroutine<number> {
    run.frames.entered++;
    try {
      yield* sleep(ms);
      if (v === failAt) throw run.error(`t${rec.id} pipeline value ${v}`);
      return v;
    } finally {
      run.frames.exited++;
    }
  };
  const operator = {
    merge: mergeCoroutine,
    concat: concatCoroutine,
    switch: switchCoroutine,
    exhaust: exhaustCoroutine,
  }[POLICIES[policy] ?? 'merge'] as (p: typeof project) => OperatorFunction<number, number>;
  const source = interval(1, run.loop.scheduler).pipe(take(n), operator(project), toArray());
  const results = yield* awaitable(source);
  run.log(rec, `pipeline ${POLICIES[policy]} gave ${results.length}`);
}
