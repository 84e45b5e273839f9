"""Twin of src/node-stream.ts: read a child process's output line by line with async for."""
import asyncio
import sys

CHILD = """
import time
for n in range(1, 4):
    time.sleep(0.3)
    print("reading", n, flush=True)
"""


async def main():
    loop = asyncio.get_running_loop()
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", CHILD, stdout=asyncio.subprocess.PIPE
    )
    first = None
    async for line in proc.stdout:
        if first is None:
            first = loop.time()
        print(f"got {line.decode().rstrip()!r} at +{loop.time() - first:.1f}s")
    print(f"child exited with {await proc.wait()}")


if __name__ == "__main__":
    asyncio.run(main())
