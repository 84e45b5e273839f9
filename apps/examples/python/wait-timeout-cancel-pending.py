"""Twin of src/wait-timeout-cancel-pending.ts: wait() with a timeout, then cancel what is pending."""
import asyncio


async def job(name, delay):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        print(f"{name}: cancelled while sleeping")
        raise
    print(f"{name}: finished")
    return f"{name} result"


async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()

    def elapsed():
        return f"{loop.time() - start:.1f}s"

    tasks = [
        asyncio.create_task(job(name, delay), name=name)
        for name, delay in [("fast", 0.5), ("medium", 1.0), ("slow", 2.5), ("eternal", 3600)]
    ]

    # The first to finish, and only that one.
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    print(f"FIRST_COMPLETED at {elapsed()}: {len(done)} done, {len(pending)} pending")

    # At most 1 s more for everything. wait() does not cancel on timeout: it just reports.
    done, pending = await asyncio.wait(tasks, timeout=1.0)
    print(f"timeout at {elapsed()}: {len(done)} done, {len(pending)} pending")
    for t in tasks:
        if t in done:
            print(f"  done: {t.get_name()} -> {t.result()!r}")
    for t in tasks:
        if t in pending:
            print(f"  pending: {t.get_name()} (still running: {not t.done()})")

    # So cancel the pending ones, and wait until they have seen their CancelledError.
    for t in tasks:
        if t in pending:
            t.cancel()
    await asyncio.wait(pending)
    for t in tasks:
        print(f"{t.get_name()}: cancelled() is {t.cancelled()}")
    print(f"finished at {elapsed()}")


if __name__ == "__main__":
    asyncio.run(main())
