import { runVirtual } from '../../../marbles/runVirtual.js';
import { type Coroutine, createTask, sleep } from '../../../src/index.js';

/** A chain of `depth` tasks each awaiting the next, cancelled from the top. */
export function cancelTaskChain(depth: number): { ok: boolean; detail: string } {
  let finallies = 0;
  function* link(n: number): Coroutine<number> {
    try {
      if (n === 0) {
        yield* sleep(100);
        return 0;
      }
      return 1 + (yield* createTask(link(n - 1)));
    } finally {
      finallies++;
    }
  }
  const t0 = performance.now();
  const r = runVirtual(
    (function* () {
      const top = createTask(link(depth));
      yield* sleep(10);
      top.cancel();
      try {
        yield* top;
      } catch {
        return top.cancelled();
      }
      return false;
    })(),
  );
  const ok =
    r.outcome?.ok === true &&
    r.outcome.value === true &&
    finallies === depth + 1 &&
    r.reports.length === 0;
  return {
    ok,
    detail: `${(performance.now() - t0).toFixed(0)} ms, ${finallies} finally blocks, ${r.reports.length} reports`,
  };
}
