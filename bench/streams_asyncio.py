"""asyncio's side of bench/streams.ts: the same three workloads, printed as JSON.

Usage: python3 bench/streams_asyncio.py MESSAGES CONNECTIONS COMMUNICATE_MIB
"""
import asyncio
import gc
import json
import sys
import time
import tracemalloc

MSG = 64 * 1024


async def echo_throughput(messages):
    async def handle(reader, writer):
        while True:
            data = await reader.read(MSG)
            if not data:
                break
            writer.write(data)
            await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    payload = b'x' * MSG
    t0 = time.perf_counter()
    for _ in range(messages):
        writer.write(payload)
        await writer.drain()
        await reader.readexactly(MSG)
    dt = time.perf_counter() - t0
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()
    return messages * MSG / dt / 2**20


async def idle_connections(n):
    held = []

    async def handle(reader, writer):
        held.append(writer)
        await reader.read()  # until the client closes

    server = await asyncio.start_server(handle, '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    clients = []
    for _ in range(n):
        clients.append(await asyncio.open_connection('127.0.0.1', port))
    while len(held) < n:
        await asyncio.sleep(0.01)
    gc.collect()
    used = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    for _, w in clients:
        w.close()
    server.close()
    await server.wait_closed()
    return used / n


async def communicate(mib):
    data = b'y' * (mib * 2**20)
    t0 = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(
        'cat', stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
    out, _ = await proc.communicate(data)
    dt = time.perf_counter() - t0
    assert len(out) == len(data)
    return mib / dt


async def main():
    messages, conns, mib = (int(a) for a in sys.argv[1:4])
    result = {
        'echo': await echo_throughput(messages),
        'idle': await idle_connections(conns),
        'communicate': await communicate(mib),
    }
    print(json.dumps(result))


asyncio.run(main())
