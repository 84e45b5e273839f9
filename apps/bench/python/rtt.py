"""Row 10: 2000 sequential asyncio.to_thread(add, i, 1) round trips; median microseconds each.

The default executor is a ThreadPoolExecutor of RT_WORKERS threads, as every contender's pool.
"""

import asyncio
import concurrent.futures
import statistics
import time

from bench_common import N_RT_LATENCY, N_RT_WARM, RT_IN_FLIGHT, RT_WORKERS, result, run


def add(a, b):
    return a + b


async def main():
    loop = asyncio.get_running_loop()
    loop.set_default_executor(concurrent.futures.ThreadPoolExecutor(max_workers=RT_WORKERS))
    # Start the pool's threads before any clock starts, as the Node contenders do.
    await asyncio.gather(*(asyncio.to_thread(add, 0, 0) for _ in range(RT_IN_FLIGHT)))
    for i in range(N_RT_WARM):
        await asyncio.to_thread(add, i, 1)
    times = []
    checksum = 0
    for i in range(N_RT_LATENCY):
        t0 = time.perf_counter()
        checksum += await asyncio.to_thread(add, i, 1)
        times.append(time.perf_counter() - t0)
    return result(
        statistics.median(times) * 1e6,
        N_RT_LATENCY,
        {"checksum": checksum, "workers": RT_WORKERS, "meanUs": statistics.fmean(times) * 1e6},
    )


run(main)
