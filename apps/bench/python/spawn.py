"""Row 1: spawn 100k tasks (each awaits sleep(0) once) and wait for all."""

import asyncio
import time

from bench_common import N_SPAWN, result, run


async def sleeper(d):
    await asyncio.sleep(d)


async def main():
    t0 = time.perf_counter()
    tasks = [asyncio.create_task(sleeper(0)) for _ in range(N_SPAWN)]
    for t in tasks:
        await t
    return result((time.perf_counter() - t0) * 1000, N_SPAWN)


run(main)
