"""Row 2: 1M sleep(0) switches in one task."""

import asyncio
import time

from bench_common import N_SLEEP0, result, run


async def main():
    t0 = time.perf_counter()
    for _ in range(N_SLEEP0):
        await asyncio.sleep(0)
    return result((time.perf_counter() - t0) * 1000, N_SLEEP0)


run(main)
