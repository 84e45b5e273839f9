"""Twin of src/timeout-expiry.ts: asyncio.timeout() expiring, and Timeout.reschedule()."""
import asyncio


async def long_running_task():
    await asyncio.sleep(3600)  # an hour


async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()

    def elapsed():
        return f"{loop.time() - start:.1f}s"

    try:
        async with asyncio.timeout(1):
            await long_running_task()
    except TimeoutError as e:
        print(f"The long operation timed out at {elapsed()}, but we've handled it.")
        print(f"(its cause: {type(e.__cause__).__name__})")
    print("This statement will run regardless.")

    try:
        # We do not know the timeout when starting, so we pass None.
        async with asyncio.timeout(None) as cm:
            print(f"no deadline yet: {cm.when() is None}")
            # We know the timeout now, so we reschedule it.
            new_deadline = loop.time() + 1
            cm.reschedule(new_deadline)
            await long_running_task()
    except TimeoutError:
        pass
    if cm.expired():
        print(f"Looks like we haven't finished on time ({elapsed()}).")


if __name__ == "__main__":
    asyncio.run(main())
