// A task spinning on sleep(0) while main awaits a Promise that only a host timer settles: the
// shape of the asap/queue scheduler regressions. Bounded by outcome: the spinner stops on its own
// after SPIN_LIMIT iterations if the host never gets its turn.
import { type Coroutine, createTask, ensureFuture, sleep } from '../../../src/index.js';

const SPIN_LIMIT = 20_000_000;

/** Returns whether the host's timer ran while the spinner spun, and what the Promise gave. */
export function* spinUntilHostTimer(): Coroutine<{ hostRan: boolean; resumed: string }> {
  let hostRan = false;
  const spinner = createTask(
    (function* () {
      for (let n = 0; !hostRan && n < SPIN_LIMIT; n++) yield* sleep(0);
      return hostRan;
    })(),
  );
  const resumed = yield* ensureFuture(
    new Promise<string>((resolve) =>
      setTimeout(() => {
        hostRan = true;
        resolve('resumed');
      }, 0),
    ),
  );
  return { hostRan: yield* spinner, resumed };
}
