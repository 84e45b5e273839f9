"""Row 4: schedule 1M loop.call_soon callbacks from a task and wait until all ran."""

import asyncio
import time

from bench_common import N_CALLSOON, result, run


async def main():
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    count = 0

    def cb():
        nonlocal count
        count += 1
        if count == N_CALLSOON:
            done.set_result(None)

    t0 = time.perf_counter()
    for _ in range(N_CALLSOON):
        loop.call_soon(cb)
    await done
    return result((time.perf_counter() - t0) * 1000, N_CALLSOON)


run(main)
