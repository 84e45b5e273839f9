import { createTask } from "@asyncio-ts/core";
import { runVirtual } from "@asyncio-ts/testing";
import { describe, expect, it } from "vitest";
import { PriorityQueue, Queue, QueueEmpty } from "../src/index.js";
import { thrownSync, turns } from "./helpers.js";

function drain<T>(q: PriorityQueue<T>): T[] {
  const out: T[] = [];
  while (!q.empty()) out.push(q.getNowait());
  return out;
}

describe("PriorityQueue", () => {
  it("is a Queue with maxsize", () => {
    const q = new PriorityQueue<number>(2);
    expect(q).toBeInstanceOf(Queue);
    expect(q.maxsize).toBe(2);
    q.putNowait(1);
    q.putNowait(0);
    expect(q.full()).toBe(true);
    expect(String(q)).toBe("<PriorityQueue maxsize=2 _queue=[0, 1] tasks=2>");
  });

  it("returns the smallest number first", () => {
    const q = new PriorityQueue<number>();
    for (const n of [5, 3, 9, -1, 3, 0.5, 7]) q.putNowait(n);
    expect(drain(q)).toEqual([-1, 0.5, 3, 3, 5, 7, 9]);
    expect(thrownSync(() => q.getNowait())).toBeInstanceOf(QueueEmpty);
  });

  it("orders strings by code point, as Python does (not by UTF-16 unit)", () => {
    const q = new PriorityQueue<string>();
    // U+FF01 is below U+1F600 as code points, above its surrogates as UTF-16 units.
    for (const s of ["b", "😀", "！", "a", "ab", ""]) q.putNowait(s);
    expect(drain(q)).toEqual(["", "a", "ab", "b", "！", "😀"]);
  });

  it("orders arrays like Python tuples: element by element, then by length", () => {
    const q = new PriorityQueue<unknown[]>();
    for (const t of [[1, "b"], [1, "a"], [0, "z"], [1], [2], [1, "a", 0]]) q.putNowait(t);
    expect(drain(q)).toEqual([[0, "z"], [1], [1, "a"], [1, "a", 0], [1, "b"], [2]]);
  });

  it("compares numbers of any kind with each other (number, bigint, boolean)", () => {
    const q = new PriorityQueue<number | bigint | boolean>();
    for (const v of [3, 2n, true, 0.5]) q.putNowait(v);
    expect(drain(q)).toEqual([0.5, true, 2n, 3]);
  });

  it("skips equal plain objects in arrays, like Python's equal dicts", () => {
    const q = new PriorityQueue<[number, object]>();
    q.putNowait([1, { id: 1 }]);
    q.putNowait([1, { id: 1 }]);
    expect(q.qsize()).toBe(2);
  });

  it("throws Python's TypeError for items < cannot order", () => {
    const q = new PriorityQueue<unknown>();
    q.putNowait(1);
    const e = thrownSync(() => q.putNowait("a"));
    expect(e).toBeInstanceOf(TypeError);
    expect((e as Error).message).toBe(
      "'<' not supported between instances of 'string' and 'number'",
    );

    class Job {}
    const jobs = new PriorityQueue<[number, Job]>();
    jobs.putNowait([1, new Job()]);
    expect(() => jobs.putNowait([1, new Job()])).toThrow(
      "'<' not supported between instances of 'Job' and 'Job'",
    );
    const objs = new PriorityQueue<unknown>();
    objs.putNowait(null);
    expect(() => objs.putNowait({})).toThrow(
      "'<' not supported between instances of 'Object' and 'null'",
    );
  });

  it("keeps an item whose insertion failed to compare, uncounted, as CPython's heapq does", () => {
    const q = new PriorityQueue<unknown>();
    q.putNowait(1);
    expect(() => q.putNowait("a")).toThrow(TypeError);
    expect(q.qsize()).toBe(2);
    expect(q._unfinishedTasks).toBe(1);
  });

  it("orders by the compare option instead", () => {
    const q = new PriorityQueue<{ name: string; prio: number }>(0, {
      compare: (a, b) => b.prio - a.prio,
    });
    q.putNowait({ name: "low", prio: 1 });
    q.putNowait({ name: "high", prio: 9 });
    q.putNowait({ name: "mid", prio: 5 });
    expect(drain(q).map((x) => x.name)).toEqual(["high", "mid", "low"]);
    expect(new PriorityQueue<number>(0, { compare: null })._lt(1, 2)).toBe(true);
  });

  it("throws TypeError for a compare option that is not a function", () => {
    const e = thrownSync(() => new PriorityQueue(0, { compare: 1 as never }));
    expect(e).toBeInstanceOf(TypeError);
    expect((e as Error).message).toBe("Expected `compare` to be a function, got `1` (number)");
  });

  it("hands the smallest item to a waiting getter", async () => {
    const q = new PriorityQueue<number>();
    await runVirtual(
      (function* () {
        const t = createTask(q.get());
        yield* turns(1);
        q.putNowait(5);
        q.putNowait(1);
        expect(yield* t).toBe(1);
      })(),
    );
  });
});
