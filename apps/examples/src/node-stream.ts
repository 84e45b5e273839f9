/**
 * Twin of python/node-stream.py: a coroutine reads a child process's output line by line as it
 * arrives, the `async for line in proc.stdout` of asyncio's subprocess docs. Here the child's
 * stdout is a Node `Readable`; `readline` splits it into lines (a JS async iterable), and
 * `fromAsyncIterable` from `@asyncio-ts/promise` makes that an async iterator that `asyncFor`
 * loops over. It reads one line per `anext()` and nothing ahead, so the pipe's own buffer is the
 * only buffer (backpressure): a child writing faster than the loop reads is held up by the pipe.
 *
 *     proc = await asyncio.create_subprocess_exec(*CHILD, stdout=asyncio.subprocess.PIPE)
 *     async for line in proc.stdout:
 *         print(f"got {line.decode().rstrip()!r} at +{elapsed()}")
 *     print(f"child exited with {await proc.wait()}")
 *
 * The child (Node here, Python in the twin) prints a line every 0.3 s. Times are counted from
 * the first line, as the two children take different times to start. On the real clock only
 * (a pipe is real). Run: `node dist/node-stream.js`.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { fromAsyncIterable, fromPromise } from "@asyncio-ts/promise";
import { asyncFor, type Coroutine, getRunningLoop, run } from "asyncio-ts";

const CHILD = `
let n = 0;
const tick = setInterval(() => {
  n += 1;
  console.log("reading " + n);
  if (n === 3) clearInterval(tick);
}, 300);
`;

export function* main(): Coroutine<void> {
  const loop = getRunningLoop();
  const child = spawn(process.execPath, ["-e", CHILD], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = once(child, "exit");
  const lines = fromAsyncIterable(createInterface({ input: child.stdout }));
  let first: number | null = null;
  yield* asyncFor(lines, (line) => {
    first ??= loop.time();
    console.log(`got '${line}' at +${(loop.time() - first).toFixed(1)}s`);
  });
  const [code] = yield* fromPromise(exited);
  console.log(`child exited with ${code}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await run(main());
