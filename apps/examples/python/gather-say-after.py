"""Twin of src/gather-say-after.ts: gather() gives results in argument order."""
import asyncio


async def factorial(name, number):
    f = 1
    for i in range(2, number + 1):
        print(f"Task {name}: Compute factorial({number}), currently i={i}...")
        await asyncio.sleep(1)
        f *= i
    print(f"Task {name}: factorial({number}) = {f}")
    return f


async def say_after(delay, what):
    await asyncio.sleep(delay)
    print(f"{what} finished")
    return what


class Boom(Exception):
    pass


async def fail_after(delay, msg):
    await asyncio.sleep(delay)
    raise Boom(msg)


async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()

    def elapsed():
        return f"{loop.time() - start:.1f}s"

    # Schedule three calls *concurrently*:
    L = await asyncio.gather(
        factorial("A", 2),
        factorial("B", 3),
        factorial("C", 4),
    )
    print(L)
    print(f"factorials done at {elapsed()}")

    # They finish in another order; the results still come in argument order.
    words = await asyncio.gather(
        say_after(0.3, "slow"),
        say_after(0.1, "fast"),
        say_after(0.2, "medium"),
    )
    print(words)
    print(f"words done at {elapsed()}")

    # return_exceptions=True: an exception is a result like any other.
    results = await asyncio.gather(
        say_after(0.2, "ok"),
        fail_after(0.1, "no luck"),
        return_exceptions=True,
    )
    for r in results:
        if isinstance(r, Exception):
            print(f"  raised {type(r).__name__}: {r}")
        else:
            print(f"  returned {r!r}")
    print(f"finished at {elapsed()}")


if __name__ == "__main__":
    asyncio.run(main())
