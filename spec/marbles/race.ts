import type { Timeline } from '../../marbles/index.js';
import { type Coroutine, createTask, sleep } from '../../src/index.js';

/**
 * The check-then-act race: A reads the counter at 0 ms, sleeps 15 ms and writes back what
 * it read plus one; B sleeps 5 ms then 10 ms, then reads and writes without suspending. Both wake
 * at 15 ms: FIFO runs A's earlier-scheduled timer first (result 2); the other order loses an
 * update (result 1).
 */
export function* counterRace(tl: Timeline): Coroutine<number> {
  let counter = 0;
  const a = createTask(
    (function* () {
      const seen = counter;
      tl.print(`A read ${seen}`);
      yield* sleep(15);
      counter = seen + 1;
      tl.print(`A wrote ${counter}`);
    })(),
    { name: 'A' },
  );
  const b = createTask(
    (function* () {
      yield* sleep(5);
      yield* sleep(10);
      counter = counter + 1;
      tl.print(`B wrote ${counter}`);
    })(),
    { name: 'B' },
  );
  yield* a;
  yield* b;
  return counter;
}

/** Both increments landed. */
export const bothIncrements = (o: { ok: boolean; value?: unknown } | undefined): boolean =>
  o?.ok === true && o.value === 2;
