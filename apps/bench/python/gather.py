"""Row 8: spawn 100k tasks (each awaits sleep(0) once) and await asyncio.gather(*tasks)."""

import asyncio
import time

from bench_common import N_GATHER, result, run


async def sleeper(d):
    await asyncio.sleep(d)


async def main():
    t0 = time.perf_counter()
    tasks = [asyncio.create_task(sleeper(0)) for _ in range(N_GATHER)]
    results = await asyncio.gather(*tasks)
    value = (time.perf_counter() - t0) * 1000
    if len(results) != N_GATHER:
        raise RuntimeError(f"gather gave {len(results)} results")
    return result(value, N_GATHER)


run(main)
