"""Twin of src/sleep-sort.ts: tasks wake in deadline order, so sleeping n/100 s sorts."""
import asyncio


async def sleep_then_print(n):
    await asyncio.sleep(n / 100)
    print(n)


async def main():
    numbers = [3, 1, 5, 2, 4]
    print(f"unsorted: {' '.join(str(n) for n in numbers)}")
    tasks = [asyncio.create_task(sleep_then_print(n)) for n in numbers]
    for t in tasks:
        await t
    print("sorted by the timers")


if __name__ == "__main__":
    asyncio.run(main())
