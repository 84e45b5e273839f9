"""Twin of src/cancel-with-finally.ts: the `cancel_me` program from Python's Task.cancel() docs."""
import asyncio


async def cancel_me():
    print('cancel_me(): before sleep')
    try:
        # Wait for 1 hour
        await asyncio.sleep(3600)
    except asyncio.CancelledError:
        print('cancel_me(): cancel sleep')
        raise
    finally:
        print('cancel_me(): after sleep')


async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()
    # Create a "cancel_me" Task
    task = asyncio.create_task(cancel_me())
    # Wait for 1 second
    await asyncio.sleep(1)

    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print("main(): cancel_me is cancelled now")
    print(f"task.cancelled() is {task.cancelled()}")
    print(f"done after {loop.time() - start:.1f}s, not an hour")


if __name__ == "__main__":
    asyncio.run(main())
