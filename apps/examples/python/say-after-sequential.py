"""Twin of src/say-after-sequential.ts: two coroutines awaited in sequence (3 s in all)."""
import asyncio


async def say_after(delay, what):
    await asyncio.sleep(delay)
    print(what)


async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()

    def elapsed():
        return f"{loop.time() - start:.1f}s"

    print(f"started at {elapsed()}")
    await say_after(1, 'hello')
    await say_after(2, 'world')
    print(f"finished at {elapsed()}")


if __name__ == "__main__":
    asyncio.run(main())
