// asyncWith(executor, body): Python's `with executor:` (shutdown(wait=True) at exit), awaited from
// a coroutine without blocking the loop.
// biome-ignore-all lint/correctness/useYield: bodies need not await (Python's `with` blocks without `await`).
import {
  type AsyncContextManager,
  asyncWith,
  CancelledError,
  type Coroutine,
  createTask,
  getRunningLoop,
} from "@asyncio-ts/core";
import { runVirtual } from "@asyncio-ts/testing";
import { sleep } from "@asyncio-ts/time";
import { describe, expect, it } from "vitest";
import type { ExecutorFuture, ProcessPoolExecutor, ThreadPoolExecutor } from "../src/index.js";
import { POOLS } from "./helpers.js";

function block(ms: number) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  return ms;
}

const SHUT = "cannot schedule new futures after shutdown";

type Pool = ThreadPoolExecutor | ProcessPoolExecutor;

/** `ex` typed for `asyncWith`: TypeScript infers no `aenter()` result across the pools' union. */
function cm(ex: Pool): AsyncContextManager<Pool, false> {
  return ex;
}

describe.each(POOLS)("asyncWith($Executor.name)", ({ Executor }) => {
  it("gives the executor to the body, returns its result, and shuts it down after its jobs at exit", async () => {
    const ex = new Executor({ maxWorkers: 2 });
    const r = await runVirtual(
      (function* () {
        let job: ExecutorFuture<number> | null = null;
        const v = yield* asyncWith(cm(ex), function* (value) {
          job = value.submit(block, 50);
          return { same: value === ex, doneInside: job.done() };
        });
        return { v, doneAfter: job!.done(), result: job!.result() };
      })(),
    );
    expect(r).toEqual({ v: { same: true, doneInside: false }, doneAfter: true, result: 50 });
    expect(() => ex.submit(block, 1)).toThrow(SHUT);
  });

  it("keeps the loop running while it waits for the shutdown", async () => {
    const ex = new Executor({ maxWorkers: 1 });
    const log = await runVirtual(
      (function* () {
        const log: string[] = [];
        const ticker = createTask(
          (function* (): Coroutine<void> {
            for (let i = 0; i < 3; i++) {
              log.push(`tick ${i}`);
              yield* sleep(0);
            }
          })(),
        );
        yield* asyncWith(cm(ex), function* (value) {
          value.submit(block, 100);
          log.push("body done");
        });
        log.push("exited");
        yield* ticker;
        return log;
      })(),
    );
    expect(log).toEqual(["body done", "tick 0", "tick 1", "tick 2", "exited"]);
  });

  it("shuts down when the body throws, and rethrows the same error", async () => {
    const ex = new Executor({ maxWorkers: 1 });
    const boom = new Error("boom");
    let job: ExecutorFuture<number> | null = null;
    const e = await runVirtual(
      (function* () {
        try {
          yield* asyncWith(cm(ex), function* (value) {
            job = value.submit(block, 30);
            throw boom;
          });
        } catch (e) {
          return e;
        }
        return null;
      })(),
    );
    expect(e).toBe(boom);
    expect(e).not.toHaveProperty("cause");
    expect(job!.result()).toBe(30);
    expect(() => ex.submit(block, 1)).toThrow(SHUT);
  });

  it("shuts down when the task is cancelled inside the body; the CancelledError propagates", async () => {
    const ex = new Executor({ maxWorkers: 1 });
    const r = await runVirtual(
      (function* () {
        let job: ExecutorFuture<number> | null = null;
        const t = createTask(
          asyncWith(cm(ex), function* (value) {
            job = value.submit(block, 30);
            yield* sleep(3600);
          }),
        );
        yield* sleep(0);
        t.cancel("stop");
        let e: unknown = null;
        try {
          yield* t;
        } catch (err) {
          e = err;
        }
        return { e, cancelled: t.cancelled(), job: job!.result(), t: getRunningLoop().time() };
      })(),
    );
    expect(r.e).toBeInstanceOf(CancelledError);
    expect((r.e as Error).message).toBe("stop");
    expect(r).toMatchObject({ cancelled: true, job: 30, t: 0 });
    expect(() => ex.submit(block, 1)).toThrow(SHUT);
  });

  it("aenter() gives the executor; aexit() shuts it down and gives undefined, also when already shut down", async () => {
    const ex = new Executor({ maxWorkers: 1 });
    const r = await runVirtual(
      (function* () {
        const entered = yield* ex.aenter();
        const f = ex.submit(block, 10);
        const exited = yield* ex.aexit(null);
        const again = yield* ex.aexit(null);
        return { same: entered === ex, exited, again, f: f.result() };
      })(),
    );
    expect(r).toEqual({ same: true, exited: undefined, again: undefined, f: 10 });
  });
});
