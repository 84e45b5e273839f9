// Event-order twins: each scenario runs here and in CPython 3.13 (on `vtime`, a virtual-time
// loop matching ours) and must print the same lines.
import {
  CancelledError,
  type Coroutine,
  createTask,
  currentTask,
  Future,
  getRunningLoop,
} from "@asyncio-ts/core";
import { hasPython, pyFloat, runPython, trace } from "@asyncio-ts/test-utils";
import { runVirtual } from "@asyncio-ts/testing";
import { describe, expect, it } from "vitest";
import { sleep, type Timeout, timeout, timeoutAt, waitFor } from "../src/index.js";

/** Python's `type(e).__name__`. */
function name(e: unknown): string {
  return e instanceof Error ? e.name : "NoneType";
}

function time(): string {
  return pyFloat(getRunningLoop().time());
}

const PY_PRELUDE = `
import asyncio, vtime
def now():
    return asyncio.get_running_loop().time()
def name(e):
    return type(e).__name__
async def ticker(n):
    for i in range(n):
        print("tick", i, now())
        await asyncio.sleep(0)
`;

type Log = (...parts: unknown[]) => void;

function* ticker(log: Log, n: number): Coroutine<void> {
  for (let i = 0; i < n; i++) {
    log("tick", i, time());
    yield* sleep(0);
  }
}

describe("oracle: same event order as CPython 3.13", () => {
  it.skipIf(!hasPython)("expires a timeout and converts the cancellation", async () => {
    const t = trace();
    await runVirtual(
      (function* () {
        const task = currentTask()!;
        let scope: Timeout | null = null;
        try {
          yield* timeout(1.5, function* (cm) {
            scope = cm;
            t.log("entered", pyFloat(cm.when()!), cm.expired(), task.cancelling());
            try {
              yield* sleep(10);
            } catch (e) {
              t.log("body got", name(e), time(), cm.expired(), task.cancelling());
              throw e;
            }
          });
        } catch (e) {
          t.log("raised", name(e), name((e as Error).cause), String((e as Error).message) === "");
        }
        t.log("after", time(), scope!.expired(), task.cancelling(), String(scope));
      })(),
    );
    const py = runPython(`${PY_PRELUDE}
async def main():
    task = asyncio.current_task()
    scope = None
    try:
        async with asyncio.timeout(1.5) as cm:
            scope = cm
            print("entered", cm.when(), cm.expired(), task.cancelling())
            try:
                await asyncio.sleep(10)
            except BaseException as e:
                print("body got", name(e), now(), cm.expired(), task.cancelling())
                raise
    except BaseException as e:
        print("raised", name(e), name(e.__cause__), str(e) == "")
    print("after", now(), scope.expired(), task.cancelling(), repr(scope))
vtime.run(main())
`);
    expect(t.lines).toEqual(py);
  });

  it.skipIf(!hasPython)("interleaves a delay-0 timeout with other tasks", async () => {
    const t = trace();
    await runVirtual(
      (function* () {
        const tk = createTask(ticker(t.log, 4));
        // biome-ignore lint/correctness/useYield: a coroutine need not await (Python's `async def` without `await`).
        const v = yield* timeout(0, function* (cm) {
          t.log("no await", cm.expired());
          return "done";
        });
        t.log("first scope", v);
        try {
          yield* timeout(0, function* (cm) {
            t.log("before sleep(0)", cm.expired());
            yield* sleep(0);
            t.log("unreachable");
          });
        } catch (e) {
          t.log("second scope", name(e), time());
        }
        yield* tk;
      })(),
    );
    const py = runPython(`${PY_PRELUDE}
async def main():
    tk = asyncio.create_task(ticker(4))
    async with asyncio.timeout(0) as cm:
        print("no await", cm.expired())
        v = "done"
    print("first scope", v)
    try:
        async with asyncio.timeout(0) as cm:
            print("before sleep(0)", cm.expired())
            await asyncio.sleep(0)
            print("unreachable")
    except BaseException as e:
        print("second scope", name(e), now())
    await tk
vtime.run(main())
`);
    expect(t.lines).toEqual(py);
  });

  it.skipIf(!hasPython)("nests timeouts with inner, outer and equal deadlines", async () => {
    const t = trace();
    function* nested(label: string, outerDelay: number, innerDelay: number): Coroutine<void> {
      const task = currentTask()!;
      const scopes: Timeout[] = [];
      try {
        yield* timeout(outerDelay, function* (outer) {
          scopes.push(outer);
          try {
            yield* timeout(innerDelay, function* (inner) {
              scopes.push(inner);
              yield* sleep(10);
            });
          } catch (e) {
            t.log(label, "inner raised", name(e), time(), task.cancelling());
            if (!(e instanceof CancelledError)) {
              yield* sleep(1);
              t.log(label, "outer body continues", time());
            }
            throw e;
          }
        });
      } catch (e) {
        t.log(label, "outer raised", name(e), time());
      }
      t.log(label, scopes.map((s) => (s.expired() ? "T" : "F")).join(""), task.cancelling());
    }
    await runVirtual(
      (function* () {
        yield* nested("inner-first", 5, 1);
        yield* nested("outer-first", 1, 5);
        yield* nested("equal", 1, 1);
      })(),
    );
    const py = runPython(`${PY_PRELUDE}
async def nested(label, outer_delay, inner_delay):
    task = asyncio.current_task()
    scopes = []
    try:
        async with asyncio.timeout(outer_delay) as outer:
            scopes.append(outer)
            try:
                async with asyncio.timeout(inner_delay) as inner:
                    scopes.append(inner)
                    await asyncio.sleep(10)
            except BaseException as e:
                print(label, "inner raised", name(e), now(), task.cancelling())
                if not isinstance(e, asyncio.CancelledError):
                    await asyncio.sleep(1)
                    print(label, "outer body continues", now())
                raise
    except BaseException as e:
        print(label, "outer raised", name(e), now())
    print(label, "".join("T" if s.expired() else "F" for s in scopes), task.cancelling())
async def main():
    await nested("inner-first", 5, 1)
    await nested("outer-first", 1, 5)
    await nested("equal", 1, 1)
vtime.run(main())
`);
    expect(t.lines).toEqual(py);
  });

  it.skipIf(!hasPython)(
    "keeps an outer cancellation a CancelledError, alone or racing the deadline",
    async () => {
      const t = trace();
      function* guarded(label: string): Coroutine<void> {
        const task = currentTask()!;
        try {
          yield* timeout(2, function* () {
            yield* sleep(10);
          });
        } catch (e) {
          t.log(label, "scope raised", name(e), time(), task.cancelling());
          throw e;
        }
      }
      await runVirtual(
        (function* () {
          const loop = getRunningLoop();
          const a = createTask(guarded("alone"));
          loop.callLater(1, () => a.cancel());
          try {
            yield* a;
          } catch (e) {
            t.log("alone", name(e), a.cancelled());
          }
          const b = createTask(guarded("race"));
          loop.callLater(2, () => b.cancel());
          try {
            yield* b;
          } catch (e) {
            t.log("race", name(e), b.cancelled());
          }
        })(),
      );
      const py = runPython(`${PY_PRELUDE}
async def guarded(label):
    task = asyncio.current_task()
    try:
        async with asyncio.timeout(2):
            await asyncio.sleep(10)
    except BaseException as e:
        print(label, "scope raised", name(e), now(), task.cancelling())
        raise
async def main():
    loop = asyncio.get_running_loop()
    a = asyncio.create_task(guarded("alone"))
    loop.call_later(1, a.cancel)
    try:
        await a
    except BaseException as e:
        print("alone", name(e), a.cancelled())
    b = asyncio.create_task(guarded("race"))
    loop.call_later(2, b.cancel)
    try:
        await b
    except BaseException as e:
        print("race", name(e), b.cancelled())
vtime.run(main())
`);
      expect(t.lines).toEqual(py);
    },
  );

  it.skipIf(!hasPython)(
    "reschedules, and refuses to in every other state with Python's messages",
    async () => {
      const t = trace();
      function tryReschedule(label: string, cm: Timeout, when: number | null): void {
        try {
          cm.reschedule(when);
          t.log(label, "ok", cm.when() === null ? null : pyFloat(cm.when()!));
        } catch (e) {
          t.log(label, name(e), (e as Error).message);
        }
      }
      await runVirtual(
        (function* () {
          const tk = createTask(ticker(t.log, 3));
          let kept: Timeout | null = null;
          try {
            yield* timeoutAt(10, function* (cm) {
              kept = cm;
              tryReschedule("later", cm, 20);
              yield* sleep(1);
              tryReschedule("none", cm, null);
              yield* sleep(1);
              tryReschedule("earlier", cm, 5);
              yield* sleep(1);
              tryReschedule("past", cm, 1);
              t.log("still running", time(), cm.expired());
              try {
                yield* sleep(10);
              } catch (e) {
                t.log("body got", name(e), time());
                tryReschedule("expiring", cm, 100);
                throw e;
              }
            });
          } catch (e) {
            t.log("scope raised", name(e), time());
          }
          tryReschedule("expired", kept!, 100);
          // biome-ignore lint/correctness/useYield: a coroutine need not await (Python's `async def` without `await`).
          const done = yield* timeout(null, function* (cm) {
            return cm;
          });
          tryReschedule("finished", done, 100);
          yield* tk;
        })(),
      );
      const py = runPython(`${PY_PRELUDE}
def try_reschedule(label, cm, when):
    try:
        cm.reschedule(when)
        print(label, "ok", cm.when())
    except BaseException as e:
        print(label, name(e), str(e))
async def main():
    tk = asyncio.create_task(ticker(3))
    kept = None
    try:
        async with asyncio.timeout_at(10.0) as cm:
            kept = cm
            try_reschedule("later", cm, 20.0)
            await asyncio.sleep(1)
            try_reschedule("none", cm, None)
            await asyncio.sleep(1)
            try_reschedule("earlier", cm, 5.0)
            await asyncio.sleep(1)
            try_reschedule("past", cm, 1.0)
            print("still running", now(), cm.expired())
            try:
                await asyncio.sleep(10)
            except BaseException as e:
                print("body got", name(e), now())
                try_reschedule("expiring", cm, 100)
                raise
    except BaseException as e:
        print("scope raised", name(e), now())
    try_reschedule("expired", kept, 100)
    async with asyncio.timeout(None) as done:
        pass
    try_reschedule("finished", done, 100)
    await tk
vtime.run(main())
`);
      // Python prints int deadlines passed as ints ("20"); ours are floats: compare numerically.
      const norm = (l: string) => l.replace(/(\d)\.0\b/g, "$1");
      console.log(py.join("\n"));
      expect(t.lines.map(norm)).toEqual(py.map(norm));
    },
  );

  it.skipIf(!hasPython)("waitFor: success, timeout, and the inner task's fate", async () => {
    const t = trace();
    function* child(label: string, d: number, swallow: boolean): Coroutine<string> {
      try {
        yield* sleep(d);
        return `${label} finished`;
      } catch (e) {
        t.log(label, "child got", name(e), time());
        if (swallow) return `${label} swallowed`;
        throw e;
      }
    }
    await runVirtual(
      (function* () {
        t.log("a", yield* waitFor(child("a", 1, false), 5), time());
        const b = createTask(child("b", 10, false));
        try {
          yield* waitFor(b, 2);
        } catch (e) {
          t.log("b raised", name(e), name((e as Error).cause), time(), b.cancelled());
        }
        t.log("c", yield* waitFor(createTask(child("c", 10, true)), 1), time());
        t.log("d", yield* waitFor(child("d", 10, true), 1), time());
        t.log("e", yield* waitFor(child("e", 3, false), null), time());
        t.log("cancelling", currentTask()!.cancelling());
      })(),
    );
    const py = runPython(`${PY_PRELUDE}
async def child(label, d, swallow):
    try:
        await asyncio.sleep(d)
        return f"{label} finished"
    except BaseException as e:
        print(label, "child got", name(e), now())
        if swallow:
            return f"{label} swallowed"
        raise
async def main():
    print("a", await asyncio.wait_for(child("a", 1, False), 5), now())
    b = asyncio.create_task(child("b", 10, False))
    try:
        await asyncio.wait_for(b, 2)
    except BaseException as e:
        print("b raised", name(e), name(e.__cause__), now(), b.cancelled())
    print("c", await asyncio.wait_for(asyncio.create_task(child("c", 10, True)), 1), now())
    print("d", await asyncio.wait_for(child("d", 10, True), 1), now())
    print("e", await asyncio.wait_for(child("e", 3, False), None), now())
    print("cancelling", asyncio.current_task().cancelling())
vtime.run(main())
`);
    expect(t.lines).toEqual(py);
  });

  it.skipIf(!hasPython)(
    "waitFor with timeout <= 0: the fast path's loop turns and outcomes",
    async () => {
      const t = trace();
      let started = false;
      function* marker(): Coroutine<string> {
        started = true;
        yield* sleep(1);
        return "marker";
      }
      function* swallower(): Coroutine<string> {
        try {
          yield* sleep(10);
        } catch (e) {
          t.log("swallower got", name(e), time());
          yield* sleep(0);
          return "swallowed";
        }
        return "slept";
      }
      await runVirtual(
        (function* () {
          const loop = getRunningLoop();
          const tk = createTask(ticker(t.log, 12));
          try {
            yield* waitFor(marker(), 0);
          } catch (e) {
            t.log("coro", name(e), name((e as Error).cause), started);
          }
          const done = new Future<string>(loop);
          done.setResult("ready");
          t.log("done future", yield* waitFor(done, 0));
          const failed = new Future<string>(loop);
          failed.setException(new RangeError("bad"));
          try {
            yield* waitFor(failed, -1);
          } catch (e) {
            t.log("failed future", name(e));
          }
          const pending = createTask(sleep(5, "never"));
          yield* sleep(0);
          t.log("pending start", time());
          try {
            yield* waitFor(pending, 0);
          } catch (e) {
            t.log("pending task", name(e), pending.cancelled(), time());
          }
          const sw = createTask(swallower());
          yield* sleep(0);
          t.log("swallower result", yield* waitFor(sw, 0));
          yield* tk;
        })(),
      );
      const py = runPython(`${PY_PRELUDE}
started = False
async def marker():
    global started
    started = True
    await asyncio.sleep(1)
    return "marker"
async def swallower():
    try:
        await asyncio.sleep(10)
    except BaseException as e:
        print("swallower got", name(e), now())
        await asyncio.sleep(0)
        return "swallowed"
    return "slept"
async def main():
    loop = asyncio.get_running_loop()
    tk = asyncio.create_task(ticker(12))
    try:
        await asyncio.wait_for(marker(), 0)
    except BaseException as e:
        print("coro", name(e), name(e.__cause__), started)
    done = loop.create_future()
    done.set_result("ready")
    print("done future", await asyncio.wait_for(done, 0))
    failed = loop.create_future()
    failed.set_exception(ValueError("bad"))
    try:
        await asyncio.wait_for(failed, -1)
    except BaseException as e:
        print("failed future", "RangeError" if isinstance(e, ValueError) else name(e))
    pending = asyncio.create_task(asyncio.sleep(5, "never"))
    await asyncio.sleep(0)
    print("pending start", now())
    try:
        await asyncio.wait_for(pending, 0)
    except BaseException as e:
        print("pending task", name(e), pending.cancelled(), now())
    sw = asyncio.create_task(swallower())
    await asyncio.sleep(0)
    print("swallower result", await asyncio.wait_for(sw, 0))
    await tk
vtime.run(main())
`);
      expect(t.lines).toEqual(py);
    },
  );

  it.skipIf(!hasPython)("waitFor: cancelling the waiter cancels the awaited task", async () => {
    const t = trace();
    await runVirtual(
      (function* () {
        const inner = createTask(sleep(10, "inner"));
        const waiter = createTask(waitFor(inner, 5));
        yield* sleep(1);
        waiter.cancel();
        try {
          yield* waiter;
        } catch (e) {
          t.log("waiter", name(e), waiter.cancelled(), inner.cancelled(), time());
        }
        const inner2 = createTask(sleep(10, "inner2"));
        const waiter2 = createTask(waitFor(inner2, 0));
        yield* sleep(0);
        waiter2.cancel();
        try {
          yield* waiter2;
        } catch (e) {
          t.log("waiter2", name(e), waiter2.cancelled(), inner2.cancelled(), time());
        }
      })(),
    );
    const py = runPython(`${PY_PRELUDE}
async def main():
    inner = asyncio.create_task(asyncio.sleep(10, "inner"))
    waiter = asyncio.create_task(asyncio.wait_for(inner, 5))
    await asyncio.sleep(1)
    waiter.cancel()
    try:
        await waiter
    except BaseException as e:
        print("waiter", name(e), waiter.cancelled(), inner.cancelled(), now())
    inner2 = asyncio.create_task(asyncio.sleep(10, "inner2"))
    waiter2 = asyncio.create_task(asyncio.wait_for(inner2, 0))
    await asyncio.sleep(0)
    waiter2.cancel()
    try:
        await waiter2
    except BaseException as e:
        print("waiter2", name(e), waiter2.cancelled(), inner2.cancelled(), now())
vtime.run(main())
`);
    expect(t.lines).toEqual(py);
  });
});
