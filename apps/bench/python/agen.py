"""Row 12: consume 1M items from an async generator with `async for`."""

import time

from bench_common import N_AGEN, result, run


async def numbers(n):
    for i in range(n):
        yield i


async def main():
    t0 = time.perf_counter()
    total = 0
    async for i in numbers(N_AGEN):
        total += i
    value = (time.perf_counter() - t0) * 1000
    if total != N_AGEN * (N_AGEN - 1) // 2:
        raise RuntimeError(f"consumer summed {total}")
    return result(value, N_AGEN, {"checksum": total})


run(main)
