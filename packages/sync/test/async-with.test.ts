// asyncWith(lock, body): Python's `async with lock:` through aenter()/aexit(), for every lock-like
// class.
// biome-ignore-all lint/correctness/useYield: bodies need not await (Python's `async with` blocks without `await`).
import { asyncWith, CancelledError, type Coroutine, createTask } from "@asyncio-ts/core";
import { runVirtual } from "@asyncio-ts/testing";
import { sleep } from "@asyncio-ts/time";
import { describe, expect, it } from "vitest";
import { BoundedSemaphore, Condition, Lock, type LockLike, Semaphore } from "../src/index.js";
import { now, thrown, turns } from "./helpers.js";

const kinds: [string, () => LockLike & { locked(): boolean }][] = [
  ["Lock", () => new Lock()],
  ["Semaphore", () => new Semaphore(1)],
  ["BoundedSemaphore", () => new BoundedSemaphore(1)],
  ["Condition", () => new Condition()],
];

describe.each(kinds)("asyncWith(%s)", (_name, make) => {
  it("gives undefined to the body, holds it inside, returns the body's value and releases", async () => {
    const l = make();
    const r = await runVirtual(
      asyncWith(l, function* (value) {
        const inside = l.locked();
        yield* sleep(1);
        return { value, inside };
      }),
    );
    expect(r).toEqual({ value: undefined, inside: true });
    expect(l.locked()).toBe(false);
  });

  it("releases when the body throws, and rethrows the same error", async () => {
    const l = make();
    const boom = new Error("boom");
    const e = await runVirtual(
      thrown(
        asyncWith(l, function* () {
          yield* sleep(1);
          throw boom;
        }),
      ),
    );
    expect(e).toBe(boom);
    expect(e).not.toHaveProperty("cause");
    expect(l.locked()).toBe(false);
  });

  it("releases when the task is cancelled inside the body, and the CancelledError propagates", async () => {
    const l = make();
    await runVirtual(
      (function* () {
        const t = createTask(
          asyncWith(l, function* () {
            yield* sleep(10);
          }),
        );
        yield* turns(1);
        expect(l.locked()).toBe(true);
        t.cancel("stop");
        const e = yield* thrown(t);
        expect(e).toBeInstanceOf(CancelledError);
        expect(t.cancelled()).toBe(true);
        expect(l.locked()).toBe(false);
      })(),
    );
  });

  it("releases nothing and skips the body when the acquire itself is cancelled", async () => {
    const l = make();
    await runVirtual(
      (function* () {
        yield* l.acquire();
        let ran = false;
        const t = createTask(
          asyncWith(l, function* () {
            ran = true;
          }),
        );
        yield* turns(1);
        t.cancel();
        expect(yield* thrown(t)).toBeInstanceOf(CancelledError);
        expect(ran).toBe(false);
        expect(l.locked()).toBe(true);
        l.release();
      })(),
    );
  });

  it("waits its turn: a second scope enters once the first one exits", async () => {
    const l = make();
    const log = await runVirtual(
      (function* () {
        const log: string[] = [];
        function* user(n: string): Coroutine<void> {
          yield* asyncWith(l, function* () {
            log.push(`${n} in at ${now()}`);
            yield* sleep(2);
            log.push(`${n} out at ${now()}`);
          });
        }
        const a = createTask(user("a"));
        const b = createTask(user("b"));
        yield* a;
        yield* b;
        return log;
      })(),
    );
    expect(log).toEqual(["a in at 0", "a out at 2", "b in at 2", "b out at 4"]);
    expect(l.locked()).toBe(false);
  });
});

describe("LockLike aenter()/aexit()", () => {
  it("aenter() acquires and gives undefined; aexit() releases and gives undefined (never suppresses)", async () => {
    const lock = new Lock();
    const r = await runVirtual(
      (function* () {
        const entered = yield* lock.aenter();
        const held = lock.locked();
        const exited = yield* lock.aexit(new Error("ignored"));
        return { entered, held, exited, after: lock.locked() };
      })(),
    );
    expect(r).toEqual({ entered: undefined, held: true, exited: undefined, after: false });
  });

  it("aexit() of a lock that is not held raises RuntimeError, as release() does", async () => {
    const e = await runVirtual(thrown(new Lock().aexit(null)));
    expect((e as Error).name).toBe("RuntimeError");
    expect((e as Error).message).toBe("Lock is not acquired.");
  });

  it("BoundedSemaphore: aexit() after a release by hand raises RangeError, chained to the body's error", async () => {
    const sem = new BoundedSemaphore(1);
    const boom = new Error("boom");
    const e = await runVirtual(
      thrown(
        asyncWith(sem, function* () {
          sem.release();
          throw boom;
        }),
      ),
    );
    expect(e).toBeInstanceOf(RangeError);
    expect((e as Error).message).toBe("BoundedSemaphore released too many times");
    expect((e as Error).cause).toBe(boom);
  });
});
