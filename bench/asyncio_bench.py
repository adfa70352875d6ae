"""Python asyncio's side of rx-asyncio's benchmark suite (run by bench/index.ts when python3 exists).

Usage: python3 asyncio_bench.py '{"w1Hoisted": 100000, ...}'
Prints one JSON object: {case: value} in the same units as the TypeScript side (ops/s, µs per
task beyond the longest sleep, bytes per sleeping task). The delays come from the same seeded
generator as bench/harness.ts, so every system sleeps the same schedule.
"""

import asyncio
import gc
import json
import sys
import time
import tracemalloc


def delays(n, top=100, seed=12345):
    out = []
    s = seed
    for _ in range(n):
        s = (s * 1103515245 + 12345) & 0xFFFFFFFF
        out.append((s >> 16) % (top + 1))
    return out


def ops(n, seconds):
    return n / seconds


async def child(i):
    return i


async def w1_hoisted(n):
    t0 = time.perf_counter()
    tasks = [asyncio.create_task(child(i)) for i in range(n)]
    for t in tasks:
        await t
    return ops(n, time.perf_counter() - t0)


async def w1_closure(n):
    t0 = time.perf_counter()
    tasks = []
    for i in range(n):
        async def fresh(i=i):
            return i

        tasks.append(asyncio.create_task(fresh()))
    for t in tasks:
        await t
    return ops(n, time.perf_counter() - t0)


async def spin(k):
    for _ in range(k):
        await asyncio.sleep(0)


async def w2_yield1(n):
    t0 = time.perf_counter()
    await spin(n)
    return ops(n, time.perf_counter() - t0)


async def w2_yield2(n):
    t0 = time.perf_counter()
    a = asyncio.create_task(spin(n // 2))
    b = asyncio.create_task(spin(n - n // 2))
    await a
    await b
    return ops(n, time.perf_counter() - t0)


async def w2_ping_pong(n):
    ping, pong = asyncio.Queue(), asyncio.Queue()

    async def a():
        for i in range(n):
            await ping.put(i)
            await pong.get()

    async def b():
        for _ in range(n):
            await pong.put(await ping.get())

    t0 = time.perf_counter()
    await asyncio.gather(a(), b())
    return ops(n, time.perf_counter() - t0)


async def sleeper(ms):
    await asyncio.sleep(ms / 1000)


async def w3_overhead(n):
    d = delays(n)
    t0 = time.perf_counter()
    tasks = [asyncio.create_task(sleeper(d[i])) for i in range(n)]
    for t in tasks:
        await t
    elapsed_ms = (time.perf_counter() - t0) * 1000
    return max(0.0, elapsed_ms - 100) * 1000 / n


async def w3_heap(n):
    d = delays(n)
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    tasks = [asyncio.create_task(sleeper(d[i])) for i in range(n)]
    await asyncio.sleep(0)
    gc.collect()
    used = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    for t in tasks:
        await t
    return used / n


async def w4_cancel(n):
    done = 0

    async def body():
        nonlocal done
        try:
            await asyncio.sleep(10)
        finally:
            done += 1

    tasks = [asyncio.create_task(body()) for _ in range(n)]
    await asyncio.sleep(0)
    t0 = time.perf_counter()
    for t in tasks:
        t.cancel()
    while done < n:
        await asyncio.sleep(0)
    return ops(n, time.perf_counter() - t0)


CASES = {
    "w1Hoisted": w1_hoisted,
    "w1Closure": w1_closure,
    "w2Yield1": w2_yield1,
    "w2Yield2": w2_yield2,
    "w2PingPong": w2_ping_pong,
    "w3Overhead": w3_overhead,
    "w3Heap": w3_heap,
    "w4Cancel": w4_cancel,
}


def main():
    wanted = json.loads(sys.argv[1])
    out = {}
    for key, n in wanted.items():
        fn = CASES[key.split("@")[0]]
        gc.collect()
        out[key] = asyncio.run(fn(n))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
