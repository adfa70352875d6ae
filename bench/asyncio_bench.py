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


async def spawn_all(n):
    return [asyncio.create_task(child(i)) for i in range(n)]


async def w9_gather(n):
    t0 = time.perf_counter()
    tasks = await spawn_all(n)
    await asyncio.gather(*tasks)
    return ops(n, time.perf_counter() - t0)


async def w9_task_group(n):
    t0 = time.perf_counter()
    async with asyncio.TaskGroup() as tg:
        for i in range(n):
            tg.create_task(child(i))
    return ops(n, time.perf_counter() - t0)


async def w9_wait(n):
    t0 = time.perf_counter()
    tasks = await spawn_all(n)
    await asyncio.wait(tasks)
    return ops(n, time.perf_counter() - t0)


async def w9_as_completed(n):
    t0 = time.perf_counter()
    tasks = await spawn_all(n)
    for f in asyncio.as_completed(tasks):
        await f
    return ops(n, time.perf_counter() - t0)


def counted_sleepers():
    """A sleeper with a `finally` that counts, and the count."""
    done = [0]

    async def body():
        try:
            await asyncio.sleep(10)
        finally:
            done[0] += 1

    return body, done


async def w10_cancel_gather(n):
    body, done = counted_sleepers()

    tasks = [asyncio.create_task(body()) for _ in range(n)]
    await asyncio.sleep(0)
    t0 = time.perf_counter()
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    elapsed = time.perf_counter() - t0
    assert done[0] == n
    return ops(n, elapsed)


async def w10_cancel_group(n):
    body, done = counted_sleepers()

    async def group():
        async with asyncio.TaskGroup() as tg:
            for _ in range(n):
                tg.create_task(body())

    parent = asyncio.create_task(group())
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    t0 = time.perf_counter()
    parent.cancel()
    try:
        await parent
    except asyncio.CancelledError:
        pass
    elapsed = time.perf_counter() - t0
    assert done[0] == n
    return ops(n, elapsed)


CASES = {
    "w1Hoisted": w1_hoisted,
    "w1Closure": w1_closure,
    "w2Yield1": w2_yield1,
    "w2Yield2": w2_yield2,
    "w2PingPong": w2_ping_pong,
    "w3Overhead": w3_overhead,
    "w3Heap": w3_heap,
    "w4Cancel": w4_cancel,
    "w9Gather": w9_gather,
    "w9TaskGroup": w9_task_group,
    "w9Wait": w9_wait,
    "w9AsCompleted": w9_as_completed,
    "w10CancelGather": w10_cancel_gather,
    "w10CancelGroup": w10_cancel_group,
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
