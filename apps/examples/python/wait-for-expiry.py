"""Twin of src/wait-for-expiry.ts: the `eternity` program from Python's wait_for() docs."""
import asyncio


async def eternity():
    # Sleep for one hour
    try:
        await asyncio.sleep(3600)
        print('yay!')
    except asyncio.CancelledError:
        print("eternity() was cancelled")
        raise


async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()

    # A coroutine that finishes in time gives its result.
    print(await asyncio.wait_for(asyncio.sleep(0.5, "in time"), timeout=1.0))

    # Wait for at most 1 second
    try:
        await asyncio.wait_for(eternity(), timeout=1.0)
    except TimeoutError:
        print('timeout!')
    print(f"gave up after {loop.time() - start:.1f}s")


if __name__ == "__main__":
    asyncio.run(main())
