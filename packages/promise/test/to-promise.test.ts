import {
  allTasks,
  CancelledError,
  type Coroutine,
  createTask,
  currentTask,
  Future,
  getRunningLoop,
  RuntimeError,
  run,
  type Task,
} from "@asyncio-ts/core";
import { runVirtual, VirtualTimeEventLoop } from "@asyncio-ts/testing";
import { sleep } from "@asyncio-ts/time";
import { describe, expect, it } from "vitest";
import { ConcurrentHandle, toPromise } from "../src/index.js";
import { captureExceptions, collectUntil, forever, hasGc, settled } from "./helpers.js";

function* answer(): Coroutine<number> {
  yield* sleep(1);
  return 42;
}

describe("toPromise: coroutines", () => {
  it("schedules a coroutine as a task on the running loop and resolves with its result", async () => {
    let p!: Promise<number>;
    let tasksBefore = 0;
    let tasksAfter = 0;
    await runVirtual(
      (function* () {
        tasksBefore = allTasks().size;
        p = toPromise(answer());
        tasksAfter = allTasks().size;
        expect(p).toBeInstanceOf(Promise);
        yield* sleep(2);
      })(),
    );
    expect(tasksAfter).toBe(tasksBefore + 1);
    expect(await p).toBe(42);
  });

  it("the coroutine runs in its own task, concurrently with the caller", async () => {
    const log: string[] = [];
    await runVirtual(
      (function* () {
        const main = currentTask();
        const p = toPromise(
          (function* () {
            log.push(`own task: ${currentTask() !== main}`);
            yield* sleep(0);
            log.push("child done");
          })(),
        );
        log.push("caller goes on");
        yield* sleep(1);
        void p;
      })(),
    );
    expect(log).toEqual(["caller goes on", "own task: true", "child done"]);
  });

  it("native code can await it while the loop runs", async () => {
    const out: unknown[] = [];
    await runVirtual(
      (function* () {
        const p = toPromise(answer());
        p.then((v) => out.push(v));
        yield* sleep(5);
      })(),
    );
    expect(out).toEqual([42]);
  });

  it("a failing coroutine rejects with its exception, the same object", async () => {
    const boom = new Error("boom");
    let p!: Promise<["ok" | "err", unknown]>;
    await runVirtual(
      (function* () {
        // Handled at once, as native code must: a Promise nobody handles is reported by Node.
        p = settled(
          toPromise(
            (function* (): Coroutine<never> {
              yield* sleep(1);
              throw boom;
            })(),
          ),
        );
        yield* sleep(2);
      })(),
    );
    expect(await p).toEqual(["err", boom]);
  });

  it("accepts an awaitable object (wrapped in a task, as ensureFuture)", async () => {
    let p!: Promise<string>;
    await runVirtual(
      (function* () {
        p = toPromise({
          *[Symbol.iterator]() {
            yield* sleep(1);
            return "awaitable";
          },
        });
        yield* sleep(2);
      })(),
    );
    expect(await p).toBe("awaitable");
  });

  it("a coroutine without a running loop is RuntimeError('no running event loop')", () => {
    expect(() => toPromise(answer())).toThrow(RuntimeError);
    expect(() => toPromise(answer())).toThrow("no running event loop");
  });
});

describe("toPromise: Tasks and Futures", () => {
  it("follows a Task: resolves with its result", async () => {
    let p!: Promise<number>;
    await runVirtual(
      (function* () {
        const t = createTask(answer());
        p = toPromise(t);
        yield* t;
      })(),
    );
    expect(await p).toBe(42);
  });

  it("a cancelled Task rejects with CancelledError, keeping the message", async () => {
    let p!: Promise<["ok" | "err", unknown]>;
    await runVirtual(
      (function* () {
        const t = createTask(forever());
        p = settled(toPromise(t));
        yield* sleep(0);
        t.cancel("enough");
        yield* sleep(0);
        yield* sleep(0);
      })(),
    );
    const [kind, err] = await p;
    expect(kind).toBe("err");
    expect(err).toBeInstanceOf(CancelledError);
    expect((err as Error).message).toBe("enough");
  });

  it("follows a Future: result, exception, cancellation", async () => {
    const boom = new TypeError("typed");
    const ps = await runVirtual(
      (function* () {
        const loop = getRunningLoop();
        const ok = loop.createFuture<string>();
        const bad = loop.createFuture<string>();
        const gone = loop.createFuture<string>();
        const out = [toPromise(ok), toPromise(bad), toPromise(gone)].map(settled);
        loop.callSoon(() => ok.setResult("fine"));
        loop.callSoon(() => bad.setException(boom));
        loop.callSoon(() => gone.cancel("bye"));
        yield* sleep(0);
        return { out };
      })(),
    );
    expect(await ps.out[0]).toEqual(["ok", "fine"]);
    expect(await ps.out[1]).toEqual(["err", boom]);
    const [kind, err] = (await ps.out[2])!;
    expect(kind).toBe("err");
    expect((err as Error).message).toBe("bye");
  });

  it("needs no running loop for a Future; it settles when the loop completes it", async () => {
    const loop = new VirtualTimeEventLoop();
    const fut = new Future<number>(loop);
    const p = toPromise(fut);
    loop.callLater(3, () => fut.setResult(3));
    await loop.runUntilComplete(fut);
    expect(await p).toBe(3);
    loop.close();
  });

  it("a Future already done settles at once", async () => {
    const loop = new VirtualTimeEventLoop();
    const fut = new Future<string>(loop);
    fut.setResult("done");
    expect(await toPromise(fut)).toBe("done");
    loop.close();
  });

  it("works with run(): a Task's Promise outlives the loop", async () => {
    let p!: Promise<number>;
    const r = await run(
      (function* () {
        const t: Task<number> = createTask(
          // biome-ignore lint/correctness/useYield: finishes at its first step.
          (function* () {
            return 7;
          })(),
        );
        p = toPromise(t);
        return yield* t;
      })(),
    );
    expect(r).toBe(7);
    expect(await p).toBe(7);
  });
});

describe.skipIf(!hasGc)("toPromise: the exception counts as retrieved", () => {
  it("no 'exception was never retrieved' report for a failed Task followed by toPromise", async () => {
    const loop = new VirtualTimeEventLoop();
    const seen = captureExceptions(loop);
    let ref!: WeakRef<object>;
    let p!: Promise<unknown>;
    await (async () => {
      await loop.runUntilComplete(
        (function* () {
          const t = createTask(
            (function* (): Coroutine<never> {
              yield* sleep(0);
              throw new Error("seen through the Promise");
            })(),
          );
          ref = new WeakRef(t);
          p = toPromise(t).catch((e: unknown) => e);
          yield* sleep(1);
        })(),
      );
    })();
    expect(((await p) as Error).message).toBe("seen through the Promise");
    expect(await collectUntil(() => ref.deref() === undefined)).toBe(true);
    expect(seen).toEqual([]);
    loop.close();
  });

  it("(control) the same Task without toPromise is reported", async () => {
    const loop = new VirtualTimeEventLoop();
    const seen = captureExceptions(loop);
    await (async () => {
      await loop.runUntilComplete(
        (function* () {
          createTask(
            (function* (): Coroutine<never> {
              yield* sleep(0);
              throw new Error("nobody looks");
            })(),
          );
          yield* sleep(1);
        })(),
      );
    })();
    expect(await collectUntil(() => seen.length > 0)).toBe(true);
    expect(seen[0]?.message).toBe("Task exception was never retrieved");
    loop.close();
  });
});

describe("toPromise: bad input", () => {
  it("a Promise is a TypeError saying it already is one", () => {
    expect(() => toPromise(Promise.resolve(1) as never)).toThrow(TypeError);
    expect(() => toPromise(Promise.resolve(1) as never)).toThrow(
      "Expected `aw` to be a coroutine, Future, Task or awaitable, got `[Promise]` (object): it already is a Promise (PromiseLike), await it directly",
    );
  });

  it("a ConcurrentHandle is PromiseLike already", () => {
    const loop = new VirtualTimeEventLoop();
    const handle = new ConcurrentHandle<number>(loop);
    expect(() => toPromise(handle as never)).toThrow(/it already is a Promise \(PromiseLike\)/);
    loop.close();
  });

  it.each([
    [42, "`42` (number)"],
    [null, "`null` (object)"],
    [undefined, "`undefined` (undefined)"],
    ["text", '`"text"` (string)'],
  ])("%s is a TypeError naming the value", (bad, shown) => {
    expect(() => toPromise(bad as never)).toThrow(
      `Expected \`aw\` to be a coroutine, Future, Task or awaitable, got ${shown}`,
    );
  });
});
