"""Twin of src/to-thread.ts: the `blocking_io` program from Python's asyncio.to_thread() docs."""
import asyncio
import time


def blocking_io(seconds):
    # time.sleep() stands for any blocking call (file operations, a C library ...). It blocks
    # the thread it runs in, here a worker thread, not the event loop's.
    t0 = time.monotonic()
    time.sleep(seconds)
    return time.monotonic() - t0


async def main():
    loop = asyncio.get_running_loop()
    # Start the default thread pool's thread first, as the TS twin does (a Node worker thread
    # takes some 50 ms to start; a Python thread, well under 1 ms).
    await asyncio.to_thread(blocking_io, 0)
    start = loop.time()

    def elapsed():
        return f"{loop.time() - start:.1f}s"

    async def finished_at(aw):
        # Await `aw`, then note when that happened.
        result = await aw
        return result, elapsed()

    print(f"started main at {elapsed()}")

    (blocked, io_done), (_, sleep_done) = await asyncio.gather(
        finished_at(asyncio.to_thread(blocking_io, 1)),
        finished_at(asyncio.sleep(1)))

    print(f"blocking_io blocked its thread for {blocked:.1f}s")
    print(f"blocking_io complete at {io_done}")
    print(f"asyncio.sleep(1) complete at {sleep_done}")
    print(f"finished main at {elapsed()}, not 2.0s: the two ran at the same time")


if __name__ == "__main__":
    asyncio.run(main())
