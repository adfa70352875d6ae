/** The jobs of bench/fleet.ts, run by both the rx-asyncio workers and the bare BullMQ workers. */

/** A small job: the floor of a job's cost is the queue's own. */
export function tiny(n: number): number {
  return n + 1;
}

/**
 * A CPU-heavy job: `ms` milliseconds of this process's CPU time (not wall time: on a busy machine
 * a wall-clock loop would do less work whenever the process waits for a core).
 */
export function burn(ms: number): number {
  const start = process.cpuUsage();
  let x = 0;
  for (;;) {
    for (let i = 0; i < 20_000; i++) x = (x * 31 + 7) % 1_000_003;
    const used = process.cpuUsage(start);
    if ((used.user + used.system) / 1000 >= ms) return x;
  }
}
