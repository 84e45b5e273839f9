"""Row 5: 100k tasks each sleeping a seeded random 0-50 ms; wait for all."""

import asyncio
import time

from bench_common import N_TIMERS, result, run, timer_delays_ms


async def sleeper(d):
    await asyncio.sleep(d)


async def main():
    delays = timer_delays_ms()
    t0 = time.perf_counter()
    tasks = [asyncio.create_task(sleeper(d / 1000)) for d in delays]
    for t in tasks:
        await t
    wall = (time.perf_counter() - t0) * 1000
    return result(wall, N_TIMERS, {"delaySumMs": sum(delays), "maxDelayMs": max(delays)})


run(main)
