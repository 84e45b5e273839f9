"""Twin of src/create-task-await.ts: coroutines are lazy; create_task schedules one, await gets
its result."""
import asyncio


async def nested():
    print("nested() runs")
    return 42


async def main():
    # Nothing happens if we just call "nested()": a coroutine object is created, not run.
    coro = nested()
    print("coroutine created, not started")
    # Awaiting it runs it to completion and gives its return value.
    print(await coro)

    # Schedule nested() to run soon, concurrently with "main()".
    task = asyncio.create_task(nested())
    print(f"task is {'done' if task.done() else 'pending'}")
    # "task" can now be used to cancel "nested()", or simply be awaited until it is complete.
    result = await task
    print(f"task result: {result}")
    print(f"task is {'done' if task.done() else 'pending'}")


if __name__ == "__main__":
    asyncio.run(main())
