/**
 * RxJS alone: the closest thing to each workload with plain observables and schedulers (no
 * coroutines). Rows where RxJS has no natural counterpart are skipped with a note.
 */
import { asapScheduler, count, lastValueFrom, mergeMap, of, range, timer } from 'rxjs';
import { delays, type Measure, now, opsPerSec, usPerTaskBeyond } from '../harness.js';

/** W1: n inner observables merged and counted (an observable per "task"). */
export const w1Hoisted: Measure = async (n) => {
  const t0 = now();
  const c = await lastValueFrom(
    range(0, n).pipe(
      mergeMap((i) => of(i)),
      count(),
    ),
  );
  if (c !== n) throw new Error('rxjs W1: bad count');
  return opsPerSec(n, now() - t0);
};

/** W2: RxJS's cheapest yield: an `asapScheduler` action that re-schedules itself. */
export const w2Yield1: Measure = (n) =>
  new Promise((resolve) => {
    let k = n;
    const t0 = now();
    asapScheduler.schedule(function (this: { schedule(): void }) {
      if (--k > 0) this.schedule();
      else resolve(opsPerSec(n, now() - t0));
    });
  });

/** W3: n `timer`s merged; µs per timer beyond the longest. */
export const w3Overhead: Measure = async (n) => {
  const d = delays(n);
  const t0 = now();
  await lastValueFrom(
    range(0, n).pipe(
      mergeMap((i) => timer(d[i] as number)),
      count(),
    ),
  );
  return usPerTaskBeyond(n, now() - t0, 100);
};
