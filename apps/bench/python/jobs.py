"""Row 11: 20k asyncio.to_thread(add, i, 1) jobs through RT_IN_FLIGHT lanes (tasks), each lane one
job at a time, on a default executor of RT_WORKERS threads; total milliseconds."""

import asyncio
import concurrent.futures
import time

from bench_common import N_RT_JOBS, RT_IN_FLIGHT, RT_WORKERS, result, run


def add(a, b):
    return a + b


async def lane(j, each):
    total = 0
    for k in range(each):
        total += await asyncio.to_thread(add, j * each + k, 1)
    return total


async def main():
    loop = asyncio.get_running_loop()
    loop.set_default_executor(concurrent.futures.ThreadPoolExecutor(max_workers=RT_WORKERS))
    # Start the pool's threads before any clock starts, as the Node contenders do.
    await asyncio.gather(*(asyncio.to_thread(add, 0, 0) for _ in range(RT_IN_FLIGHT)))
    each = N_RT_JOBS // RT_IN_FLIGHT
    t0 = time.perf_counter()
    lanes = [asyncio.create_task(lane(j, each)) for j in range(RT_IN_FLIGHT)]
    checksum = 0
    for t in lanes:
        checksum += await t
    value = (time.perf_counter() - t0) * 1000
    return result(
        value, N_RT_JOBS, {"checksum": checksum, "workers": RT_WORKERS, "inFlight": RT_IN_FLIGHT}
    )


run(main)
