// Event-order twins: each scenario runs here and in CPython 3.13 (on `vtime`, a virtual-time
// loop matching ours) and must print the same lines. `fromPromise(handle)` is the twin of
// `asyncio.wrap_future(cf)`.
import {
  CancelledError,
  type Coroutine,
  createTask,
  getRunningLoop,
  isCancelledError,
} from "@asyncio-ts/core";
import { hasPython, pyFloat, runPython, trace } from "@asyncio-ts/test-utils";
import { runVirtual } from "@asyncio-ts/testing";
import { sleep } from "@asyncio-ts/time";
import { describe, expect, it } from "vitest";
import { type ConcurrentHandle, fromPromise, runCoroutineThreadsafe } from "../src/index.js";

class ValueError extends Error {
  override name = "ValueError";
}

function time(): string {
  return pyFloat(getRunningLoop().time());
}

type Log = (...parts: unknown[]) => void;

const PY_PRELUDE = `
import asyncio, vtime
def now():
    return asyncio.get_running_loop().time()
async def ticker(n):
    for i in range(n):
        print("tick", i)
        await asyncio.sleep(0)
async def worker(n, fail=False, swallow=False):
    print("worker start", n)
    try:
        await asyncio.sleep(0)
        print("worker step", n)
        await asyncio.sleep(5)
    except asyncio.CancelledError:
        print("worker cancelled", n)
        if not swallow:
            raise
        return -n
    if fail:
        raise ValueError("bad %d" % n)
    return n * 10
def report(tag):
    def cb(f):
        if f.cancelled():
            print(tag, "cancelled")
        elif f.exception() is not None:
            print(tag, "raised", type(f.exception()).__name__, f.exception())
        else:
            print(tag, "result", f.result())
    return cb
`;

function* ticker(log: Log, n: number): Coroutine<void> {
  for (let i = 0; i < n; i++) {
    log("tick", i);
    yield* sleep(0);
  }
}

function* worker(log: Log, n: number, fail = false, swallow = false): Coroutine<number> {
  log("worker start", n);
  try {
    yield* sleep(0);
    log("worker step", n);
    yield* sleep(5);
  } catch (e) {
    if (!isCancelledError(e)) throw e;
    log("worker cancelled", n);
    if (!swallow) throw e;
    return -n;
  }
  if (fail) throw new ValueError(`bad ${n}`);
  return n * 10;
}

function report(log: Log, tag: string): (h: ConcurrentHandle<number>) => void {
  return (h) => {
    if (h.cancelled()) log(tag, "cancelled");
    else if (h.exception() !== null) {
      const e = h.exception() as Error;
      log(tag, "raised", e.name, e.message);
    } else log(tag, "result", h.result());
  };
}

const oracle = it.skipIf(!hasPython);

describe("oracle: run_coroutine_threadsafe event order matches CPython 3.13", () => {
  oracle(
    "submits from inside the loop, cancels before start, fails, cancels mid-sleep",
    async () => {
      const t = trace();
      const log = t.log;
      await runVirtual(
        (function* () {
          const loop = getRunningLoop();
          const cf = runCoroutineThreadsafe(worker(log, 1), loop);
          cf.addDoneCallback(report(log, "cf1"));
          log("submitted", cf.done(), false);
          const tk = createTask(ticker(log, 3));
          const cf2 = runCoroutineThreadsafe(worker(log, 2), loop);
          cf2.addDoneCallback(report(log, "cf2"));
          log("cancel", cf2.cancel(), cf2.cancelled(), cf2.done());
          const cf3 = runCoroutineThreadsafe(worker(log, 3, true), loop);
          cf3.addDoneCallback(report(log, "cf3"));
          yield* tk;
          log("main waits", time());
          const r = yield* fromPromise(cf);
          log("main got", r, time());
          try {
            yield* fromPromise(cf3);
          } catch (e) {
            log("main caught", (e as Error).message);
          }
          const cf4 = runCoroutineThreadsafe(worker(log, 4), loop);
          cf4.addDoneCallback(report(log, "cf4"));
          yield* sleep(1);
          log("cancel4", cf4.cancel(), time());
          yield* sleep(0);
          yield* sleep(0);
          log("end", time());
        })(),
      );
      const py = runPython(`${PY_PRELUDE}
async def main():
    loop = asyncio.get_running_loop()
    cf = asyncio.run_coroutine_threadsafe(worker(1), loop)
    cf.add_done_callback(report("cf1"))
    print("submitted", cf.done(), cf.running())
    t = asyncio.create_task(ticker(3))
    cf2 = asyncio.run_coroutine_threadsafe(worker(2), loop)
    cf2.add_done_callback(report("cf2"))
    print("cancel", cf2.cancel(), cf2.cancelled(), cf2.done())
    cf3 = asyncio.run_coroutine_threadsafe(worker(3, True), loop)
    cf3.add_done_callback(report("cf3"))
    await t
    print("main waits", now())
    r = await asyncio.wrap_future(cf)
    print("main got", r, now())
    try:
        await asyncio.wrap_future(cf3)
    except ValueError as e:
        print("main caught", e)
    cf4 = asyncio.run_coroutine_threadsafe(worker(4), loop)
    cf4.add_done_callback(report("cf4"))
    await asyncio.sleep(1)
    print("cancel4", cf4.cancel(), now())
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print("end", now())
vtime.run(main())
`);
      expect(t.lines).toEqual(py);
    },
  );

  oracle("cancelling the wrap_future waiter cancels the handle and the task", async () => {
    const t = trace();
    const log = t.log;
    await runVirtual(
      (function* () {
        const loop = getRunningLoop();
        const cf = runCoroutineThreadsafe(worker(log, 1), loop);
        cf.addDoneCallback(report(log, "cf"));
        const w = createTask(
          (function* () {
            try {
              return yield* fromPromise(cf);
            } catch (e) {
              if (e instanceof CancelledError) log("waiter cancelled", e.message || "None");
              throw e;
            }
          })(),
        );
        yield* sleep(1);
        w.cancel("bye");
        yield* ticker(log, 4);
        log("end", cf.cancelled(), w.cancelled(), time());
      })(),
    );
    const py = runPython(`${PY_PRELUDE}
async def main():
    loop = asyncio.get_running_loop()
    cf = asyncio.run_coroutine_threadsafe(worker(1), loop)
    cf.add_done_callback(report("cf"))
    async def waiter():
        try:
            return await asyncio.wrap_future(cf)
        except asyncio.CancelledError as e:
            print("waiter cancelled", e.args[0] if e.args else None)
            raise
    w = asyncio.create_task(waiter())
    await asyncio.sleep(1)
    w.cancel("bye")
    await ticker(4)
    print("end", cf.cancelled(), w.cancelled(), now())
vtime.run(main())
`);
    expect(t.lines).toEqual(py);
  });

  oracle("a task that swallows the cancellation leaves the handle cancelled", async () => {
    const t = trace();
    const log = t.log;
    await runVirtual(
      (function* () {
        const loop = getRunningLoop();
        const cf = runCoroutineThreadsafe(worker(log, 7, false, true), loop);
        cf.addDoneCallback(report(log, "cf"));
        yield* ticker(log, 2);
        log("cancel", cf.cancel(), cf.cancel(), cf.done());
        yield* ticker(log, 3);
        log("end", cf.cancelled(), time());
      })(),
    );
    const py = runPython(`${PY_PRELUDE}
async def main():
    loop = asyncio.get_running_loop()
    cf = asyncio.run_coroutine_threadsafe(worker(7, swallow=True), loop)
    cf.add_done_callback(report("cf"))
    await ticker(2)
    print("cancel", cf.cancel(), cf.cancel(), cf.done())
    await ticker(3)
    print("end", cf.cancelled(), now())
vtime.run(main())
`);
    expect(t.lines).toEqual(py);
  });
});
