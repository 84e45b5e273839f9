// biome-ignore-all lint/correctness/useYield: coroutines need not await (Python's `async def` without `await`).
import { describe, expect, it } from "vitest";
import { runVirtual } from "../../testing/src/index.js";
import {
  captureCallGraph,
  createTask,
  type Future,
  type FutureCallGraph,
  formatCallGraph,
  getRunningLoop,
  newEventLoop,
  printCallGraph,
  RuntimeError,
  type Task,
} from "../src/index.js";
import { _addAwaitedBy, _discardAwaitedBy } from "../src/shared.js";
import { sleep } from "./helpers.js";

/** The graph as nested names: [name, [awaiters...]]. */
function names(g: FutureCallGraph): unknown[] {
  const name = (f: Future<unknown>) => ("getName" in f ? (f as Task<unknown>).getName() : "future");
  return [name(g.future), g.awaitedBy.map(names)];
}

describe("captureCallGraph (Python 3.14's asyncio.capture_call_graph)", () => {
  it("shows the current task awaited by the tasks that await it, recursively", async () => {
    const graph = await runVirtual(
      (function* () {
        let captured = null as FutureCallGraph | null;
        const inner = createTask(
          (function* () {
            yield* sleep(1);
            captured = captureCallGraph();
          })(),
          { name: "inner" },
        );
        const middle = createTask(
          (function* () {
            yield* inner;
          })(),
          { name: "middle" },
        );
        yield* middle;
        return captured;
      })(),
    );
    expect(graph).not.toBeNull();
    expect(names(graph!)).toEqual([
      "inner",
      [["middle", [[expect.stringMatching(/^Task-\d+$/), []]]]],
    ]);
    expect(graph!.callStack).toEqual([]);
  });

  it("lists every task awaiting the same future", async () => {
    const graph = await runVirtual(
      (function* () {
        const fut = getRunningLoop().createFuture<void>();
        const a = createTask(
          (function* () {
            yield* fut;
          })(),
          { name: "a" },
        );
        const b = createTask(
          (function* () {
            yield* fut;
          })(),
          { name: "b" },
        );
        yield* sleep(0);
        const g = captureCallGraph(fut);
        fut.setResult(undefined);
        yield* a;
        yield* b;
        return g;
      })(),
    );
    expect(names(graph!)).toEqual([
      "future",
      [
        ["a", []],
        ["b", []],
      ],
    ]);
  });

  it("stops at a cycle instead of recursing (a future awaited by what awaits it)", async () => {
    const graph = await runVirtual(
      (function* () {
        const fut = getRunningLoop().createFuture<void>();
        const x = createTask(
          (function* () {
            yield* fut;
          })(),
          { name: "x" },
        );
        yield* sleep(0);
        // As a TaskGroup registers its parent: here `fut` "waits for" x, which awaits `fut`.
        _addAwaitedBy(x, fut);
        const g = captureCallGraph(fut);
        _discardAwaitedBy(x, fut);
        fut.setResult(undefined);
        yield* x;
        return g;
      })(),
    );
    expect(names(graph!)).toEqual(["future", [["x", []]]]);
  });

  it("formats and prints the graph as CPython's print_call_graph, without call stacks", async () => {
    const lines: string[] = [];
    const text = await runVirtual(
      (function* () {
        let out = "";
        yield* createTask(
          (function* () {
            out = formatCallGraph();
            const log = console.log;
            console.log = (s: string) => lines.push(s);
            try {
              printCallGraph();
            } finally {
              console.log = log;
            }
          })(),
          { name: "worker" },
        );
        return out;
      })(),
    );
    expect(text.split("\n")).toEqual([
      "* Task(name='worker')",
      "  + Awaited by:",
      expect.stringMatching(/^ {4}\* Task\(name='Task-\d+'\)$/),
    ]);
    expect(lines).toEqual([text]);
  });

  it("is null outside a task, raises outside a loop, and rejects what is not a future", async () => {
    expect(() => captureCallGraph()).toThrow(new RuntimeError("no running event loop"));
    expect(() => captureCallGraph(42 as never)).toThrow(
      new TypeError("Expected `future` to be a Future or Task, got `42`"),
    );
    const inCallback = await runVirtual(
      (function* () {
        const loop = getRunningLoop();
        const seen = loop.createFuture<unknown>();
        loop.callSoon(() => seen.setResult(captureCallGraph()));
        return yield* seen;
      })(),
    );
    expect(inCallback).toBeNull();
    const loop = newEventLoop();
    try {
      const fut = loop.createFuture();
      expect(formatCallGraph(fut)).toBe(`* Future(${fut.toString()})`);
    } finally {
      loop.close();
    }
  });
});
