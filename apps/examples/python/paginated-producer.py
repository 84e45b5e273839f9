"""Twin of src/paginated-producer.ts: an async generator of pages' items, consumed with early exit."""
import asyncio
from contextlib import aclosing

PAGES = [
    ["apple", "banana", "cherry"],
    ["damson", "elder", "fig"],
    ["grape", "hazel"],
]


async def fetch_pages():
    page = 0
    try:
        while page < len(PAGES):
            print(f"fetching page {page + 1}")
            await asyncio.sleep(0.5)  # the request
            for item in PAGES[page]:
                yield item
            page += 1
    finally:
        print(f"producer closed after {min(page + 1, len(PAGES))} page(s)")


async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()

    def elapsed():
        return f"{loop.time() - start:.1f}s"

    # Stop at the first item starting with "e": only two pages are fetched.
    async with aclosing(fetch_pages()) as pages:
        async for item in pages:
            print(f"got {item}")
            if item.startswith("e"):
                print("found it, leaving the loop")
                break
    print(f"after the loop ({elapsed()})")

    # Read everything: the loop ends when the generator does.
    all_items = []
    finished = True
    async with aclosing(fetch_pages()) as pages:
        async for item in pages:
            all_items.append(item)
    print(f"{len(all_items)} items, ran to the end: {finished} ({elapsed()})")


if __name__ == "__main__":
    asyncio.run(main())
