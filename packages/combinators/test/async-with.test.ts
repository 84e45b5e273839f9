// asyncWith(new TaskGroup(), body): Python's `async with asyncio.TaskGroup() as tg:` through
// aenter()/aexit(). Each scenario runs with both spellings and must behave the same.
// biome-ignore-all lint/correctness/useYield: bodies need not await (Python's `async with` blocks without `await`).
import {
  asyncWith,
  CancelledError,
  type Coroutine,
  createTask,
  currentTask,
  ExceptionGroup,
  RuntimeError,
  type Task,
} from "@asyncio-ts/core";
import { runVirtual } from "@asyncio-ts/testing";
import { sleep } from "@asyncio-ts/time";
import { describe, expect, it } from "vitest";
import { TaskGroup, taskGroup } from "../src/index.js";
import { now, thrown } from "./helpers.js";

function* fail(delay: number, error: unknown): Coroutine<never> {
  yield* sleep(delay);
  throw error;
}

/** A child that records how it ended. */
function* tracked(log: string[], label: string, delay: number): Coroutine<string> {
  try {
    yield* sleep(delay);
    log.push(`${label} done`);
    return label;
  } catch (e) {
    log.push(`${label} ${e instanceof CancelledError ? "cancelled" : "failed"}`);
    throw e;
  }
}

type Scope = <T>(body: (tg: TaskGroup) => Coroutine<T>) => Coroutine<T>;

const forms: [string, Scope][] = [
  ["asyncWith(new TaskGroup(), body)", (body) => asyncWith(new TaskGroup(), body)],
  ["taskGroup(body)", (body) => taskGroup(body)],
];

describe.each(forms)("%s", (_name, scope) => {
  it("gives the group to the body, waits for every child and returns the body's result", async () => {
    const r = await runVirtual(
      (function* () {
        const log: string[] = [];
        let group: TaskGroup | null = null;
        const v = yield* scope(function* (tg) {
          group = tg;
          tg.createTask(tracked(log, "a", 0.2));
          tg.createTask(tracked(log, "b", 0.1));
          return "body";
        });
        return {
          v,
          log,
          t: now(),
          cancelling: currentTask()!.cancelling(),
          isGroup: group! instanceof TaskGroup,
        };
      })(),
    );
    expect(r).toEqual({
      v: "body",
      log: ["b done", "a done"],
      t: 0.2,
      cancelling: 0,
      isGroup: true,
    });
  });

  it("cancels the other children and the body when one fails, then raises ExceptionGroup", async () => {
    const r = await runVirtual(
      (function* () {
        const log: string[] = [];
        const boom = new Error("boom");
        const e = yield* thrown(
          scope(function* (tg) {
            tg.createTask(tracked(log, "sibling", 1));
            tg.createTask(fail(0.1, boom));
            try {
              yield* sleep(5);
            } catch (err) {
              log.push(`body ${(err as Error).name}`);
              throw err;
            }
          }),
        );
        return { e, boom, log, t: now(), cancelling: currentTask()!.cancelling() };
      })(),
    );
    expect(r.e).toBeInstanceOf(ExceptionGroup);
    const g = r.e as ExceptionGroup;
    expect(g.message).toBe("unhandled errors in a TaskGroup");
    expect(g.exceptions).toEqual([r.boom]);
    // Python raises it `from None`: the body's CancelledError is not chained on.
    expect(g.cause).toBeUndefined();
    expect(r.log).toEqual(["sibling cancelled", "body CancelledError"]);
    expect(r.t).toBe(0.1);
    expect(r.cancelling).toBe(0);
  });

  it("raises the body's own error in the ExceptionGroup, after cancelling the children", async () => {
    const r = await runVirtual(
      (function* () {
        const log: string[] = [];
        const body = new Error("body");
        const e = (yield* thrown(
          scope(function* (tg) {
            tg.createTask(tracked(log, "child", 1));
            yield* sleep(0.5);
            throw body;
          }),
        )) as ExceptionGroup;
        return { same: e.exceptions.length === 1 && e.exceptions[0] === body, log, t: now() };
      })(),
    );
    expect(r).toEqual({ same: true, log: ["child cancelled"], t: 0.5 });
  });

  it("propagates a cancellation of the parent from outside, cancelling the children", async () => {
    const r = await runVirtual(
      (function* () {
        const log: string[] = [];
        const worker = createTask(
          scope(function* (tg) {
            tg.createTask(tracked(log, "child", 1));
            yield* sleep(5);
          }),
        );
        yield* sleep(0.1);
        worker.cancel("stop");
        const e = yield* thrown(worker);
        return { e, log, cancelled: worker.cancelled(), cancelling: worker.cancelling() };
      })(),
    );
    expect(r.e).toBeInstanceOf(CancelledError);
    expect((r.e as Error).message).toBe("stop");
    expect(r.log).toEqual(["child cancelled"]);
    expect(r.cancelled).toBe(true);
    expect(r.cancelling).toBe(1);
  });

  it("raises errors rather than an outer cancellation, and keeps the cancellation pending", async () => {
    const r = await runVirtual(
      (function* () {
        let inside: unknown = null;
        let after: unknown = null;
        const worker = createTask(
          (function* () {
            try {
              yield* scope(function* (tg) {
                tg.createTask(fail(0.1, new Error("x")));
                yield* sleep(5);
              });
            } catch (e) {
              inside = e;
            }
            after = currentTask()!.cancelling();
            yield* sleep(1);
          })(),
        );
        yield* sleep(0.1);
        worker.cancel();
        yield* thrown(worker);
        return { inside, after, cancelled: worker.cancelled(), t: now() };
      })(),
    );
    expect(r.inside).toBeInstanceOf(ExceptionGroup);
    expect(r.after).toBe(1);
    expect(r.cancelled).toBe(true);
    expect(r.t).toBe(0.1);
  });
});

describe("TaskGroup aenter()/aexit()", () => {
  it("aenter() enters and gives the group; aexit(null) waits for the children and gives undefined", async () => {
    const r = await runVirtual(
      (function* () {
        const tg = new TaskGroup();
        const entered = yield* tg.aenter();
        const child = tg.createTask(sleep(1, "child"));
        const exited = yield* tg.aexit(null);
        return { same: entered === tg, exited, child: child.result(), t: now() };
      })(),
    );
    expect(r).toEqual({ same: true, exited: undefined, child: "child", t: 1 });
  });

  it("a group entered twice through asyncWith raises RuntimeError, and the first scope still waits", async () => {
    const r = await runVirtual(
      (function* () {
        const tg = new TaskGroup();
        let child: Task<number> | null = null;
        const e = yield* thrown(
          asyncWith(tg, function* (g) {
            child = g.createTask(sleep(1, 1));
            yield* asyncWith(tg, function* () {});
          }),
        );
        return { e, childCancelled: child!.cancelled() };
      })(),
    );
    expect(r.e).toBeInstanceOf(ExceptionGroup);
    const inner = (r.e as ExceptionGroup).exceptions[0];
    expect(inner).toBeInstanceOf(RuntimeError);
    expect((inner as Error).message).toMatch(/has already been entered$/);
    expect(r.childCancelled).toBe(true);
  });
});
