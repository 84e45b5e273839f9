"""Twin of src/hello-world.ts: the first program on Python's "Coroutines and Tasks" page."""
import asyncio


async def main():
    print('hello')
    await asyncio.sleep(1)
    print('world')


if __name__ == "__main__":
    asyncio.run(main())
