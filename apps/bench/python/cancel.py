"""Row 7: 100k tasks sleeping 10 s; time from the first cancel() until every task is done."""

import asyncio
import time

from bench_common import CANCEL_SLEEP_S, N_CANCEL, result, run


async def sleeper(d):
    await asyncio.sleep(d)


async def main():
    tasks = [asyncio.create_task(sleeper(CANCEL_SLEEP_S)) for _ in range(N_CANCEL)]
    await asyncio.sleep(0)
    t0 = time.perf_counter()
    for t in tasks:
        t.cancel()
    cancelled = 0
    for t in tasks:
        try:
            await t
        except asyncio.CancelledError:
            cancelled += 1
    value = (time.perf_counter() - t0) * 1000
    if cancelled != N_CANCEL:
        raise RuntimeError(f"only {cancelled} tasks were cancelled")
    return result(value, N_CANCEL)


run(main)
