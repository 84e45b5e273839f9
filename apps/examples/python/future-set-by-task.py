"""Twin of src/future-set-by-task.ts: the `set_after` program from Python's "Futures" docs."""
import asyncio


async def set_after(fut, delay, value):
    # Sleep for *delay* seconds.
    await asyncio.sleep(delay)
    # Set *value* as a result of *fut* Future.
    fut.set_result(value)


async def main():
    # Get the current event loop.
    loop = asyncio.get_running_loop()
    start = loop.time()
    # Create a new Future object.
    fut = loop.create_future()
    # Run "set_after()" in a parallel Task. We use the low-level "loop.create_task()" because
    # we already have the loop at hand; "asyncio.create_task()" would do the same.
    loop.create_task(set_after(fut, 1, '... world'))
    print('hello ...')
    # Wait until *fut* has a result (1 second) and print it.
    print(await fut)
    print(f"(the future was set after {loop.time() - start:.1f}s)")


if __name__ == "__main__":
    asyncio.run(main())
