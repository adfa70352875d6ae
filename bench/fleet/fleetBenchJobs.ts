/** The jobs of bench/fleet.ts, run by both the rx-asyncio workers and the bare BullMQ workers. */

/** A small job: the floor of a job's cost is the queue's own. */
export function tiny(n: number): number {
  return n + 1;
}

/** A CPU-heavy job: busy for `ms` milliseconds of this process's thread. */
export function burn(ms: number): number {
  const end = performance.now() + ms;
  let x = 0;
  while (performance.now() < end) x = (x * 31 + 7) % 1_000_003;
  return x;
}
