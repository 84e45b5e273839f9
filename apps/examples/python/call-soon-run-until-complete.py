"""Twin of src/call-soon-run-until-complete.ts: new_event_loop, call_soon, call_later,
run_forever/stop, run_until_complete and close, from Python's "Event Loop" docs."""
import asyncio


def hello_world(loop):
    print('Hello World')
    loop.stop()


def say(what):
    print(f"call_soon: {what}")


def main():
    loop = asyncio.new_event_loop()
    start = loop.time()

    def elapsed():
        return f"{loop.time() - start:.1f}s"

    async def compute():
        print("compute() starts")
        await asyncio.sleep(2)
        print(f"compute() returns at {elapsed()}")
        return 42

    # Schedule a call to hello_world(), which stops the loop it runs on.
    loop.call_soon(hello_world, loop)
    try:
        # Blocks until loop.stop() was called.
        loop.run_forever()
        print("run_forever() returned")

        loop.call_later(1, lambda: print(f"call_later: fired at {elapsed()}"))
        loop.call_soon(say, "first")
        loop.call_soon(say, "second")  # callbacks run in the order they were scheduled
        result = loop.run_until_complete(compute())
        print(f"run_until_complete() returned {result}")
    finally:
        loop.close()
    print(f"loop.is_closed(): {loop.is_closed()}")


if __name__ == "__main__":
    main()
