import {
  type BaseEventLoop,
  CancelledError,
  type Coroutine,
  createTask,
  type Executor,
  getRunningLoop,
  RuntimeError,
  run,
} from "@asyncio-ts/core";
import { runVirtual } from "@asyncio-ts/testing";
import { sleep } from "@asyncio-ts/time";
import { describe, expect, it } from "vitest";
import {
  BrokenThreadPool,
  ExecutorFuture,
  ProcessPoolExecutor,
  runInExecutor,
  ThreadPoolExecutor,
  toThread,
  wrapFuture,
} from "../src/index.js";
import { JOBS_URL, jobs, marks, osThreads, pause, tempFile } from "./helpers.js";

function block(ms: number) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  return ms;
}

function add(a: number, b: number) {
  return a + b;
}

function square(x: number) {
  return x * x;
}

function fail(message: string) {
  throw new RangeError(message);
}

function crash() {
  process.exit(9);
}

function failOn(x: number, bad: number) {
  if (x === bad) throw new RangeError(`bad ${x}`);
  return x;
}

/** The loop's default executor (an internal field of core's loop). */
function defaultExecutor(): Executor | null {
  return (getRunningLoop() as BaseEventLoop)._defaultExecutor;
}

describe("toThread and runInExecutor(null, ...)", () => {
  it("run the job in the loop's default ThreadPoolExecutor, made on first use", async () => {
    const threadsBefore = osThreads();
    let made: Executor | null = null;
    const result = await run(
      (function* (): Coroutine<unknown[]> {
        expect(defaultExecutor()).toBeNull();
        const a = yield* toThread(add, 2, 3);
        made = defaultExecutor();
        const b = yield* runInExecutor(null, add, 4, 5);
        const c = yield* getRunningLoop().runInExecutor(null, square, 6);
        expect(defaultExecutor()).toBe(made);
        return [a, b, c];
      })(),
    );
    expect(result).toEqual([5, 9, 36]);
    expect(made).toBeInstanceOf(ThreadPoolExecutor);
    // run() shut it down: it takes no more jobs and its threads are gone.
    expect(() => made!.submit(add, 1, 1)).toThrow("cannot schedule new futures after shutdown");
    // An OS thread can outlive terminate() by a moment; wait for it, don't relax the count.
    if (threadsBefore !== null) {
      await expect.poll(() => osThreads(), { timeout: 2000 }).toBe(threadsBefore);
    }
  });

  it("each loop gets its own default executor", async () => {
    const seen: Executor[] = [];
    for (let i = 0; i < 2; i++) {
      await run(
        (function* () {
          yield* toThread(add, i, i);
          seen.push(defaultExecutor()!);
        })(),
      );
    }
    expect(seen[0]).not.toBe(seen[1]);
  });

  it("toThread runs jobs in parallel with each other", async () => {
    const elapsed = await run(
      (function* () {
        // Warm up two threads, then time two 150 ms jobs.
        const w1 = createTask(toThread(block, 10));
        const w2 = createTask(toThread(block, 10));
        yield* w1;
        yield* w2;
        const t0 = performance.now();
        const t1 = createTask(toThread(block, 150));
        const t2 = createTask(toThread(block, 150));
        expect([yield* t1, yield* t2]).toEqual([150, 150]);
        return performance.now() - t0;
      })(),
    );
    expect(elapsed).toBeLessThan(280);
  });

  it("errors come back into the coroutine", async () => {
    const caught = await run(
      (function* () {
        const out: unknown[] = [];
        try {
          yield* toThread(fail, "nope");
        } catch (e) {
          out.push(e);
        }
        try {
          yield* toThread(crash);
        } catch (e) {
          out.push(e);
        }
        out.push(yield* toThread(add, 1, 1));
        return out;
      })(),
    );
    expect(caught[0]).toBeInstanceOf(RangeError);
    expect((caught[0] as Error).message).toBe("nope");
    expect(caught[1]).toBeInstanceOf(BrokenThreadPool);
    expect((caught[1] as Error).message).toMatch(/\(crash\): it exited with code 9\./);
    expect(caught[2]).toBe(2);
  });

  it("a function that cannot be sent is refused when toThread is awaited; runInExecutor at the call", async () => {
    const errors = await run(
      (function* () {
        const out: unknown[] = [];
        const coro = toThread(Math.max, 1, 2); // a coroutine: nothing happens yet
        try {
          yield* coro;
        } catch (e) {
          out.push(e);
        }
        try {
          runInExecutor(null, Math.max, 1, 2);
        } catch (e) {
          out.push(e);
        }
        return out;
      })(),
    );
    for (const e of errors) {
      expect(e).toBeInstanceOf(TypeError);
      expect((e as Error).message).toMatch(
        /^cannot send `max` to a worker: it is a native function/,
      );
    }
    expect(errors).toHaveLength(2);
  });

  it("takes module references, as stand-ins or { url, name }", async () => {
    const r = await run(
      (function* () {
        return [
          yield* toThread(jobs.fib, 12),
          yield* toThread({ url: JOBS_URL, name: "fib" }, 13),
          yield* runInExecutor(null, { url: JOBS_URL, name: "addSecret" }, 3),
        ];
      })(),
    );
    expect(r).toEqual([144, 233, 10]);
  });

  it("runInExecutor needs a running loop and an Executor", () => {
    expect(() => runInExecutor(null, add, 1, 2)).toThrow(RuntimeError);
    expect(() => runInExecutor(null, add, 1, 2)).toThrow("no running event loop");
    expect(() => runInExecutor(42 as unknown as Executor, add, 1, 2)).toThrow(
      "Expected `executor` to be an Executor (an object with submit() and shutdown()) or null, got 42",
    );
  });
});

describe("runInExecutor(executor, ...)", () => {
  it("uses the given executor, thread or process", async () => {
    const threads = new ThreadPoolExecutor({ maxWorkers: 1 });
    const processes = new ProcessPoolExecutor({ maxWorkers: 1 });
    try {
      const r = await run(
        (function* () {
          return [
            yield* runInExecutor(threads, add, 1, 2),
            yield* runInExecutor(processes, add, 3, 4),
            yield* getRunningLoop().runInExecutor(processes, square, 5),
          ];
        })(),
      );
      expect(r).toEqual([3, 7, 25]);
    } finally {
      await Promise.all([threads.shutdown(), processes.shutdown()]);
    }
  });

  it("cancelling the awaiting task removes its queued job: it never runs", async () => {
    const file = tempFile();
    const ex = new ThreadPoolExecutor({ maxWorkers: 1 });
    try {
      const out = await run(
        (function* () {
          const busy = createTask(
            (function* () {
              return yield* runInExecutor(ex, jobs.blockThenMark, 100, file, "busy");
            })(),
          );
          const victim = createTask(
            (function* () {
              return yield* runInExecutor(ex, jobs.mark, file, "victim");
            })(),
          );
          yield* sleep(0.02);
          victim.cancel();
          const after = yield* runInExecutor(ex, jobs.mark, file, "after");
          let cancelled = false;
          try {
            yield* victim;
          } catch (e) {
            cancelled = e instanceof CancelledError;
          }
          return [yield* busy, after, cancelled];
        })(),
      );
      expect(out).toEqual(["busy", "after", true]);
      expect(marks(file)).toEqual(["busy", "after"]);
    } finally {
      await ex.shutdown();
    }
  });

  it("cancelling the awaiting task does not stop a running job (it finishes)", async () => {
    const file = tempFile();
    const ex = new ThreadPoolExecutor({ maxWorkers: 1 });
    try {
      await run(
        (function* () {
          const t = createTask(
            (function* () {
              return yield* runInExecutor(ex, jobs.blockThenMark, 60, file, "ran");
            })(),
          );
          yield* sleep(0.02);
          t.cancel();
          try {
            yield* t;
          } catch {
            /* cancelled */
          }
          expect(t.cancelled()).toBe(true);
        })(),
      );
      await ex.shutdown();
      expect(marks(file)).toEqual(["ran"]);
    } finally {
      await ex.shutdown();
    }
  });

  it("with terminateOnCancel, cancelling the task stops the running job", async () => {
    const file = tempFile();
    const ex = new ThreadPoolExecutor({ maxWorkers: 1, terminateOnCancel: true });
    try {
      await run(
        (function* () {
          const t = createTask(
            (function* () {
              return yield* runInExecutor(ex, jobs.blockThenMark, 300, file, "ran");
            })(),
          );
          yield* sleep(0.05);
          t.cancel();
          try {
            yield* t;
          } catch {
            /* cancelled */
          }
        })(),
      );
      // Past the time the job would have taken, it has not written its mark.
      await pause(300);
      expect(marks(file)).toEqual([]);
    } finally {
      await ex.shutdown();
    }
  });
});

describe("under the virtual-time loop", () => {
  it("a pending job is awaited in real time: the clock does not jump past sleep(10)", async () => {
    const out = await runVirtual(
      (function* () {
        const loop = getRunningLoop();
        const sleeper = createTask(sleep(10, "slept"));
        const t0 = performance.now();
        const r = yield* toThread(block, 50);
        const real = performance.now() - t0;
        const mid = [r, loop.time(), sleeper.done(), real >= 45];
        const s = yield* sleeper;
        return [...mid, s, loop.time()];
      })(),
    );
    expect(out).toEqual([50, 0, false, true, "slept", 10]);
  });

  it("a process job too, and no deadlock is reported while it runs", async () => {
    const ex = new ProcessPoolExecutor({ maxWorkers: 1 });
    try {
      const out = await runVirtual(
        (function* () {
          const r = yield* runInExecutor(ex, block, 50);
          return [r, getRunningLoop().time()];
        })(),
      );
      expect(out).toEqual([50, 0]);
    } finally {
      await ex.shutdown();
    }
  });
});

describe("map() in coroutines", () => {
  it("iterates awaitables in order, or collects with toArray()", async () => {
    const ex = new ThreadPoolExecutor({ maxWorkers: 2 });
    try {
      const out = await runVirtual(
        (function* () {
          const seen: number[] = [];
          for (const next of ex.map(square, [1, 2, 3])) seen.push(yield* next);
          const all = yield* ex.map(add, [1, 2, 3], [10, 20, 30], { chunksize: 2 }).toArray();
          return [seen, all];
        })(),
      );
      expect(out).toEqual([
        [1, 4, 9],
        [11, 22, 33],
      ]);
    } finally {
      await ex.shutdown();
    }
  });

  it("an error ends the loop and cancels the jobs that have not started", async () => {
    const file = tempFile();
    const ex = new ThreadPoolExecutor({ maxWorkers: 1 });
    try {
      const out = await run(
        (function* () {
          const got: unknown[] = [];
          try {
            for (const next of ex.map(failOn, [1, 2, 3], [2, 2, 2])) got.push(yield* next);
          } catch (e) {
            got.push((e as Error).message);
          }
          const marked = ex.map(jobs.blockThenMark, [40, 40, 40, 40], Array(4).fill(file), [
            "a",
            "b",
            "c",
            "d",
          ]);
          for (const next of marked) {
            if ((yield* next) === "a") break;
          }
          return got;
        })(),
      );
      expect(out).toEqual([1, "bad 2"]);
      await ex.shutdown();
      expect(marks(file)).toEqual(["a", "b"]);
    } finally {
      await ex.shutdown();
    }
  });
});

describe("wrapFuture", () => {
  it("is core's, and turns an ExecutorFuture into an asyncio Future", async () => {
    const ex = new ThreadPoolExecutor({ maxWorkers: 1 });
    try {
      const r = await run(
        (function* () {
          const cf = ex.submit(add, 20, 22);
          expect(cf).toBeInstanceOf(ExecutorFuture);
          return yield* wrapFuture(cf);
        })(),
      );
      expect(r).toBe(42);
    } finally {
      await ex.shutdown();
    }
  });
});
