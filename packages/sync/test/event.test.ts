import { CancelledError, createTask } from "@asyncio-ts/core";
import { runVirtual } from "@asyncio-ts/testing";
import { sleep } from "@asyncio-ts/time";
import { describe, expect, it } from "vitest";
import { Event } from "../src/index.js";
import { now, thrown, turns } from "./helpers.js";

describe("Event", () => {
  it("starts unset", () => {
    const ev = new Event();
    expect(ev.isSet()).toBe(false);
    expect(String(ev)).toBe("<Event [unset]>");
  });

  it("returns true from wait() at once when set", async () => {
    const ev = new Event();
    ev.set();
    expect(ev.isSet()).toBe(true);
    const r = await runVirtual(
      (function* () {
        return [yield* ev.wait(), now()];
      })(),
    );
    expect(r).toEqual([true, 0]);
  });

  it("wakes every waiter on set(), in the order they started waiting", async () => {
    const ev = new Event();
    const order: string[] = [];
    await runVirtual(
      (function* () {
        const tasks = ["a", "b", "c"].map((n) =>
          createTask(
            (function* () {
              const v = yield* ev.wait();
              order.push(`${n} ${v} ${now()}`);
            })(),
          ),
        );
        yield* sleep(2);
        expect(String(ev)).toBe("<Event [unset, waiters:3]>");
        ev.set();
        for (const t of tasks) yield* t;
        expect(String(ev)).toBe("<Event [set]>");
      })(),
    );
    expect(order).toEqual(["a true 2", "b true 2", "c true 2"]);
  });

  it("makes wait() block again after clear()", async () => {
    const ev = new Event();
    await runVirtual(
      (function* () {
        ev.set();
        ev.clear();
        expect(ev.isSet()).toBe(false);
        const t = createTask(ev.wait());
        yield* sleep(3);
        expect(t.done()).toBe(false);
        ev.set();
        expect(yield* t).toBe(true);
        expect(now()).toBe(3);
      })(),
    );
  });

  it("still wakes waiters when cleared right after set()", async () => {
    const ev = new Event();
    await runVirtual(
      (function* () {
        const t = createTask(ev.wait());
        yield* turns(1);
        ev.set();
        ev.clear();
        expect(yield* t).toBe(true);
      })(),
    );
  });

  it("does nothing on a second set()", async () => {
    const ev = new Event();
    ev.set();
    ev.set();
    expect(ev.isSet()).toBe(true);
  });

  it("removes a cancelled waiter and raises CancelledError in it", async () => {
    const ev = new Event();
    await runVirtual(
      (function* () {
        const a = createTask(ev.wait());
        const b = createTask(ev.wait());
        yield* turns(1);
        a.cancel();
        expect(yield* thrown(a)).toBeInstanceOf(CancelledError);
        expect(String(ev)).toBe("<Event [unset, waiters:1]>");
        ev.set();
        expect(yield* b).toBe(true);
        expect(String(ev)).toBe("<Event [set]>");
      })(),
    );
  });

  it("binds to the loop of its first wait", async () => {
    const ev = new Event();
    await runVirtual(
      (function* () {
        const t = createTask(ev.wait());
        yield* turns(1);
        ev.set();
        yield* t;
      })(),
    );
    ev.clear();
    const e = await runVirtual(thrown(ev.wait()));
    expect((e as Error).message).toBe("<Event [unset]> is bound to a different event loop");
  });
});
