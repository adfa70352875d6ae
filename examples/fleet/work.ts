/**
 * The job module of `npm start -- fleet`: the fleet workers' allowlist names it `work`. It
 * imports nothing from rx-asyncio: a worker loads only what its jobs need.
 */

/**
 * Counts the primes below `n` (CPU work), and says which process did it. A fleet worker calls a
 * job with its arguments and then a context `{ signal, jobId, attempt }`; `mapToThread` passes
 * `(value, index)`, so the context comes third.
 */
export function countPrimes(
  n: number,
  _index: number,
  ctx: { signal: AbortSignal },
): { n: number; primes: number; pid: number } {
  let primes = 0;
  for (let k = 2; k < n; k++) {
    // A long job checks its signal now and then, so cancelling it stops it.
    if ((k & 0xffff) === 0 && ctx.signal.aborted) throw new Error(`stopped: ${ctx.signal.reason}`);
    let prime = true;
    for (let d = 2; d * d <= k; d++) {
      if (k % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) primes++;
  }
  return { n, primes, pid: process.pid };
}
