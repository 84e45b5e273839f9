"""Twin of src/as-completed.ts: as_completed() gives results in the order they complete."""
import asyncio


async def fetch(name, delay):
    await asyncio.sleep(delay)
    return f"{name} (after {delay}s)"


async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()

    def elapsed():
        return f"{loop.time() - start:.1f}s"

    tasks = [
        asyncio.create_task(fetch("slow", 1.5)),
        asyncio.create_task(fetch("fast", 0.5)),
        asyncio.create_task(fetch("medium", 1.2)),
    ]
    for i, next_done in enumerate(asyncio.as_completed(tasks), 1):
        result = await next_done
        print(f"{i}. at {elapsed()}: {result}")

    # With a timeout: whatever has not completed by then raises TimeoutError.
    start = loop.time()
    tasks = [
        asyncio.create_task(fetch("quick", 0.3)),
        asyncio.create_task(fetch("late", 3600)),
    ]
    try:
        for next_done in asyncio.as_completed(tasks, timeout=1.0):
            result = await next_done
            print(f"at {elapsed()}: {result}")
    except TimeoutError:
        print(f"TimeoutError at {elapsed()}")
    # as_completed() does not cancel what is left: that is up to us.
    late = tasks[1]
    print(f"late is still running: {not late.done()}")
    late.cancel()
    try:
        await late
    except asyncio.CancelledError:
        print(f"late cancelled: {late.cancelled()}")


if __name__ == "__main__":
    asyncio.run(main())
