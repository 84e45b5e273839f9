"""Row 9: one producer task puts 1M items into an asyncio.Queue(100); one consumer gets them.

Not queue.py: that name would shadow the stdlib `queue` (which concurrent.futures.thread
imports) for every script in this directory, since a script's directory comes first on sys.path.
"""

import asyncio
import time

from bench_common import N_QUEUE, QUEUE_MAXSIZE, result, run


async def producer(q, n):
    for i in range(n):
        await q.put(i)


async def consumer(q, n):
    total = 0
    for _ in range(n):
        total += await q.get()
    return total


async def main():
    t0 = time.perf_counter()
    q = asyncio.Queue(QUEUE_MAXSIZE)
    prod = asyncio.create_task(producer(q, N_QUEUE))
    cons = asyncio.create_task(consumer(q, N_QUEUE))
    await prod
    total = await cons
    value = (time.perf_counter() - t0) * 1000
    if total != N_QUEUE * (N_QUEUE - 1) // 2:
        raise RuntimeError(f"consumer summed {total}")
    return result(value, N_QUEUE, {"checksum": total})


run(main)
