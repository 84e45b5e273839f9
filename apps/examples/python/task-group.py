"""Twin of src/task-group.ts: a TaskGroup waits for its children; a failure cancels the rest."""
import asyncio


class JobError(Exception):
    pass


async def work(name, delay):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        print(f"{name}: cancelled")
        raise
    print(f"{name}: done")
    return name.upper()


async def fail(name, delay):
    await asyncio.sleep(delay)
    print(f"{name}: raising JobError")
    raise JobError(f"{name} failed")


async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()

    def elapsed():
        return f"{loop.time() - start:.1f}s"

    async with asyncio.TaskGroup() as tg:
        task1 = tg.create_task(work("one", 1))
        task2 = tg.create_task(work("two", 0.5))
        print("both tasks created")
    # The async with waits for both.
    print(f"Both tasks have completed now: {task1.result()}, {task2.result()} ({elapsed()})")

    # Two children fail at the same moment: the third child and the body are cancelled, and
    # both errors come out.
    start = loop.time()
    try:
        async with asyncio.TaskGroup() as tg:
            slow = tg.create_task(work("slow", 3600))
            tg.create_task(fail("bad-1", 1))
            tg.create_task(fail("bad-2", 1))
            # The body is cancelled too, wherever it awaits.
            await work("body", 3600)
    except ExceptionGroup as eg:
        print(f"{type(eg).__name__} at {elapsed()}: {eg.message}")
        for e in eg.exceptions:
            print(f"  {type(e).__name__}: {e}")
    print(f"slow.cancelled() is {slow.cancelled()}")


if __name__ == "__main__":
    asyncio.run(main())
