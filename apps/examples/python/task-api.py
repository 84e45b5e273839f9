"""Twin of src/task-api.ts: current_task, all_tasks, get_name/set_name, get_coro, done, result."""
import asyncio


async def worker(delay):
    print(f"{asyncio.current_task().get_name()} runs")
    await asyncio.sleep(delay)
    return delay * 10


def task_names():
    return ", ".join(sorted(t.get_name() for t in asyncio.all_tasks()))


async def main():
    me = asyncio.current_task()
    me.set_name("main")
    print(f"current task: {me.get_name()}")

    coro = worker(1)
    task = asyncio.create_task(coro, name="worker")
    print(f"created task: {task.get_name()}")
    print(f"get_coro() is the coroutine: {task.get_coro() is coro}")
    print(f"all tasks: {task_names()}")
    print(f"task is {'done' if task.done() else 'pending'}")

    await asyncio.sleep(0)  # let the worker start
    task.set_name("worker-renamed")
    print(f"renamed to: {task.get_name()}")

    await task
    print(f"task is {'done' if task.done() else 'pending'}, result() = {task.result()}")
    print(f"all tasks: {task_names()}")


if __name__ == "__main__":
    asyncio.run(main())
