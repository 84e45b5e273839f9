"""Twin of src/add-done-callback.ts: Future.add_done_callback / remove_done_callback."""
import asyncio
import functools


def report(label, fut):
    print(f"{label}: result is {fut.result()}")


async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    # The docs' callback: print "Future:" and the future itself.
    fut.add_done_callback(functools.partial(print, "Future:"))
    first = functools.partial(report, "first")
    fut.add_done_callback(first)
    fut.add_done_callback(functools.partial(report, "second"))
    fut.add_done_callback(first)  # registered twice
    print(f"removed {fut.remove_done_callback(first)} callback(s)")

    loop.call_later(1, fut.set_result, 42)
    print("waiting ...")
    # The callbacks run before this task resumes: its wake-up was registered after them.
    print(f"awaited: {await fut}")

    # On a done future, a new callback is scheduled at once but still runs later, via the loop.
    fut.add_done_callback(functools.partial(report, "late"))
    print("registered a callback on the done future")
    await asyncio.sleep(0)


if __name__ == "__main__":
    asyncio.run(main())
