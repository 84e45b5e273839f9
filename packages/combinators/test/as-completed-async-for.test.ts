import {
  asyncFor,
  BREAK,
  CancelledError,
  type Coroutine,
  createTask,
  type Future,
  TimeoutError,
} from "@asyncio-ts/core";
import { hasPython, runPython, trace } from "@asyncio-ts/test-utils";
import { runVirtual } from "@asyncio-ts/testing";
import { sleep } from "@asyncio-ts/time";
import { describe, expect, expectTypeOf, it } from "vitest";
import { asCompleted } from "../src/index.js";
import { now, thrown } from "./helpers.js";

describe("asCompleted as an async iterator (Python 3.13's async for f in as_completed(fs))", () => {
  it("gives the original futures in completion order, and tasks made for coroutines", async () => {
    const out = await runVirtual(
      (function* () {
        const slow = createTask(sleep(3, "slow"));
        const fast = createTask(sleep(1, "fast"));
        const seen: unknown[] = [];
        const finished = yield* asyncFor(asCompleted([slow, fast, sleep(2, "coro")]), (f) => {
          seen.push([f === slow ? "slow" : f === fast ? "fast" : "new task", f.result(), now()]);
        });
        return [seen, finished];
      })(),
    );
    expect(out).toEqual([
      [
        ["fast", "fast", 1],
        ["new task", "coro", 2],
        ["slow", "slow", 3],
      ],
      true,
    ]);
  });

  it("gives a failed future as is: its error is raised only when asked for", async () => {
    const r = await runVirtual(
      (function* () {
        const bad = createTask(
          (function* (): Coroutine<number> {
            yield* sleep(1);
            throw new RangeError("bad");
          })(),
        );
        const seen: string[] = [];
        yield* asyncFor(asCompleted([bad, sleep(2, 2)]), (f) => {
          seen.push(
            f.exception() === null
              ? `ok ${f.result()}`
              : `failed ${(f.exception() as Error).message}`,
          );
        });
        return seen;
      })(),
    );
    expect(r).toEqual(["failed bad", "ok 2"]);
  });

  it("raises TimeoutError from the loop once the timeout passes", async () => {
    const r = await runVirtual(
      (function* () {
        const seen: unknown[] = [];
        const err = yield* thrown(
          asyncFor(asCompleted([sleep(1, "a"), sleep(5, "b")], { timeout: 2 }), (f) => {
            seen.push(f.result());
          }),
        );
        return [seen, err instanceof TimeoutError, now()];
      })(),
    );
    expect(r).toEqual([["a"], true, 2]);
  });

  it("stops on BREAK and leaves the other awaitables running", async () => {
    const r = await runVirtual(
      (function* () {
        const later = createTask(sleep(5, "later"));
        yield* asyncFor(asCompleted([sleep(1, "first"), later]), () => BREAK);
        const stillRunning = !later.done();
        return [stillRunning, yield* later];
      })(),
    );
    expect(r).toEqual([true, "later"]);
  });

  it("a task cancelled while waiting for the next completion raises CancelledError", async () => {
    const r = await runVirtual(
      (function* () {
        const task = createTask(asyncFor(asCompleted([sleep(5)]), () => {}));
        yield* sleep(1);
        task.cancel();
        return (yield* thrown(task)) instanceof CancelledError;
      })(),
    );
    expect(r).toBe(true);
  });

  it("types: the items are futures of the awaitables' results", () => {
    asyncFor(asCompleted([sleep(1, 1), sleep(1, "s")]), (f) => {
      expectTypeOf(f).toEqualTypeOf<Future<number | string>>();
    });
  });

  it.skipIf(!hasPython)("oracle: the same order and timing as CPython's async for", async () => {
    const t = trace();
    await runVirtual(
      (function* () {
        const tasks = [3, 1, 2].map((d) => createTask(sleep(d, d), { name: `t${d}` }));
        yield* asyncFor(asCompleted(tasks), function* (f) {
          t.log((f as { getName(): string } & typeof f).getName(), f.result(), now());
          yield* sleep(0.5);
        });
      })(),
    );
    const py = `
import asyncio, vtime
async def main():
    tasks = [asyncio.create_task(asyncio.sleep(d, d), name=f"t{d}") for d in [3, 1, 2]]
    async for f in asyncio.as_completed(tasks):
        print(f.get_name(), f.result(), "%g" % asyncio.get_running_loop().time())
        await asyncio.sleep(0.5)
vtime.run(main())
`;
    expect(t.lines).toEqual(runPython(py));
  });
});
