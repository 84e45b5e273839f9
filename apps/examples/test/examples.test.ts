import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { format } from "node:util";
import { hasPython, pythonOracle, runPython } from "@asyncio-ts/test-utils";
import { VirtualTimeEventLoopPolicy } from "@asyncio-ts/testing";
import { type Coroutine, run, setEventLoopPolicy } from "asyncio-ts";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as addDoneCallback from "../src/add-done-callback.js";
import * as asCompleted from "../src/as-completed.js";
import * as asyncWithResource from "../src/async-with-resource.js";
import * as callSoonRunUntilComplete from "../src/call-soon-run-until-complete.js";
import * as cancelWithFinally from "../src/cancel-with-finally.js";
import * as createTaskAwait from "../src/create-task-await.js";
import * as fetchWithCancellation from "../src/fetch-with-cancellation.js";
import * as futureSetByTask from "../src/future-set-by-task.js";
import * as gatherSayAfter from "../src/gather-say-after.js";
import * as helloWorld from "../src/hello-world.js";
import * as nodeStream from "../src/node-stream.js";
import * as paginatedProducer from "../src/paginated-producer.js";
import * as producerConsumerQueue from "../src/producer-consumer-queue.js";
import * as runCoroutineThreadsafe from "../src/run-coroutine-threadsafe.js";
import * as runInExecutor from "../src/run-in-executor.js";
import * as sayAfterConcurrent from "../src/say-after-concurrent.js";
import * as sayAfterSequential from "../src/say-after-sequential.js";
import * as sleepSort from "../src/sleep-sort.js";
import * as taskApi from "../src/task-api.js";
import * as taskGroup from "../src/task-group.js";
import * as timeoutExpiry from "../src/timeout-expiry.js";
import * as toThread from "../src/to-thread.js";
import * as waitForExpiry from "../src/wait-for-expiry.js";
import * as waitTimeoutCancelPending from "../src/wait-timeout-cancel-pending.js";

/** Runs an example's `main`: a coroutine through `run()`, or (one example) an async function. */
type Start = () => Promise<unknown>;
const coroutine =
  (main: () => Coroutine<void>): Start =>
  () =>
    run(main());

/**
 * Every example, with the lines it prints. The golden lines keep the TS side checked when no
 * CPython is around; with one, the Python twin must print them too.
 */
const examples: Record<string, { start: Start; lines: string[] }> = {
  "hello-world": { start: coroutine(helloWorld.main), lines: ["hello", "world"] },
  "say-after-sequential": {
    start: coroutine(sayAfterSequential.main),
    lines: ["started at 0.0s", "hello", "world", "finished at 3.0s"],
  },
  "say-after-concurrent": {
    start: coroutine(sayAfterConcurrent.main),
    lines: ["started at 0.0s", "hello", "world", "finished at 2.0s"],
  },
  "create-task-await": {
    start: coroutine(createTaskAwait.main),
    lines: [
      "coroutine created, not started",
      "nested() runs",
      "42",
      "task is pending",
      "nested() runs",
      "task result: 42",
      "task is done",
    ],
  },
  "future-set-by-task": {
    start: coroutine(futureSetByTask.main),
    lines: ["hello ...", "... world", "(the future was set after 1.0s)"],
  },
  "add-done-callback": {
    start: coroutine(addDoneCallback.main),
    lines: [
      "removed 2 callback(s)",
      "waiting ...",
      "Future: <Future finished result=42>",
      "second: result is 42",
      "awaited: 42",
      "registered a callback on the done future",
      "late: result is 42",
    ],
  },
  "cancel-with-finally": {
    start: coroutine(cancelWithFinally.main),
    lines: [
      "cancel_me(): before sleep",
      "cancel_me(): cancel sleep",
      "cancel_me(): after sleep",
      "main(): cancel_me is cancelled now",
      "task.cancelled() is True",
      "done after 1.0s, not an hour",
    ],
  },
  "task-api": {
    start: coroutine(taskApi.main),
    lines: [
      "current task: main",
      "created task: worker",
      "get_coro() is the coroutine: True",
      "all tasks: main, worker",
      "task is pending",
      "worker runs",
      "renamed to: worker-renamed",
      "task is done, result() = 10",
      "all tasks: main",
    ],
  },
  "call-soon-run-until-complete": {
    start: callSoonRunUntilComplete.main,
    lines: [
      "Hello World",
      "run_forever() returned",
      "call_soon: first",
      "call_soon: second",
      "compute() starts",
      "call_later: fired at 1.0s",
      "compute() returns at 2.0s",
      "run_until_complete() returned 42",
      "loop.is_closed(): True",
    ],
  },
  "sleep-sort": {
    start: coroutine(sleepSort.main),
    lines: ["unsorted: 3 1 5 2 4", "1", "2", "3", "4", "5", "sorted by the timers"],
  },
  "timeout-expiry": {
    start: coroutine(timeoutExpiry.main),
    lines: [
      "The long operation timed out at 1.0s, but we've handled it.",
      "(its cause: CancelledError)",
      "This statement will run regardless.",
      "no deadline yet: True",
      "Looks like we haven't finished on time (2.0s).",
    ],
  },
  "wait-for-expiry": {
    start: coroutine(waitForExpiry.main),
    lines: ["in time", "eternity() was cancelled", "timeout!", "gave up after 1.5s"],
  },
  "gather-say-after": {
    start: coroutine(gatherSayAfter.main),
    lines: [
      "Task A: Compute factorial(2), currently i=2...",
      "Task B: Compute factorial(3), currently i=2...",
      "Task C: Compute factorial(4), currently i=2...",
      "Task A: factorial(2) = 2",
      "Task B: Compute factorial(3), currently i=3...",
      "Task C: Compute factorial(4), currently i=3...",
      "Task B: factorial(3) = 6",
      "Task C: Compute factorial(4), currently i=4...",
      "Task C: factorial(4) = 24",
      "[2, 6, 24]",
      "factorials done at 3.0s",
      "fast finished",
      "medium finished",
      "slow finished",
      "['slow', 'fast', 'medium']",
      "words done at 3.3s",
      "ok finished",
      "  returned 'ok'",
      "  raised Boom: no luck",
      "finished at 3.5s",
    ],
  },
  "wait-timeout-cancel-pending": {
    start: coroutine(waitTimeoutCancelPending.main),
    lines: [
      "fast: finished",
      "FIRST_COMPLETED at 0.5s: 1 done, 3 pending",
      "medium: finished",
      "timeout at 1.5s: 2 done, 2 pending",
      "  done: fast -> 'fast result'",
      "  done: medium -> 'medium result'",
      "  pending: slow (still running: True)",
      "  pending: eternal (still running: True)",
      "slow: cancelled while sleeping",
      "eternal: cancelled while sleeping",
      "fast: cancelled() is False",
      "medium: cancelled() is False",
      "slow: cancelled() is True",
      "eternal: cancelled() is True",
      "finished at 1.5s",
    ],
  },
  "as-completed": {
    start: coroutine(asCompleted.main),
    lines: [
      "1. at 0.5s: fast (after 0.5s)",
      "2. at 1.2s: medium (after 1.2s)",
      "3. at 1.5s: slow (after 1.5s)",
      "at 0.3s: quick (after 0.3s)",
      "TimeoutError at 1.0s",
      "late is still running: True",
      "late cancelled: True",
    ],
  },
  "producer-consumer-queue": {
    start: coroutine(producerConsumerQueue.main),
    lines: [
      "worker-2 has slept for 0.20 seconds",
      "worker-0 has slept for 0.45 seconds",
      "worker-0 has slept for 0.30 seconds",
      "worker-1 has slept for 0.80 seconds",
      "worker-2 has slept for 0.65 seconds",
      "worker-1 has slept for 0.10 seconds",
      "worker-2 has slept for 0.55 seconds",
      "worker-1 has slept for 0.70 seconds",
      "worker-2 has slept for 0.25 seconds",
      "worker-0 has slept for 0.95 seconds",
      "worker-2 has slept for 0.15 seconds",
      "worker-1 has slept for 0.60 seconds",
      "workers cancelled: 3",
      "====",
      "3 workers slept in parallel for 2.20 seconds",
      "total expected sleep time: 5.70 seconds",
    ],
  },
  "task-group": {
    start: coroutine(taskGroup.main),
    lines: [
      "both tasks created",
      "two: done",
      "one: done",
      "Both tasks have completed now: ONE, TWO (1.0s)",
      "bad-1: raising JobError",
      "bad-2: raising JobError",
      "slow: cancelled",
      "body: cancelled",
      "ExceptionGroup at 1.0s: unhandled errors in a TaskGroup",
      "  JobError: bad-1 failed",
      "  JobError: bad-2 failed",
      "slow.cancelled() is True",
    ],
  },
  "async-with-resource": {
    start: coroutine(asyncWithResource.main),
    lines: [
      "db: connecting",
      "db rows for SELECT 1",
      "  BEGIN",
      "  db rows for UPDATE t",
      "  COMMIT",
      "  BEGIN",
      "  ROLLBACK (QueryError)",
      "caught QueryError: no such table in SELECT missing",
      "db: closed (clean exit)",
      "connection used and closed (1.2s)",
      "task A holds the lock",
      "task A releases the lock",
      "task B holds the lock",
      "task B releases the lock",
      "lock is free again: True (3.2s)",
      "primary: connecting",
      "replica: connecting",
      "both connections open",
      "replica: closed (clean exit)",
      "primary: closed (clean exit)",
      "done (4.4s)",
    ],
  },
  "paginated-producer": {
    start: coroutine(paginatedProducer.main),
    lines: [
      "fetching page 1",
      "got apple",
      "got banana",
      "got cherry",
      "fetching page 2",
      "got damson",
      "got elder",
      "found it, leaving the loop",
      "producer closed after 2 page(s)",
      "after the loop (1.0s)",
      "fetching page 1",
      "fetching page 2",
      "fetching page 3",
      "producer closed after 3 page(s)",
      "8 items, ran to the end: True (2.5s)",
    ],
  },
};

/**
 * The examples whose work happens outside the loop, on real threads, processes or sockets. They
 * run on the real clock (virtual time would wait for the outside work in real time but not move
 * its clock meanwhile, so "both done at 1.0s" would print 0.0s), and so do their twins: plain
 * `python3 <file>` (the vtime loop never blocks in `select`, so it cannot wait for a thread or a
 * socket: with no timer left it reports a deadlock). Each takes about as long as it says it
 * does, under 2 s. The elapsed times they print may be 0.1 s off (see `withinATenth`).
 */
const realTimeExamples: Record<string, { start: Start; lines: string[] }> = {
  "node-stream": {
    start: coroutine(nodeStream.main),
    lines: [
      "got 'reading 1' at +0.0s",
      "got 'reading 2' at +0.3s",
      "got 'reading 3' at +0.6s",
      "child exited with 0",
    ],
  },
  "to-thread": {
    start: coroutine(toThread.main),
    lines: [
      "started main at 0.0s",
      "blocking_io blocked its thread for 1.0s",
      "blocking_io complete at 1.0s",
      "asyncio.sleep(1) complete at 1.0s",
      "finished main at 1.0s, not 2.0s: the two ran at the same time",
    ],
  },
  "run-in-executor": {
    start: coroutine(runInExecutor.main),
    lines: [
      "default thread pool: read 100 bytes (in a worker thread: True)",
      "custom thread pool: read 100 bytes (in a worker thread: True)",
      "custom process pool: 333328333350000 (in a child process: True)",
    ],
  },
  "run-coroutine-threadsafe": {
    start: coroutine(runCoroutineThreadsafe.main),
    lines: [
      "started at 0.0s",
      "The coroutine returned: 3 at 1.0s",
      "The coroutine raised an exception: Boom: no luck at 1.0s",
      "The coroutine took too long (1.5s), cancelling the task...",
      "hour_long(): cancelled, inside the loop",
      "main: done at 1.5s",
    ],
  },
  "fetch-with-cancellation": {
    start: coroutine(fetchWithCancellation.main),
    lines: [
      "server listening on 127.0.0.1 (a free port)",
      "GET /slow: TimeoutError at 0.5s",
      "server: the client aborted GET /slow",
      "GET /fast: 200 'fast response'",
      "GET /slow: task cancelled at 0.7s, task.cancelled() is True",
      "server: the client aborted GET /slow",
      "server closed at 0.7s",
    ],
  },
};

/** What `start` prints with `console.log`, line by line, and how long it took on the wall clock. */
async function capture(start: Start): Promise<{ lines: string[]; ms: number }> {
  const out: string[] = [];
  const spy = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    out.push(format(...args));
  });
  const t0 = performance.now();
  try {
    await start();
  } finally {
    spy.mockRestore();
  }
  return { lines: out.flatMap((l) => l.split("\n")), ms: performance.now() - t0 };
}

/**
 * The Python side of "swapping the policy is the only change": the twin's file runs unchanged
 * after a policy whose loops are `vtime.VirtualTimeLoop`s is set, and must have made its loop
 * through it. `runPython` runs CPython with `-X dev`, which turns loop debug mode on (and adds
 * "created at ..." to future reprs); these loops keep the default `python file.py` has, as the
 * TS loops do.
 */
const PY_VIRTUAL_TIME_POLICY = `
import asyncio as _asyncio
import vtime as _vtime


class _VirtualTimePolicy(_asyncio.DefaultEventLoopPolicy):
    loops_made = 0

    def new_event_loop(self):
        _VirtualTimePolicy.loops_made += 1
        loop = _vtime.VirtualTimeLoop()
        loop.set_debug(False)
        return loop


_asyncio.set_event_loop_policy(_VirtualTimePolicy())
`;
const PY_CHECK_VIRTUAL_TIME = `
if _VirtualTimePolicy.loops_made == 0:
    raise SystemExit("the twin did not run on a loop from the virtual-time policy")
`;

function runPythonTwin(name: string): string[] {
  const file = new URL(`../python/${name}.py`, import.meta.url);
  return runPython(PY_VIRTUAL_TIME_POLICY + readFileSync(file, "utf8") + PY_CHECK_VIRTUAL_TIME);
}

/**
 * `actual` with each elapsed time ("1.0s") replaced by the expected line's when the two are at
 * most 0.1 s apart, so `toEqual(expected)` still shows any other difference. On the real clock a
 * loaded machine can make a thread, a process or a socket answer late enough for "1.0s" to
 * round to "1.1s"; everything else must match exactly.
 */
function withinATenth(actual: string[], expected: string[]): string[] {
  const time = /\d+\.\ds/g;
  return actual.map((line, i) => {
    const want = [...(expected[i] ?? "").matchAll(time)].map((m) => m[0]);
    let k = 0;
    return line.replace(time, (got) => {
      const w = want[k++];
      return w !== undefined && Math.abs(Number.parseFloat(got) - Number.parseFloat(w)) < 0.1 + 1e-9
        ? w
        : got;
    });
  });
}

/** A real-time twin: `python3 <file>`, unchanged, on CPython's default loop and real clock. */
function runPythonTwinRealTime(name: string): string[] {
  const py = pythonOracle()!;
  const file = fileURLToPath(new URL(`../python/${name}.py`, import.meta.url));
  const r = spawnSync(py.cmd, [file], {
    env: { ...process.env, ...py.env, PYTHONWARNINGS: "ignore", PYTHONDONTWRITEBYTECODE: "1" },
    encoding: "utf8",
    timeout: 30_000,
  });
  if (r.status !== 0) throw new Error(`python twin ${name} failed (${r.status}):\n${r.stderr}`);
  return r.stdout.split("\n").filter((l) => l.length > 0);
}

afterEach(() => {
  setEventLoopPolicy(null);
});

describe.each(Object.entries(examples))("%s", (name, { start, lines }) => {
  it("prints its lines on virtual time, with the policy as the only change", async () => {
    setEventLoopPolicy(new VirtualTimeEventLoopPolicy());
    const ts = await capture(start);
    expect(ts.lines).toEqual(lines);
    // Seconds of sleeping took (much) less than a second: the clock was virtual.
    expect(ts.ms).toBeLessThan(900);
  });

  it.skipIf(!hasPython)("prints the same lines as its CPython twin on virtual time", async () => {
    setEventLoopPolicy(new VirtualTimeEventLoopPolicy());
    const ts = await capture(start);
    const py = runPythonTwin(name);
    expect(ts.lines).toEqual(py);
    expect(py).toEqual(lines);
  });
});

describe.each(Object.entries(realTimeExamples))("%s (real clock)", (name, { start, lines }) => {
  it("prints its lines on the real clock", async () => {
    const ts = await capture(start);
    expect(withinATenth(ts.lines, lines)).toEqual(lines);
    expect(ts.ms).toBeLessThan(2000);
  });

  it.skipIf(!hasPython)("prints the same lines as its CPython twin", () => {
    expect(withinATenth(runPythonTwinRealTime(name), lines)).toEqual(lines);
  });
});

describe("the default policy and the virtual-time policy", () => {
  it("give sleep-sort the same trace; only the clock differs", async () => {
    const real = await capture(examples["sleep-sort"]!.start);
    setEventLoopPolicy(new VirtualTimeEventLoopPolicy());
    const virtual = await capture(examples["sleep-sort"]!.start);
    expect(virtual.lines).toEqual(real.lines);
    expect(real.lines).toEqual(examples["sleep-sort"]!.lines);
    // The real run really waited for its 50 ms of timers.
    expect(real.ms).toBeGreaterThanOrEqual(40);
  });
});

describe("the examples", () => {
  it("cover every file in src/ and python/", () => {
    const names = (dir: string, ext: string) =>
      readdirSync(new URL(`../${dir}/`, import.meta.url))
        .filter((f) => f.endsWith(ext) && f !== "demo.ts")
        .map((f) => f.slice(0, -ext.length))
        .sort();
    const listed = [...Object.keys(examples), ...Object.keys(realTimeExamples)].sort();
    expect(names("src", ".ts")).toEqual(listed);
    expect(names("python", ".py")).toEqual(listed);
  });
});
