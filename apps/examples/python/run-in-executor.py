"""Twin of src/run-in-executor.ts: the `run_in_executor` program from Python's event loop docs
("Executing code in thread or process pools")."""
import asyncio
import concurrent.futures
import os
import threading


def blocking_io():
    # File operations (such as logging) can block the
    # event loop: run them in a thread pool.
    # (The docs read /dev/urandom; /dev/zero prints the same on every run.)
    with open('/dev/zero', 'rb') as f:
        data = f.read(100)
    in_thread = threading.current_thread() is not threading.main_thread()
    return f"read {len(data)} bytes (in a worker thread: {in_thread})"


def cpu_bound(parent_pid):
    # CPU-bound operations will block the event loop:
    # in general it is preferable to run them in a
    # process pool.
    # (10 ** 5 rather than the docs' 10 ** 7: the sum stays below 2 ** 53, exact as a JS number.)
    total = sum(i * i for i in range(10 ** 5))
    return f"{total} (in a child process: {os.getpid() != parent_pid})"


async def main():
    loop = asyncio.get_running_loop()

    ## Options:

    # 1. Run in the default loop's executor:
    result = await loop.run_in_executor(
        None, blocking_io)
    print('default thread pool:', result)

    # 2. Run in a custom thread pool:
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        result = await loop.run_in_executor(
            pool, blocking_io)
        print('custom thread pool:', result)

    # 3. Run in a custom process pool:
    with concurrent.futures.ProcessPoolExecutor(max_workers=2) as pool:
        result = await loop.run_in_executor(
            pool, cpu_bound, os.getpid())
        print('custom process pool:', result)


if __name__ == '__main__':
    asyncio.run(main())
