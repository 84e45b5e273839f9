"""Row 6: bytes per pending task, 100k tasks each in sleep(10) (tracemalloc delta)."""

import asyncio
import gc
import tracemalloc

from bench_common import HEAP_SLEEP_S, N_HEAP, result, run


async def sleeper(d):
    await asyncio.sleep(d)


async def main():
    gc.collect()
    before = tracemalloc.get_traced_memory()[0]
    tasks = [asyncio.create_task(sleeper(HEAP_SLEEP_S)) for _ in range(N_HEAP)]
    # One iteration runs every task's first step (each parks in its timer); then main resumes.
    await asyncio.sleep(0)
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    for t in tasks:
        t.cancel()
    for t in tasks:
        try:
            await t
        except asyncio.CancelledError:
            pass
    return result((after - before) / N_HEAP, N_HEAP, {"deltaBytes": after - before})


tracemalloc.start()
run(main)
