"""Twin of src/fetch-with-cancellation.ts: cancelling an HTTP request closes its connection, and
the server sees it. The TS program serves with node:http and fetches with fetch(); here both
ends are asyncio streams (asyncio.start_server, asyncio.open_connection) on 127.0.0.1."""
import asyncio


async def handle(reader, writer, aborted):
    """The server: GET /fast answers at once; GET /slow never does. When a client hangs up on
    /slow, the server notes it in `aborted` (main prints it, so the order is fixed)."""
    # One request per connection: the request line, then headers up to a blank line.
    path = (await reader.readline()).split()[1].decode()
    while (await reader.readline()) not in (b"\r\n", b""):
        pass
    if path == "/slow":
        # Never answers on its own: wait until the client hangs up (EOF).
        await reader.read()
        aborted.set()
    else:
        body = b"fast response"
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s"
                     % (len(body), body))
        await writer.drain()
    writer.close()


async def get(port, path):
    """GET http://127.0.0.1:{port}{path} and return (status, body)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                     .encode())
        await writer.drain()
        status = int((await reader.readline()).split()[1])
        while (await reader.readline()) not in (b"\r\n", b""):
            pass
        return status, (await reader.read()).decode()
    finally:
        # Also when cancelled: closing the connection is how the server learns of it.
        writer.close()


async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()

    def elapsed():
        return f"{loop.time() - start:.1f}s"

    aborted = asyncio.Event()
    server = await asyncio.start_server(
        lambda r, w: handle(r, w, aborted), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    print("server listening on 127.0.0.1 (a free port)")
    try:
        await requests(port, aborted, elapsed)
    finally:
        server.close()
        await server.wait_closed()
    print(f"server closed at {elapsed()}")


async def requests(port, aborted, elapsed):
    # 1. wait_for() gives up after 0.5 s: it cancels the request.
    try:
        await asyncio.wait_for(get(port, "/slow"), 0.5)
    except TimeoutError:
        print(f"GET /slow: TimeoutError at {elapsed()}")
    await aborted.wait()
    aborted.clear()
    print("server: the client aborted GET /slow")

    # 2. A request that answers in time.
    status, body = await get(port, "/fast")
    print(f"GET /fast: {status} {body!r}")

    # 3. Cancelling the task that makes the request cancels the request.
    task = asyncio.create_task(get(port, "/slow"))
    await asyncio.sleep(0.2)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print(f"GET /slow: task cancelled at {elapsed()}, task.cancelled() is {task.cancelled()}")
    await aborted.wait()
    print("server: the client aborted GET /slow")


if __name__ == "__main__":
    asyncio.run(main())
