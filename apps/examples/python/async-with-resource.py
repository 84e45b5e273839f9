"""Twin of src/async-with-resource.ts: async with on a class, @asynccontextmanager, a Lock, an AsyncExitStack."""
import asyncio
from contextlib import AsyncExitStack, asynccontextmanager


class QueryError(Exception):
    pass


class Connection:
    """A connection that must be closed: open in __aenter__, closed in __aexit__."""

    def __init__(self, name):
        self.name = name

    async def __aenter__(self):
        print(f"{self.name}: connecting")
        await asyncio.sleep(0.5)
        return self

    async def __aexit__(self, exc_type, exc, tb):
        how = "clean exit" if exc is None else type(exc).__name__
        await asyncio.sleep(0.1)
        print(f"{self.name}: closed ({how})")
        return False  # do not suppress the error

    async def query(self, sql):
        await asyncio.sleep(0.2)
        if "missing" in sql:
            raise QueryError(f"no such table in {sql}")
        return f"{self.name} rows for {sql}"


@asynccontextmanager
async def transaction(conn):
    print("  BEGIN")
    try:
        yield conn
        print("  COMMIT")
    except BaseException as e:
        print(f"  ROLLBACK ({type(e).__name__})")
        raise


async def use_lock(name, lock):
    async with lock:
        print(f"{name} holds the lock")
        await asyncio.sleep(1)
        print(f"{name} releases the lock")


async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()

    def elapsed():
        return f"{loop.time() - start:.1f}s"

    async with Connection("db") as conn:
        print(await conn.query("SELECT 1"))
        async with transaction(conn) as tx:
            print(f"  {await tx.query('UPDATE t')}")
        try:
            async with transaction(conn) as tx:
                await tx.query("SELECT missing")
        except QueryError as e:
            print(f"caught {type(e).__name__}: {e}")
    print(f"connection used and closed ({elapsed()})")

    lock = asyncio.Lock()
    a = asyncio.create_task(use_lock("task A", lock))
    b = asyncio.create_task(use_lock("task B", lock))
    await a
    await b
    print(f"lock is free again: {not lock.locked()} ({elapsed()})")

    async with AsyncExitStack() as stack:
        for name in ["primary", "replica"]:
            await stack.enter_async_context(Connection(name))
        print("both connections open")
    print(f"done ({elapsed()})")


if __name__ == "__main__":
    asyncio.run(main())
