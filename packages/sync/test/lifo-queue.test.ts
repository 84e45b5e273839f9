import { createTask } from "@asyncio-ts/core";
import { runVirtual } from "@asyncio-ts/testing";
import { describe, expect, it } from "vitest";
import { LifoQueue, Queue, QueueEmpty, QueueFull } from "../src/index.js";
import { thrownSync, turns } from "./helpers.js";

describe("LifoQueue", () => {
  it("returns the most recently added item first", () => {
    const q = new LifoQueue<number>();
    for (let i = 0; i < 5; i++) q.putNowait(i);
    const out: number[] = [];
    while (!q.empty()) out.push(q.getNowait());
    expect(out).toEqual([4, 3, 2, 1, 0]);
    expect(thrownSync(() => q.getNowait())).toBeInstanceOf(QueueEmpty);
  });

  it("is a bounded Queue", () => {
    const q = new LifoQueue<string>(2);
    expect(q).toBeInstanceOf(Queue);
    q.putNowait("a");
    q.putNowait("b");
    expect(q.full()).toBe(true);
    expect(thrownSync(() => q.putNowait("c"))).toBeInstanceOf(QueueFull);
    expect(String(q)).toBe("<LifoQueue maxsize=2 _queue=['a', 'b'] tasks=2>");
  });

  it("lets a blocked putter in once an item is taken", async () => {
    const q = new LifoQueue<string>(1);
    await runVirtual(
      (function* () {
        q.putNowait("a");
        const t = createTask(q.put("b"));
        yield* turns(1);
        expect(yield* q.get()).toBe("a");
        yield* t;
        expect(yield* q.get()).toBe("b");
      })(),
    );
  });

  it("discards its items on shutdown(true)", () => {
    const q = new LifoQueue<number>();
    q.putNowait(1);
    q.putNowait(2);
    q.shutdown(true);
    expect(q.qsize()).toBe(0);
    expect(q._unfinishedTasks).toBe(0);
  });
});
