// The scoped forms (Python's `async with`) every lock-like class shares: with() and hold().
// biome-ignore-all lint/correctness/useYield: bodies need not await (Python's `async with` blocks without `await`).
import { CancelledError, type Coroutine, createTask } from "@asyncio-ts/core";
import { runVirtual } from "@asyncio-ts/testing";
import { sleep } from "@asyncio-ts/time";
import { describe, expect, it } from "vitest";
import { BoundedSemaphore, Condition, Lock, type LockLike, Semaphore } from "../src/index.js";
import { thrown, turns } from "./helpers.js";

const kinds: [string, () => LockLike & { locked(): boolean }][] = [
  ["Lock", () => new Lock()],
  ["Semaphore", () => new Semaphore(1)],
  ["BoundedSemaphore", () => new BoundedSemaphore(1)],
  ["Condition", () => new Condition()],
];

describe.each(kinds)("%s scoped forms", (name, make) => {
  it("with() runs the body holding it and returns the body's value", async () => {
    const l = make();
    const r = await runVirtual(
      l.with(function* () {
        const inside = l.locked();
        yield* sleep(1);
        return { inside };
      }),
    );
    expect(r).toEqual({ inside: true });
    expect(l.locked()).toBe(false);
  });

  it("with() releases when the body throws, and rethrows", async () => {
    const l = make();
    const boom = new Error("boom");
    const e = await runVirtual(
      thrown(
        l.with(function* () {
          yield* sleep(1);
          throw boom;
        }),
      ),
    );
    expect(e).toBe(boom);
    expect(l.locked()).toBe(false);
  });

  it("with() releases when the task is cancelled inside the body", async () => {
    const l = make();
    await runVirtual(
      (function* () {
        const t = createTask(
          l.with(function* () {
            yield* sleep(10);
          }),
        );
        yield* turns(1);
        expect(l.locked()).toBe(true);
        t.cancel();
        expect(yield* thrown(t)).toBeInstanceOf(CancelledError);
        expect(l.locked()).toBe(false);
      })(),
    );
  });

  it("with() releases nothing when the acquire itself is cancelled", async () => {
    const l = make();
    await runVirtual(
      (function* () {
        yield* l.acquire();
        let ran = false;
        const t = createTask(
          l.with(function* () {
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

  it("with() serializes bodies", async () => {
    const l = make();
    const log: string[] = [];
    function* body(tag: string): Coroutine<void> {
      yield* l.with(function* () {
        log.push(`${tag} in`);
        yield* sleep(1);
        log.push(`${tag} out`);
      });
    }
    await runVirtual(
      (function* () {
        const a = createTask(body("a"));
        const b = createTask(body("b"));
        yield* a;
        yield* b;
      })(),
    );
    expect(log).toEqual(["a in", "a out", "b in", "b out"]);
  });

  it("with() checks its body when first stepped: a TypeError for a non-function", async () => {
    const l = make();
    const coro = l.with(42 as never);
    const e = await runVirtual(thrown(coro));
    expect(e).toBeInstanceOf(TypeError);
    expect((e as Error).message).toBe(
      `Expected \`body\` of ${name}.with() to be a generator function, got \`42\` (number)`,
    );
    expect(l.locked()).toBe(false);
  });

  it("with() rejects an async-function body, releasing again", async () => {
    const l = make();
    const e = await runVirtual(thrown(l.with((async () => 1) as never)));
    expect(e).toBeInstanceOf(TypeError);
    expect((e as Error).message).toBe(
      `The body of ${name}.with() must return a coroutine, got \`[Promise]\`: write the body as a generator function (function*), not an async function`,
    );
    expect(l.locked()).toBe(false);
  });

  it("hold() returns a Disposable that a using declaration releases", async () => {
    const l = make();
    const seen = await runVirtual(
      (function* () {
        const seen: boolean[] = [];
        {
          using _held = yield* l.hold();
          seen.push(l.locked());
          yield* sleep(1);
        }
        seen.push(l.locked());
        return seen;
      })(),
    );
    expect(seen).toEqual([true, false]);
  });

  it("hold() releases when the block throws", async () => {
    const l = make();
    const boom = new Error("boom");
    const e = await runVirtual(
      thrown(
        (function* () {
          using _held = yield* l.hold();
          yield* sleep(1);
          throw boom;
        })(),
      ),
    );
    expect(e).toBe(boom);
    expect(l.locked()).toBe(false);
  });

  it("hold()'s Disposable releases once however often it is disposed", async () => {
    const l = make();
    await runVirtual(
      (function* () {
        const held = yield* l.hold();
        held[Symbol.dispose]();
        held[Symbol.dispose]();
        expect(l.locked()).toBe(false);
      })(),
    );
  });
});
