"""Twin of src/run-coroutine-threadsafe.ts: run_coroutine_threadsafe() from the docs
("Scheduling From Other Threads")."""
import asyncio


class Boom(Exception):
    pass


async def fail():
    raise Boom("no luck")


async def hour_long(cancelled):
    try:
        await asyncio.sleep(3600)
    except asyncio.CancelledError:
        print("hour_long(): cancelled, inside the loop")
        cancelled.set()
        raise


def from_outside(loop, start, cancelled):
    """Runs in another thread, outside the loop: it reaches the loop only threadsafe."""

    def elapsed():
        return f"{loop.time() - start:.1f}s"

    # Create a coroutine
    coro = asyncio.sleep(1, result=3)
    # Submit the coroutine to a given loop
    future = asyncio.run_coroutine_threadsafe(coro, loop)
    # Wait for the result with an optional timeout argument
    print(f"The coroutine returned: {future.result(2)!r} at {elapsed()}")

    future = asyncio.run_coroutine_threadsafe(fail(), loop)
    try:
        future.result(2)
    except Exception as exc:
        print(f"The coroutine raised an exception: {type(exc).__name__}: {exc} at {elapsed()}")

    future = asyncio.run_coroutine_threadsafe(hour_long(cancelled), loop)
    try:
        result = future.result(0.5)
    except TimeoutError:
        print(f"The coroutine took too long ({elapsed()}), cancelling the task...")
        future.cancel()
    else:
        print(f"The coroutine returned: {result!r}")


async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()
    print("started at 0.0s")
    cancelled = asyncio.Event()
    await asyncio.to_thread(from_outside, loop, start, cancelled)
    await cancelled.wait()
    print(f"main: done at {loop.time() - start:.1f}s")


if __name__ == "__main__":
    asyncio.run(main())
