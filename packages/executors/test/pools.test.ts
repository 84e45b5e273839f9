import { CancelledError, InvalidStateError, RuntimeError } from "@asyncio-ts/core";
import { describe, expect, it } from "vitest";
import {
  BrokenExecutor,
  BrokenProcessPool,
  BrokenThreadPool,
  ProcessPoolExecutor,
  ThreadPoolExecutor,
} from "../src/index.js";
import {
  alive,
  jobs,
  marks,
  osThreads,
  POOLS,
  pause,
  rejection,
  tempFile,
  until,
} from "./helpers.js";

// Self-contained functions: each is shipped to the worker as source.

function block(ms: number) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  return ms;
}

function timedBlock(ms: number) {
  const start = Date.now();
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  return [start, Date.now()];
}

// Spins the CPU for `ms`: two of these overlap on two cores (a thread is not held by a lock).
function busyWait(ms: number) {
  const start = Date.now();
  while (Date.now() - start < ms) {
    // spin
  }
  return [start, Date.now()];
}

// A global of this (main) thread that no worker has.
declare const asyncioTsMainOnly: number;
(globalThis as Record<string, unknown>).asyncioTsMainOnly = 5;

function usesMainOnly(x: number) {
  return asyncioTsMainOnly + x;
}

function square(x: number) {
  return x * x;
}

function add(a: number, b: string) {
  return `${a}${b}`;
}

function echo(x: unknown) {
  return x;
}

function kinds(v: Record<string, unknown>) {
  return {
    map: v.map instanceof Map,
    set: v.set instanceof Set,
    date: v.date instanceof Date,
    big: typeof v.big,
    u8: v.u8 instanceof Uint8Array,
    f64: v.f64 instanceof Float64Array,
    i64: v.i64 instanceof BigInt64Array,
    re: v.re instanceof RegExp,
  };
}

async function asyncDouble(x: number) {
  await new Promise((resolve) => setTimeout(resolve, 5));
  return 2 * x;
}

function throwTypeError(message: string) {
  throw new TypeError(message);
}

function throwWithCause() {
  throw new Error("outer", { cause: new RangeError("inner") });
}

function throwAggregate() {
  throw new AggregateError([new TypeError("a"), new Error("b")], "both");
}

function throwValue(v: unknown) {
  throw v;
}

function returnFunction() {
  return () => 1;
}

function crash(code: number) {
  process.exit(code);
}

function killSelf() {
  process.kill(process.pid, "SIGKILL");
}

function eatMemory() {
  const hoard = [];
  for (;;) hoard.push(new Array(100_000).fill(1.5));
}

async function lateThrow() {
  setTimeout(() => {
    throw new TypeError("thrown later");
  }, 0);
  await new Promise((resolve) => setTimeout(resolve, 100));
  return "not reached";
}

function failOn(x: number, bad: number) {
  if (x === bad) throw new RangeError(`bad ${x}`);
  return x;
}

const sample = () => ({
  map: new Map<unknown, unknown>([
    ["a", 1],
    [2, new Set([1n, "x"])],
  ]),
  set: new Set([1, "two", 3n]),
  date: new Date(1_700_000_000_000),
  big: 2n ** 70n,
  u8: new Uint8Array([1, 2, 255]),
  f64: new Float64Array([0.5, -1, Number.POSITIVE_INFINITY]),
  i64: new BigInt64Array([-(2n ** 63n), 5n]),
  re: /a+b/gi,
  nested: [{ deep: [null, undefined, Number.NaN, "é✓"] }],
});

describe.each(POOLS)("$Executor.name", ({ kind, Executor, Broken }) => {
  it("runs two 200 ms blocking jobs in parallel in a pool of 2 (< 350 ms)", async () => {
    const ex = new Executor({ maxWorkers: 2 });
    try {
      // Start both workers first: a child process takes ~100 ms to boot.
      await Promise.all([ex.submit(block, 20), ex.submit(block, 20)]);
      const t0 = performance.now();
      const spans = await Promise.all([ex.submit(timedBlock, 200), ex.submit(timedBlock, 200)]);
      const elapsed = performance.now() - t0;
      expect(elapsed).toBeGreaterThanOrEqual(190);
      expect(elapsed).toBeLessThan(350);
      // The two jobs overlapped in time.
      const [a, b] = spans as [number[], number[]];
      expect(Math.max(a[0]!, b[0]!)).toBeLessThan(Math.min(a[1]!, b[1]!));
    } finally {
      await ex.shutdown();
    }
  });

  it("runs two CPU-bound jobs at the same time (their spans overlap)", async () => {
    const ex = new Executor({ maxWorkers: 2 });
    try {
      await Promise.all([ex.submit(block, 20), ex.submit(block, 20)]);
      const [a, b] = (await Promise.all([ex.submit(busyWait, 150), ex.submit(busyWait, 150)])) as [
        number[],
        number[],
      ];
      expect(Math.max(a[0]!, b[0]!)).toBeLessThan(Math.min(a[1]!, b[1]!));
    } finally {
      await ex.shutdown();
    }
  });

  it("runs at most maxWorkers jobs at a time, in submission order", async () => {
    const ex = new Executor({ maxWorkers: 2 });
    try {
      const spans = (await Promise.all(
        [0, 1, 2, 3, 4].map(() => ex.submit(timedBlock, 40)),
      )) as number[][];
      for (const [i, [start]] of spans.entries()) {
        const running = spans.filter(([s, e]) => s! <= start! && start! < e!).length;
        expect(running, `jobs running when job ${i} started`).toBeLessThanOrEqual(2);
      }
      // The third job starts only when one of the first two has ended.
      expect(spans[2]![0]).toBeGreaterThanOrEqual(Math.min(spans[0]![1]!, spans[1]![1]!) - 2);
    } finally {
      await ex.shutdown();
    }
  });

  it("passes arguments and returns results", async () => {
    const ex = new Executor({ maxWorkers: 1 });
    try {
      expect(await ex.submit(square, 12)).toBe(144);
      expect(await ex.submit(add, 1, "x")).toBe("1x");
      expect(await ex.submit(asyncDouble, 21)).toBe(42);
      expect(await ex.submit((x: number) => x + 1, 1)).toBe(2);
      expect(await ex.submit(jobs.fib, 20)).toBe(6765);
      expect(await ex.submit(jobs.addSecret, 1)).toBe(8);
      const cf = ex.submit(square, 3);
      expect(await cf).toBe(9);
      expect(cf.done()).toBe(true);
      expect(cf.result()).toBe(9);
      expect(cf.exception()).toBeNull();
    } finally {
      await ex.shutdown();
    }
  });

  it("calls the same functions over and over on the same workers", async () => {
    const ex = new Executor({ maxWorkers: 2 });
    try {
      const calls: PromiseLike<unknown>[] = [];
      const expected: unknown[] = [];
      for (let i = 0; i < 60; i++) {
        if (i % 3 === 0) {
          calls.push(ex.submit(square, i));
          expected.push(i * i);
        } else if (i % 3 === 1) {
          calls.push(ex.submit(add, i, "s"));
          expected.push(`${i}s`);
        } else {
          calls.push(ex.submit(jobs.fib, i % 10));
          expected.push([0, 1, 1, 2, 3, 5, 8, 13, 21, 34][i % 10]);
        }
      }
      expect(await Promise.all(calls)).toEqual(expected);
    } finally {
      await ex.shutdown();
    }
  });

  it("fails every call of a function using a global the worker lacks, with a ReferenceError", async () => {
    const ex = new Executor({ maxWorkers: 1 });
    try {
      for (const id of [1, 2]) {
        const err = (await rejection(ex.submit(usesMainOnly, 1))) as Error;
        expect(err).toBeInstanceOf(ReferenceError);
        expect(err.message).toBe(
          `asyncioTsMainOnly is not defined in the worker: job #${id} (usesMainOnly) uses the ` +
            "global `asyncioTsMainOnly`, which the main thread has and a worker does not; pass " +
            "the value as an argument instead",
        );
      }
      expect(await ex.submit(square, 3)).toBe(9);
    } finally {
      await ex.shutdown();
    }
  });

  it("round-trips Map, Set, Date, BigInt, typed arrays, RegExp and nested values", async () => {
    const ex = new Executor({ maxWorkers: 1 });
    try {
      expect(await ex.submit(echo, sample())).toEqual(sample());
      expect(await ex.submit(kinds, sample())).toEqual({
        map: true,
        set: true,
        date: true,
        big: "bigint",
        u8: true,
        f64: true,
        i64: true,
        re: true,
      });
      const back = (await ex.submit(echo, sample())) as ReturnType<typeof sample>;
      expect(back.i64).toBeInstanceOf(BigInt64Array);
      expect(back.re.flags).toBe("gi");
      expect(Object.is((await ex.submit(echo, -0)) as number, -0)).toBe(true);
    } finally {
      await ex.shutdown();
    }
  });

  it("sends errors back with their name, message, stack, cause and data", async () => {
    const ex = new Executor({ maxWorkers: 1 });
    try {
      const te = (await rejection(ex.submit(throwTypeError, "boom"))) as TypeError;
      expect(te).toBeInstanceOf(TypeError);
      expect(te.message).toBe("boom");
      expect(te.stack).toMatch(
        /^TypeError: boom\n\s+at throwTypeError \(asyncio-ts-job:throwTypeError:/,
      );
      expect(te.stack).not.toContain("run-job.mjs");

      const custom = (await rejection(ex.submit(jobs.throwCustom, "custom"))) as Error & {
        code?: string;
      };
      expect(custom.constructor).toBe(Error);
      expect(custom.name).toBe("CustomError");
      expect(custom.message).toBe("custom");
      expect(custom.code).toBe("E_CUSTOM");
      expect(custom.stack).toContain("fixtures/jobs.mjs");

      const outer = (await rejection(ex.submit(throwWithCause))) as Error;
      expect(outer.message).toBe("outer");
      expect(outer.cause).toBeInstanceOf(RangeError);
      expect((outer.cause as Error).message).toBe("inner");

      const agg = (await rejection(ex.submit(throwAggregate))) as AggregateError;
      expect(agg).toBeInstanceOf(AggregateError);
      expect(agg.errors.map((e: Error) => `${e.name}: ${e.message}`)).toEqual([
        "TypeError: a",
        "Error: b",
      ]);

      expect(await rejection(ex.submit(throwValue, 42))).toBe(42);
      expect(await rejection(ex.submit(throwValue, { why: new Map([[1, 2]]) }))).toEqual({
        why: new Map([[1, 2]]),
      });

      const clone = (await rejection(ex.submit(returnFunction))) as Error;
      expect(clone.name).toBe("DataCloneError");
      expect(clone.message).toMatch(
        /^the result of job #\d+ \(returnFunction\) cannot be sent back from the worker: .*could not be cloned/,
      );
      // The worker survived all of that.
      expect(await ex.submit(square, 5)).toBe(25);
    } finally {
      await ex.shutdown();
    }
  });

  it("cancels a queued job: it never runs", async () => {
    const file = tempFile();
    const ex = new Executor({ maxWorkers: 1 });
    try {
      const a = ex.submit(jobs.blockThenMark, 150, file, "a");
      const b = ex.submit(jobs.mark, file, "b");
      const c = ex.submit(jobs.mark, file, "c");
      await until(() => a.running());
      expect(b.running()).toBe(false);
      expect(b.cancel()).toBe(true);
      expect(b.cancelled()).toBe(true);
      expect(b.done()).toBe(true);
      expect(b.cancel()).toBe(true);
      expect(await Promise.all([a, c])).toEqual(["a", "c"]);
      expect(await rejection(b)).toBeInstanceOf(CancelledError);
      expect(() => b.result()).toThrow(CancelledError);
      expect(marks(file)).toEqual(["a", "c"]);
    } finally {
      await ex.shutdown();
    }
  });

  it("does not cancel a running job: it finishes (as Python)", async () => {
    const file = tempFile();
    const ex = new Executor({ maxWorkers: 1 });
    try {
      const a = ex.submit(jobs.blockThenMark, 60, file, "a");
      await until(() => a.running());
      expect(a.cancel()).toBe(false);
      expect(a.cancelled()).toBe(false);
      expect(await a).toBe("a");
      expect(a.cancel()).toBe(false);
      expect(marks(file)).toEqual(["a"]);
    } finally {
      await ex.shutdown();
    }
  });

  it("terminates a running job on cancel() with terminateOnCancel, and goes on", async () => {
    const file = tempFile();
    const ex = new Executor({ maxWorkers: 1, terminateOnCancel: true });
    try {
      const before = (await ex.submit(jobs.whereAmI)) as { pid: number; threadId: number };
      const a = ex.submit(jobs.blockThenMark, 300, file, "a");
      const queued = ex.submit(jobs.mark, file, "queued");
      await until(() => a.running());
      const t0 = performance.now();
      expect(queued.cancel()).toBe(true);
      expect(a.cancel()).toBe(true);
      expect(a.cancelled()).toBe(true);
      expect(await rejection(a)).toBeInstanceOf(CancelledError);
      const after = (await ex.submit(jobs.whereAmI)) as { pid: number; threadId: number };
      // A new worker took over; the old process is gone.
      if (kind === "thread") expect(after.threadId).not.toBe(before.threadId);
      else {
        expect(after.pid).not.toBe(before.pid);
        expect(alive(before.pid)).toBe(false);
      }
      // Past the time the job would have taken, it has not written its mark.
      await pause(Math.max(0, 350 - (performance.now() - t0)));
      expect(marks(file)).toEqual([]);
    } finally {
      await ex.shutdown();
    }
  });

  it("fails only the job whose worker exits, and recovers", async () => {
    const ex = new Executor({ maxWorkers: 2 });
    try {
      const survivor = ex.submit(block, 150);
      const err = (await rejection(ex.submit(crash, 3))) as Error;
      expect(err).toBeInstanceOf(BrokenExecutor);
      expect(err).toBeInstanceOf(RuntimeError);
      expect(err).toBeInstanceOf(kind === "thread" ? BrokenThreadPool : BrokenProcessPool);
      expect(err.name).toBe(Broken);
      expect(err.message).toMatch(
        /^A (worker thread|child process) died while running job #2 \(crash\): it exited with code 3\. Only that job failed; the pool starts a new (thread|process) for the next jobs\.$/,
      );
      expect(err.cause).toBeInstanceOf(Error);
      expect(await survivor).toBe(150);
      expect(await Promise.all([ex.submit(square, 4), ex.submit(square, 5)])).toEqual([16, 25]);
    } finally {
      await ex.shutdown();
    }
  });

  it("rejects submit() after shutdown() with Python's RuntimeError", async () => {
    const ex = new Executor({ maxWorkers: 1 });
    await ex.shutdown();
    expect(() => ex.submit(square, 1)).toThrow(RuntimeError);
    expect(() => ex.submit(square, 1)).toThrow("cannot schedule new futures after shutdown");
    expect(() => ex.map(square, [1])).toThrow("cannot schedule new futures after shutdown");
    await ex.shutdown({ wait: true });
  });

  it("shutdown() lets submitted jobs finish, then stops every worker", async () => {
    const threadsBefore = osThreads();
    // Pipes are left out: the test runner's own stdio pipes come and go as it writes.
    const handles = () =>
      process
        .getActiveResourcesInfo()
        .filter((r) => /Worker|Process|MessagePort|Signal/.test(r))
        .sort();
    const handlesBefore = handles();
    const ex = new Executor({ maxWorkers: 2 });
    const fs = [0, 1, 2, 3].map(() => ex.submit(jobs.whereAmI));
    const slow = ex.submit(block, 50);
    await Promise.all(fs);
    if (kind === "thread" && threadsBefore !== null) {
      expect(osThreads()).toBeGreaterThan(threadsBefore);
    }
    await ex.shutdown();
    expect(slow.done()).toBe(true);
    expect(await slow).toBe(50);
    const where = (await Promise.all(fs)) as { pid: number; threadId: number }[];
    if (kind === "process") {
      const pids = new Set(where.map((w) => w.pid));
      expect(pids.has(process.pid)).toBe(false);
      for (const pid of pids) expect(alive(pid), `child ${pid} is gone`).toBe(false);
    } else if (threadsBefore !== null) {
      // An OS thread can outlive terminate() by a moment; wait for it, don't relax the count.
      await expect.poll(() => osThreads(), { timeout: 2000 }).toBe(threadsBefore);
    }
    // Nothing new is left behind (handles of earlier tests may have closed in the meantime).
    const left = [...handlesBefore];
    const extra = handles().filter((h) => {
      const i = left.indexOf(h);
      if (i === -1) return true;
      left.splice(i, 1);
      return false;
    });
    expect(extra).toEqual([]);
  });

  it("shutdown({ cancelFutures: true }) cancels the jobs not started", async () => {
    const file = tempFile();
    const ex = new Executor({ maxWorkers: 1 });
    const a = ex.submit(jobs.blockThenMark, 80, file, "a");
    const b = ex.submit(jobs.mark, file, "b");
    const c = ex.submit(jobs.mark, file, "c");
    await until(() => a.running());
    await ex.shutdown({ cancelFutures: true });
    expect(a.result()).toBe("a");
    expect(b.cancelled() && c.cancelled()).toBe(true);
    expect(marks(file)).toEqual(["a"]);
  });

  it("shutdown({ wait: false }) returns at once; the jobs still run", async () => {
    const ex = new Executor({ maxWorkers: 1 });
    const a = ex.submit(block, 60);
    const b = ex.submit(square, 6);
    await ex.shutdown({ wait: false });
    expect(a.done()).toBe(false);
    expect(await Promise.all([a, b])).toEqual([60, 36]);
    await ex.shutdown(); // resolves once the workers are gone
  });

  it("map() gives results in order, zips iterables, and honours chunksize", async () => {
    const ex = new Executor({ maxWorkers: 2 });
    try {
      const out: unknown[] = [];
      for await (const r of ex.map(square, [1, 2, 3, 4, 5])) out.push(r);
      expect(out).toEqual([1, 4, 9, 16, 25]);

      const zipped: unknown[] = [];
      for await (const r of ex.map(add, [1, 2, 3], new Set(["a", "b"]))) zipped.push(r);
      expect(zipped).toEqual(["1a", "2b"]);

      const chunked: unknown[] = [];
      for await (const r of ex.map(square, [1, 2, 3, 4, 5, 6, 7], { chunksize: 3 })) {
        chunked.push(r);
      }
      expect(chunked).toEqual([1, 4, 9, 16, 25, 36, 49]);

      const empty: unknown[] = [];
      for await (const r of ex.map(square, [])) empty.push(r);
      expect(empty).toEqual([]);
    } finally {
      await ex.shutdown();
    }
  });

  it("map() stops at the first error and cancels the jobs not started", async () => {
    const file = tempFile();
    const ex = new Executor({ maxWorkers: 1 });
    try {
      const seen: unknown[] = [];
      const results = ex.map(failOn, [1, 2, 3], [2, 2, 2]);
      const err = await rejection(
        (async () => {
          for await (const r of results) seen.push(r);
        })(),
      );
      expect(err).toBeInstanceOf(RangeError);
      expect((err as Error).message).toBe("bad 2");
      expect(seen).toEqual([1]);

      const marked = ex.map(jobs.blockThenMark, [30, 30, 30, 30], ["", "", "", ""].fill(file), [
        "a",
        "b",
        "c",
        "d",
      ]);
      for await (const r of marked) if (r === "a") break;
      await ex.shutdown();
      // "b" had started when the loop broke off; "c" and "d" were cancelled.
      expect(marks(file)).toEqual(["a", "b"]);
      expect(() => {
        for (const _ of marked) break;
      }).toThrow(RuntimeError);
    } finally {
      await ex.shutdown();
    }
  });

  it("validates its options like CPython", () => {
    expect(() => new Executor({ maxWorkers: 0 })).toThrow(RangeError);
    expect(() => new Executor({ maxWorkers: 0 })).toThrow("max_workers must be greater than 0");
    expect(() => new Executor({ maxWorkers: 1.5 })).toThrow(TypeError);
    expect(() => new Executor({ maxWorkers: "2" as unknown as number })).toThrow(
      'Expected `maxWorkers` to be a positive integer, got "2"',
    );
    expect(() => new Executor({ maxThreads: 2 } as never)).toThrow(
      /got an unexpected option `maxThreads`/,
    );
    expect(() => new Executor({ terminateOnCancel: 1 as unknown as boolean })).toThrow(TypeError);
    const ex = new Executor({ maxWorkers: 3 });
    expect(ex.maxWorkers).toBe(3);
    expect(new Executor().maxWorkers).toBeGreaterThan(0);
    expect(() => ex.map(square, [1], { chunksize: 0 })).toThrow("chunksize must be >= 1.");
    expect(() => ex.map(square, [1], { timeout: 1 } as never)).toThrow(
      /map\(\) got an unexpected option `timeout`/,
    );
    expect(() => ex.map(square, 5 as unknown as number[])).toThrow(
      "map() argument 2 must support iteration, got 5",
    );
    expect(() => ex.shutdown({ wait: "yes" } as never)).toThrow(TypeError);
    return ex.shutdown();
  });

  it("result() and exception() do not block: InvalidStateError while running", async () => {
    const ex = new Executor({ maxWorkers: 1 });
    try {
      const cf = ex.submit(block, 30);
      expect(() => cf.result()).toThrow(InvalidStateError);
      expect(() => cf.exception()).toThrow(InvalidStateError);
      expect(String(cf)).toMatch(/^<ExecutorFuture job #1 \(block\) state=(pending|running)>$/);
      await cf;
      expect(String(cf)).toBe("<ExecutorFuture job #1 (block) state=finished returned number>");
    } finally {
      await ex.shutdown();
    }
  });
});

describe("ThreadPoolExecutor only", () => {
  it("shares a SharedArrayBuffer argument with the job", async () => {
    const ex = new ThreadPoolExecutor({ maxWorkers: 2 });
    try {
      const shared = new Int32Array(new SharedArrayBuffer(8));
      function waitForFlag(cells: Int32Array) {
        Atomics.wait(cells, 0, 0, 5000);
        Atomics.store(cells, 1, 7);
        return Atomics.load(cells, 0);
      }
      const waiter = ex.submit(waitForFlag, shared);
      await until(() => waiter.running());
      await pause(20);
      Atomics.store(shared, 0, 1);
      Atomics.notify(shared, 0);
      expect(await waiter).toBe(1);
      expect(shared[1]).toBe(7);
    } finally {
      await ex.shutdown();
    }
  });

  it("fails a job whose arguments cannot be cloned, when it starts", async () => {
    const ex = new ThreadPoolExecutor({ maxWorkers: 1 });
    try {
      const err = (await rejection(ex.submit(echo, () => 1))) as Error;
      expect(err.name).toBe("DataCloneError");
      expect(err.message).toMatch(
        /^the arguments of job #1 \(echo\) cannot be sent to a worker thread: .*could not be cloned/,
      );
      expect(await ex.submit(square, 2)).toBe(4);
      // The same function again, now with arguments that can be sent.
      expect(await ex.submit(echo, 5)).toBe(5);
    } finally {
      await ex.shutdown();
    }
  });

  it("a job that runs out of memory (resourceLimits) fails with BrokenThreadPool", async () => {
    const ex = new ThreadPoolExecutor({
      maxWorkers: 1,
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
    });
    try {
      const err = (await rejection(ex.submit(eatMemory))) as Error;
      expect(err).toBeInstanceOf(BrokenThreadPool);
      expect(err.message).toMatch(
        /^A worker thread died while running job #1 \(eatMemory\): it ran out of memory \(.*\)\. Only that job failed/,
      );
      expect(await ex.submit(square, 3)).toBe(9);
    } finally {
      await ex.shutdown();
    }
  });

  it("an uncaught error thrown later by a job's own timer fails that job", async () => {
    const ex = new ThreadPoolExecutor({ maxWorkers: 1 });
    try {
      const err = (await rejection(ex.submit(lateThrow))) as Error;
      expect(err).toBeInstanceOf(BrokenThreadPool);
      expect(err.message).toContain("an uncaught TypeError ended it: thrown later");
      expect((err.cause as Error).message).toBe("thrown later");
      expect(await ex.submit(square, 3)).toBe(9);
    } finally {
      await ex.shutdown();
    }
  });
});

describe("ProcessPoolExecutor only", () => {
  it("runs jobs in other processes with this process's environment", async () => {
    process.env.ASYNCIO_TS_EXECUTORS_TEST = "inherited";
    const ex = new ProcessPoolExecutor({ maxWorkers: 1 });
    try {
      function env(name: string) {
        return [process.pid, process.env[name]];
      }
      const [pid, value] = (await ex.submit(env, "ASYNCIO_TS_EXECUTORS_TEST")) as [number, string];
      expect(pid).not.toBe(process.pid);
      expect(value).toBe("inherited");
    } finally {
      delete process.env.ASYNCIO_TS_EXECUTORS_TEST;
      await ex.shutdown();
    }
  });

  it("refuses arguments that cannot be serialized at submit()", async () => {
    const ex = new ProcessPoolExecutor({ maxWorkers: 1 });
    try {
      expect(() => ex.submit(echo, () => 1)).toThrow(
        /^the arguments of job #1 \(echo\) cannot be sent to a child process: .*could not be cloned/,
      );
      expect(() => ex.submit(echo, new SharedArrayBuffer(4))).toThrow(/could not be cloned/);
      try {
        ex.submit(echo, Symbol("s"));
      } catch (e) {
        expect((e as Error).name).toBe("DataCloneError");
      }
    } finally {
      await ex.shutdown();
    }
  });

  it("a job whose process is killed fails with BrokenProcessPool naming the signal", async () => {
    const ex = new ProcessPoolExecutor({ maxWorkers: 1 });
    try {
      const err = (await rejection(ex.submit(killSelf))) as Error;
      expect(err).toBeInstanceOf(BrokenProcessPool);
      expect(err.message).toMatch(
        /^A child process died while running job #1 \(killSelf\): it was killed by SIGKILL\./,
      );
      expect(await ex.submit(square, 3)).toBe(9);
    } finally {
      await ex.shutdown();
    }
  });
});
