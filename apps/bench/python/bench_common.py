"""Shared by the CPython workloads: the same sizes and delay generator as src/params.ts.

Each workload script prints one JSON line, {"value": ..., "n": ...}, like the Node children:
its main() returns result(...) and the script ends with run(main).
"""

import asyncio
import json
import os
import sys

N_SPAWN = 100_000
N_SLEEP0 = 1_000_000
SWITCH_TASKS = 10_000
SWITCH_EACH = 100
N_CALLSOON = 1_000_000
N_TIMERS = 100_000
MAX_DELAY_MS = 50
SEED = 20240601
N_HEAP = 100_000
HEAP_SLEEP_S = 10
N_CANCEL = 100_000
CANCEL_SLEEP_S = 10
N_GATHER = 100_000
N_QUEUE = 1_000_000
QUEUE_MAXSIZE = 100
N_AGEN = 1_000_000
RT_WORKERS = 2
N_RT_LATENCY = 2000
N_RT_WARM = 500
N_RT_JOBS = 20_000
RT_IN_FLIGHT = 4 * RT_WORKERS

_M32 = 0xFFFFFFFF


def mulberry32(seed):
    """Bit-for-bit the mulberry32 of src/params.ts (unsigned 32-bit arithmetic)."""
    a = seed & _M32

    def nxt():
        nonlocal a
        a = (a + 0x6D2B79F5) & _M32
        t = ((a ^ (a >> 15)) * (1 | a)) & _M32
        t = ((t + (((t ^ (t >> 7)) * (61 | t)) & _M32)) & _M32) ^ t
        return ((t ^ (t >> 14)) & _M32) / 4294967296

    return nxt


def timer_delays_ms():
    rnd = mulberry32(SEED)
    return [int(rnd() * (MAX_DELAY_MS + 1)) for _ in range(N_TIMERS)]


def result(value, n, extra=None):
    """What a workload's main() returns: the measurement, as the Node children print it."""
    out = {"value": value, "n": n}
    if extra:
        out["extra"] = extra
    return out


def run(main):
    """asyncio.run(main()) and print its result as one JSON line.

    With BENCH_WARMUP=1 (the driver's --warmup) the workload runs once first, unreported, as the
    Node children do; CPython has no JIT, so this mostly changes allocator state.
    """
    if os.environ.get("BENCH_WARMUP") == "1":
        asyncio.run(main())
    out = asyncio.run(main())
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
