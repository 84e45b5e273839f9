// biome-ignore-all lint/correctness/useYield: like Python's `async with` block, a scope body need not await.
import {
  type Coroutine,
  captureCallGraph,
  createTask,
  type Future,
  type FutureCallGraph,
  formatCallGraph,
  type Task,
} from "@asyncio-ts/core";
import { runVirtual } from "@asyncio-ts/testing";
import { sleep } from "@asyncio-ts/time";
import { describe, expect, it } from "vitest";
import { gather, taskGroup } from "../src/index.js";

function names(g: FutureCallGraph): unknown[] {
  const name = (f: Future<unknown>) => ("getName" in f ? (f as Task<unknown>).getName() : "gather");
  return [name(g.future), g.awaitedBy.map(names)];
}

describe("captureCallGraph through gather and TaskGroup (Python 3.14)", () => {
  it("shows a TaskGroup child awaited by the group's parent task", async () => {
    const graph = await runVirtual(
      (function* () {
        let captured = null as FutureCallGraph | null;
        yield* taskGroup(function* (tg) {
          tg.createTask(
            (function* (): Coroutine<void> {
              yield* sleep(1);
              captured = captureCallGraph();
            })(),
            { name: "test" },
          );
        });
        return captured;
      })(),
    );
    expect(names(graph!)).toEqual(["test", [[expect.stringMatching(/^Task-\d+$/), []]]]);
  });

  it("stops showing the parent once the child is done", async () => {
    const after = await runVirtual(
      (function* () {
        let child: Task<void> | null = null;
        yield* taskGroup(function* (tg) {
          child = tg.createTask(sleep(1), { name: "done-child" });
        });
        return captureCallGraph(child!);
      })(),
    );
    expect(names(after!)).toEqual(["done-child", []]);
  });

  it("shows gather's children awaited by the gathering future, awaited by its task", async () => {
    const text = await runVirtual(
      (function* () {
        let out = "";
        const probe = function* (): Coroutine<void> {
          yield* sleep(1);
          out = formatCallGraph();
        };
        yield* gather(createTask(probe(), { name: "probe" }), sleep(2));
        return out;
      })(),
    );
    expect(text.split("\n")).toEqual([
      "* Task(name='probe')",
      "  + Awaited by:",
      expect.stringMatching(/^ {4}\* Future\(<_GatheringFuture pending/),
      "      + Awaited by:",
      expect.stringMatching(/^ {8}\* Task\(name='Task-\d+'\)$/),
    ]);
  });
});
