import { describe, expect, it } from "vitest";
import { hasPython, runPython, trace } from "@asyncio-ts/test-utils";
import { createTask, getRunningLoop, type Coroutine } from "../src/index.js";
import { runVirtual } from "../../testing/src/index.js";

function* sleepFor(d: number): Coroutine<void> {
  const loop = getRunningLoop();
  const f = loop.createFuture<void>();
  loop.callLater(d, () => f.setResult(undefined));
  yield* f;
}

describe("smoke", () => {
  it.skipIf(!hasPython)("orders timers like CPython", async () => {
    const t = trace();
    function* worker(name: string, d: number): Coroutine<void> {
      yield* sleepFor(d);
      t.log(name, getRunningLoop().time());
    }
    await runVirtual(
      (function* () {
        const a = createTask(worker("a", 2));
        const b = createTask(worker("b", 1));
        yield* a;
        yield* b;
      })(),
    );
    const py = runPython(`
import asyncio, vtime
async def worker(name, d):
    await asyncio.sleep(d)
    print(name, asyncio.get_running_loop().time())
async def main():
    a = asyncio.create_task(worker("a", 2)); b = asyncio.create_task(worker("b", 1))
    await a; await b
vtime.run(main())
`);
    expect(t.lines).toEqual(py.map((l) => l.replace(/\.0$/, "")));
  });
});
