/**
 * Cancelling an HTTP request: `fromPromise((signal) => fetch(url, { signal }))` makes the
 * request a Future, and cancelling that Future aborts the signal, so `fetch` closes the
 * connection, and the server sees the client hang up. The request is cancelled twice, the two
 * usual ways: `waitFor()` giving up after 0.5 s, then `task.cancel()` on the task making it; in
 * between, a request that answers in time. A local server on 127.0.0.1 (a free port) answers
 * `GET /fast` at once and `GET /slow` never.
 *
 *     async def get(port, path):
 *         reader, writer = await asyncio.open_connection("127.0.0.1", port)
 *         try:
 *             ...  # write the request, read the response
 *         finally:
 *             writer.close()  # also when cancelled: the server sees the connection close
 *
 *     try:
 *         await asyncio.wait_for(get(port, "/slow"), 0.5)
 *     except TimeoutError:
 *         print("GET /slow: TimeoutError")
 *
 * The Python twin has no `fetch`: both its ends are asyncio streams (`asyncio.start_server`,
 * `asyncio.open_connection`), whose `finally: writer.close()` is what the aborted signal does
 * here. This server is `node:http`, whose callbacks run outside the loop: it tells the loop about
 * an aborted request with `loop.callSoonThreadsafe()`, and `main` prints it, so the lines come in
 * a fixed order. On the real clock only (a socket is real).
 * Run: `node dist/fetch-with-cancellation.js`.
 */
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { fromPromise } from "@asyncio-ts/promise";
import { Event } from "@asyncio-ts/sync";
import {
  type AbstractEventLoop,
  type Coroutine,
  createTask,
  getRunningLoop,
  isCancelledError,
  run,
  sleep,
  TimeoutError,
  waitFor,
} from "asyncio-ts";

/**
 * The server: GET /fast answers at once; GET /slow never does. When a client hangs up on
 * /slow, the server sets `aborted` (from outside the loop, so through `callSoonThreadsafe`).
 */
function startServer(loop: AbstractEventLoop, aborted: Event) {
  return createServer((req, res) => {
    if (req.url === "/slow") {
      // Never answers on its own: wait until the client hangs up.
      res.on("close", () => loop.callSoonThreadsafe(() => aborted.set()));
    } else {
      res.writeHead(200, { "content-type": "text/plain", connection: "close" });
      res.end("fast response");
    }
  }).listen(0, "127.0.0.1");
}

/** GET `url` and return [status, body]. Cancelling it aborts the request. */
function* get(url: string): Coroutine<[number, string]> {
  return yield* fromPromise(async (signal) => {
    const res = await fetch(url, { signal });
    return [res.status, await res.text()] as [number, string];
  });
}

function* requests(base: string, aborted: Event, elapsed: () => string): Coroutine<void> {
  // 1. waitFor() gives up after 0.5 s: it cancels the request.
  try {
    yield* waitFor(get(`${base}/slow`), 0.5);
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    console.log(`GET /slow: TimeoutError at ${elapsed()}`);
  }
  yield* aborted.wait();
  aborted.clear();
  console.log("server: the client aborted GET /slow");

  // 2. A request that answers in time.
  const [status, body] = yield* get(`${base}/fast`);
  console.log(`GET /fast: ${status} '${body}'`);

  // 3. Cancelling the task that makes the request cancels the request.
  const task = createTask(get(`${base}/slow`));
  yield* sleep(0.2);
  task.cancel();
  try {
    yield* task;
  } catch (e) {
    if (!isCancelledError(e)) throw e;
    const cancelled = task.cancelled() ? "True" : "False";
    console.log(`GET /slow: task cancelled at ${elapsed()}, task.cancelled() is ${cancelled}`);
  }
  yield* aborted.wait();
  console.log("server: the client aborted GET /slow");
}

export function* main(): Coroutine<void> {
  const loop = getRunningLoop();
  const start = loop.time();
  const elapsed = () => `${(loop.time() - start).toFixed(1)}s`;

  const aborted = new Event();
  const server = startServer(loop, aborted);
  yield* fromPromise(once(server, "listening"));
  const { port } = server.address() as AddressInfo;
  console.log("server listening on 127.0.0.1 (a free port)");
  try {
    yield* requests(`http://127.0.0.1:${port}`, aborted, elapsed);
  } finally {
    // Stop listening, drop any connection left open, and wait until the server has closed.
    const closed = once(server, "close");
    server.close();
    server.closeAllConnections();
    yield* fromPromise(closed);
  }
  console.log(`server closed at ${elapsed()}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await run(main());
