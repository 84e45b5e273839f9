"""Twin of src/producer-consumer-queue.ts: the Queue example from Python's asyncio-queue docs."""
import asyncio

# The docs draw random.uniform(0.05, 1.0) per item; a fixed list keeps both twins in step.
SLEEPS = [0.45, 0.8, 0.2, 0.65, 0.3, 0.95, 0.1, 0.55, 0.7, 0.25, 0.6, 0.15]


async def worker(name, queue):
    while True:
        # Get a "work item" out of the queue.
        sleep_for = await queue.get()

        # Sleep for the "sleep_for" seconds.
        await asyncio.sleep(sleep_for)

        # Notify the queue that the "work item" has been processed.
        queue.task_done()

        print(f'{name} has slept for {sleep_for:.2f} seconds')


async def main():
    loop = asyncio.get_running_loop()

    # Create a queue that we will use to store our "workload".
    queue = asyncio.Queue()

    # Put the sleep times into the queue.
    total_sleep_time = 0
    for sleep_for in SLEEPS:
        total_sleep_time += sleep_for
        queue.put_nowait(sleep_for)

    # Create three worker tasks to process the queue concurrently.
    tasks = []
    for i in range(3):
        task = asyncio.create_task(worker(f'worker-{i}', queue))
        tasks.append(task)

    # Wait until the queue is fully processed.
    started_at = loop.time()
    await queue.join()
    total_slept_for = loop.time() - started_at

    # Cancel our worker tasks.
    for task in tasks:
        task.cancel()
    # Wait until all worker tasks are cancelled.
    results = await asyncio.gather(*tasks, return_exceptions=True)
    print(f'workers cancelled: {sum(isinstance(r, asyncio.CancelledError) for r in results)}')

    print('====')
    print(f'3 workers slept in parallel for {total_slept_for:.2f} seconds')
    print(f'total expected sleep time: {total_sleep_time:.2f} seconds')


if __name__ == "__main__":
    asyncio.run(main())
