"""Row 3: 10k tasks x 100 sleep(0) switches each."""

import asyncio
import time

from bench_common import SWITCH_EACH, SWITCH_TASKS, result, run


async def switcher(k):
    for _ in range(k):
        await asyncio.sleep(0)


async def main():
    t0 = time.perf_counter()
    tasks = [asyncio.create_task(switcher(SWITCH_EACH)) for _ in range(SWITCH_TASKS)]
    for t in tasks:
        await t
    return result((time.perf_counter() - t0) * 1000, SWITCH_TASKS * SWITCH_EACH)


run(main)
