// Event-order twins: each scenario runs here and in CPython 3.13 (on `vtime`, a virtual-time
// loop matching ours) and must print the same lines. Timers never tie: CPython does not fire
// equal-`when` timers in scheduling order.
import {
  CancelledError,
  type Coroutine,
  createTask,
  currentTask,
  ExceptionGroup,
  eagerTaskFactory,
  type Future,
  getRunningLoop,
} from "@asyncio-ts/core";
import { hasPython, pyFloat, runPython, trace } from "@asyncio-ts/test-utils";
import { runVirtual } from "@asyncio-ts/testing";
import { sleep } from "@asyncio-ts/time";
import { describe, expect, it } from "vitest";
import {
  ALL_COMPLETED,
  asCompleted,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  gather,
  type ReturnWhen,
  shield,
  type TaskGroup,
  taskGroup,
  wait,
} from "../src/index.js";
import { errName } from "./helpers.js";

class Boom extends Error {
  override name = "Boom";
}

function time(): string {
  return pyFloat(getRunningLoop().time());
}

/** Python's `fmt(x)`: an error as `Name(message)`, a group with its members; values as is. */
function fmt(x: unknown): unknown {
  if (x instanceof ExceptionGroup) {
    return `${x.name}(${x.message})[${x.exceptions.map((e) => String(fmt(e))).join(", ")}]`;
  }
  return x instanceof Error ? `${x.name}(${x.message})` : x;
}

/** Python's `show(xs)`: `fmt` of each. */
function show(xs: readonly unknown[]): unknown[] {
  return xs.map(fmt);
}

const PY_PRELUDE = `
import asyncio, vtime
def now():
    return asyncio.get_running_loop().time()
def name(e):
    return type(e).__name__
def fmt(x):
    if isinstance(x, BaseExceptionGroup):
        return f"{name(x)}({x.message})[{', '.join(str(fmt(e)) for e in x.exceptions)}]"
    return f"{name(x)}({x})" if isinstance(x, BaseException) else x
def show(xs):
    return [fmt(x) for x in xs]
class Boom(Exception):
    pass
async def ticker(n):
    for i in range(n):
        print("tick", i)
        await asyncio.sleep(0)
async def child(label, d, v):
    print("start", label, now())
    await asyncio.sleep(d)
    print("end", label, now())
    return v
async def child_c(label, d):
    try:
        print("start", label, now())
        await asyncio.sleep(d)
        print("end", label, now())
        return label
    except asyncio.CancelledError as e:
        print("cancelled", label, repr(str(e)), now())
        raise
async def fail(label, d):
    print("start", label, now())
    await asyncio.sleep(d)
    print("raise", label, now())
    raise Boom(label)
`;

type Log = (...parts: unknown[]) => void;

function helpers(log: Log) {
  function* ticker(n: number): Coroutine<void> {
    for (let i = 0; i < n; i++) {
      log("tick", i);
      yield* sleep(0);
    }
  }
  function* child<T>(label: string, d: number, v: T): Coroutine<T> {
    log("start", label, time());
    yield* sleep(d);
    log("end", label, time());
    return v;
  }
  function* childC(label: string, d: number): Coroutine<string> {
    try {
      log("start", label, time());
      yield* sleep(d);
      log("end", label, time());
      return label;
    } catch (e) {
      if (e instanceof CancelledError) log("cancelled", label, `'${e.message}'`, time());
      throw e;
    }
  }
  function* fail(label: string, d: number): Coroutine<never> {
    log("start", label, time());
    yield* sleep(d);
    log("raise", label, time());
    throw new Boom(label);
  }
  return { ticker, child, childC, fail };
}

function py(body: string): string[] {
  return runPython(`${PY_PRELUDE}\n${body}\nvtime.run(main())\n`);
}

describe("oracle: gather", () => {
  it.skipIf(!hasPython)(
    "runs children concurrently and returns results in argument order",
    async () => {
      const t = trace();
      const { ticker, child } = helpers(t.log);
      await runVirtual(
        (function* () {
          const tk = createTask(ticker(3));
          const g = gather(child("a", 0.2, 1), child("b", 0.1, "x"), child("c", 0, null));
          g.addDoneCallback((f) => t.log("outer done cb", f.result()));
          t.log("gather returned", g.done());
          const r = yield* g;
          t.log("result", r, time());
          yield* tk;
        })(),
      );
      expect(t.lines).toEqual(
        py(`
async def main():
    tk = asyncio.create_task(ticker(3))
    g = asyncio.gather(child("a", 0.2, 1), child("b", 0.1, "x"), child("c", 0, None))
    g.add_done_callback(lambda f: print("outer done cb", f.result()))
    print("gather returned", g.done())
    r = await g
    print("result", r, now())
    await tk
`),
      );
    },
  );

  it.skipIf(!hasPython)(
    "schedules its done-callbacks in the order the children complete",
    async () => {
      const t = trace();
      const { ticker } = helpers(t.log);
      await runVirtual(
        (function* () {
          const loop = getRunningLoop();
          const f1 = loop.createFuture<number>();
          const f2 = loop.createFuture<number>();
          const g = gather(f1, f2);
          f1.addDoneCallback(() => t.log("f1 cb"));
          g.addDoneCallback((f) => t.log("g cb", f.result()));
          loop.callSoon(() => {
            t.log("set f2");
            f2.setResult(2);
          });
          loop.callSoon(() => {
            t.log("set f1");
            f1.setResult(1);
          });
          loop.callSoon(() => t.log("soon 3"));
          const tk = createTask(ticker(4));
          t.log("awaited", yield* g);
          yield* tk;
        })(),
      );
      expect(t.lines).toEqual(
        py(`
async def main():
    loop = asyncio.get_running_loop()
    f1 = loop.create_future()
    f2 = loop.create_future()
    g = asyncio.gather(f1, f2)
    f1.add_done_callback(lambda f: print("f1 cb"))
    g.add_done_callback(lambda f: print("g cb", f.result()))
    def set2():
        print("set f2")
        f2.set_result(2)
    def set1():
        print("set f1")
        f1.set_result(1)
    loop.call_soon(set2)
    loop.call_soon(set1)
    loop.call_soon(lambda: print("soon 3"))
    tk = asyncio.create_task(ticker(4))
    print("awaited", await g)
    await tk
`),
      );
    },
  );

  it.skipIf(!hasPython)("propagates the first error while the others keep running", async () => {
    const t = trace();
    const { child, fail } = helpers(t.log);
    await runVirtual(
      (function* () {
        const a = createTask(child("a", 0.3, 1));
        const g = gather(a, fail("b", 0.1), fail("c", 0.2));
        try {
          yield* g;
        } catch (e) {
          t.log("caught", errName(e), (e as Error).message, time(), g.done(), g.cancelled());
        }
        t.log("cancel after", g.cancel());
        yield* sleep(0.5);
        t.log("a", a.done(), a.result());
      })(),
    );
    expect(t.lines).toEqual(
      py(`
async def main():
    a = asyncio.create_task(child("a", 0.3, 1))
    g = asyncio.gather(a, fail("b", 0.1), fail("c", 0.2))
    try:
        await g
    except Exception as e:
        print("caught", name(e), str(e), now(), g.done(), g.cancelled())
    print("cancel after", g.cancel())
    await asyncio.sleep(0.5)
    print("a", a.done(), a.result())
`),
    );
  });

  for (const re of [false, true]) {
    it.skipIf(!hasPython)(
      `cancels the children when cancelled (returnExceptions=${re})`,
      async () => {
        const t = trace();
        const { childC } = helpers(t.log);
        await runVirtual(
          (function* () {
            const a = createTask(childC("a", 1));
            const g = gather(a, childC("b", 2), { returnExceptions: re });
            yield* sleep(0.1);
            t.log("cancel", g.cancel("stop"));
            t.log("cancel again", g.cancel("again"));
            try {
              const r = yield* g;
              t.log("result", show(r));
            } catch (e) {
              t.log("caught", errName(e), `'${(e as Error).message}'`, g.cancelled(), g.done());
            }
            t.log("cancel done", g.cancel(), a.cancelled());
          })(),
        );
        expect(t.lines).toEqual(
          py(`
async def main():
    a = asyncio.create_task(child_c("a", 1))
    g = asyncio.gather(a, child_c("b", 2), return_exceptions=${re ? "True" : "False"})
    await asyncio.sleep(0.1)
    print("cancel", g.cancel("stop"))
    print("cancel again", g.cancel("again"))
    try:
        r = await g
        print("result", show(r))
    except asyncio.CancelledError as e:
        print("caught", name(e), repr(str(e)), g.cancelled(), g.done())
    print("cancel done", g.cancel(), a.cancelled())
`),
        );
      },
    );
  }

  it.skipIf(!hasPython)("treats a child cancelled from outside as its error", async () => {
    const t = trace();
    const { child, childC } = helpers(t.log);
    await runVirtual(
      (function* () {
        const a = createTask(childC("a", 1));
        const b = createTask(child("b", 0.2, 2));
        const g = gather(a, b);
        const g2 = gather(a, b, { returnExceptions: true });
        yield* sleep(0.1);
        a.cancel("ext");
        try {
          yield* g;
        } catch (e) {
          t.log("g raised", errName(e), `'${(e as Error).message}'`, g.cancelled(), time());
        }
        t.log("g2", show(yield* g2), time());
      })(),
    );
    expect(t.lines).toEqual(
      py(`
async def main():
    a = asyncio.create_task(child_c("a", 1))
    b = asyncio.create_task(child("b", 0.2, 2))
    g = asyncio.gather(a, b)
    g2 = asyncio.gather(a, b, return_exceptions=True)
    await asyncio.sleep(0.1)
    a.cancel("ext")
    try:
        await g
    except asyncio.CancelledError as e:
        print("g raised", name(e), repr(str(e)), g.cancelled(), now())
    print("g2", show(await g2), now())
`),
    );
  });

  it.skipIf(!hasPython)("raises the last child's cancellation when cancelled", async () => {
    const t = trace();
    const { child, childC } = helpers(t.log);
    await runVirtual(
      (function* () {
        for (const order of ["ab", "ba"]) {
          const a = createTask(childC("a", 1));
          const b = createTask(child("b", 0.1, "bv"));
          const g =
            order === "ab"
              ? gather(a, b, { returnExceptions: true })
              : gather(b, a, { returnExceptions: true });
          yield* sleep(0.2);
          t.log(order, "cancel", g.cancel("m"));
          try {
            t.log("result", show(yield* g));
          } catch (e) {
            t.log(order, "raised", errName(e), `'${(e as Error).message}'`);
          }
        }
      })(),
    );
    expect(t.lines).toEqual(
      py(`
async def main():
    for order in ["ab", "ba"]:
        a = asyncio.create_task(child_c("a", 1))
        b = asyncio.create_task(child("b", 0.1, "bv"))
        g = asyncio.gather(*((a, b) if order == "ab" else (b, a)), return_exceptions=True)
        await asyncio.sleep(0.2)
        print(order, "cancel", g.cancel("m"))
        try:
            print("result", show(await g))
        except asyncio.CancelledError as e:
            print(order, "raised", name(e), repr(str(e)))
`),
    );
  });

  it.skipIf(!hasPython)("waits once for a duplicated future or coroutine", async () => {
    const t = trace();
    const { child } = helpers(t.log);
    await runVirtual(
      (function* () {
        const loop = getRunningLoop();
        const f = loop.createFuture<string>();
        const c = child("c", 0.1, "cv");
        const tk = createTask(child("t", 0.2, "tv"));
        const g = gather(f, tk, c, f, c, tk);
        loop.callLater(0.3, () => f.setResult("fv"));
        t.log("dups", yield* g, time());
        const d = loop.createFuture<number>();
        d.setResult(5);
        const g2 = gather(d, d);
        t.log("done dups", g2.done(), g2.result());
      })(),
    );
    expect(t.lines).toEqual(
      py(`
async def main():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    c = child("c", 0.1, "cv")
    tk = asyncio.create_task(child("t", 0.2, "tv"))
    g = asyncio.gather(f, tk, c, f, c, tk)
    loop.call_later(0.3, f.set_result, "fv")
    print("dups", await g, now())
    d = loop.create_future()
    d.set_result(5)
    g2 = asyncio.gather(d, d)
    print("done dups", g2.done(), g2.result())
`),
    );
  });

  it.skipIf(!hasPython)("returns a done future for no arguments", async () => {
    const t = trace();
    const { ticker } = helpers(t.log);
    await runVirtual(
      (function* () {
        const tk = createTask(ticker(2));
        const g = gather();
        t.log("empty", g.done(), g.result(), g.getLoop() === getRunningLoop());
        t.log("awaited", yield* g);
        yield* tk;
        const g2 = gather({ returnExceptions: true });
        t.log("empty with options", g2.result());
      })(),
    );
    expect(t.lines).toEqual(
      py(`
async def main():
    tk = asyncio.create_task(ticker(2))
    g = asyncio.gather()
    print("empty", g.done(), g.result(), g.get_loop() is asyncio.get_running_loop())
    print("awaited", await g)
    await tk
    g2 = asyncio.gather(return_exceptions=True)
    print("empty with options", g2.result())
`),
    );
  });

  it.skipIf(!hasPython)("cancels nested gathers from the outside in", async () => {
    const t = trace();
    const { childC } = helpers(t.log);
    await runVirtual(
      (function* () {
        const inner = gather(childC("a", 1), childC("b", 2));
        const outer = gather(inner, childC("c", 3));
        yield* sleep(0.1);
        t.log("cancel", outer.cancel("bye"));
        try {
          yield* outer;
        } catch (e) {
          t.log("outer raised", errName(e), `'${(e as Error).message}'`, time());
        }
        const ie = inner.exception() as Error;
        t.log("inner", inner.done(), inner.cancelled(), errName(ie), `'${ie.message}'`);
      })(),
    );
    expect(t.lines).toEqual(
      py(`
async def main():
    inner = asyncio.gather(child_c("a", 1), child_c("b", 2))
    outer = asyncio.gather(inner, child_c("c", 3))
    await asyncio.sleep(0.1)
    print("cancel", outer.cancel("bye"))
    try:
        await outer
    except asyncio.CancelledError as e:
        print("outer raised", name(e), repr(str(e)), now())
    ie = inner.exception()
    print("inner", inner.done(), inner.cancelled(), name(ie), repr(str(ie)))
`),
    );
  });

  it.skipIf(!hasPython)("is cancelled with the task awaiting it", async () => {
    const t = trace();
    const { childC } = helpers(t.log);
    await runVirtual(
      (function* () {
        function* waiter(): Coroutine<unknown> {
          try {
            return yield* gather(childC("a", 1), childC("b", 2));
          } catch (e) {
            t.log(
              "waiter got",
              errName(e),
              `'${(e as Error).message}'`,
              currentTask()!.cancelling(),
            );
            throw e;
          }
        }
        const w = createTask(waiter());
        yield* sleep(0.1);
        t.log("cancel", w.cancel("m"));
        try {
          yield* w;
        } catch (e) {
          t.log("w", w.cancelled(), `'${(e as Error).message}'`, time());
        }
      })(),
    );
    expect(t.lines).toEqual(
      py(`
async def main():
    async def waiter():
        try:
            return await asyncio.gather(child_c("a", 1), child_c("b", 2))
        except asyncio.CancelledError as e:
            print("waiter got", name(e), repr(str(e)), asyncio.current_task().cancelling())
            raise
    w = asyncio.create_task(waiter())
    await asyncio.sleep(0.1)
    print("cancel", w.cancel("m"))
    try:
        await w
    except asyncio.CancelledError as e:
        print("w", w.cancelled(), repr(str(e)), now())
`),
    );
  });

  it.skipIf(!hasPython)(
    "completes before returning when every child is done (eager tasks)",
    async () => {
      const t = trace();
      const { fail } = helpers(t.log);
      await runVirtual(
        (function* () {
          const loop = getRunningLoop();
          loop.setTaskFactory(eagerTaskFactory);
          // biome-ignore lint/correctness/useYield: a coroutine need not await.
          function* quick(v: number): Coroutine<number> {
            t.log("quick", v);
            return v;
          }
          const g = gather(quick(1), quick(2));
          t.log("eager", g.done(), g.result());
          const g2 = gather(quick(3), fail("x", 0.1), { returnExceptions: true });
          t.log("half eager", g2.done());
          t.log("g2", show(yield* g2));
          loop.setTaskFactory(null);
        })(),
      );
      expect(t.lines).toEqual(
        py(`
async def main():
    loop = asyncio.get_running_loop()
    loop.set_task_factory(asyncio.eager_task_factory)
    async def quick(v):
        print("quick", v)
        return v
    g = asyncio.gather(quick(1), quick(2))
    print("eager", g.done(), g.result())
    g2 = asyncio.gather(quick(3), fail("x", 0.1), return_exceptions=True)
    print("half eager", g2.done())
    print("g2", show(await g2))
    loop.set_task_factory(None)
`),
      );
    },
  );
});

/** Sorted labels of a set of futures (Python's sets have no order to compare). */
function labels(fs: Set<Future<unknown>>, names: Map<Future<unknown>, string>): string[] {
  return [...fs].map((f) => names.get(f)!).sort();
}

const PY_LABELS = `
def labels(fs, names):
    return sorted(names[f] for f in fs)
`;

describe("oracle: wait", () => {
  for (const rw of [FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED] as ReturnWhen[]) {
    it.skipIf(!hasPython)(`returns as ${rw} says`, async () => {
      const t = trace();
      const { child, fail, ticker } = helpers(t.log);
      await runVirtual(
        (function* () {
          const a = createTask(child("a", 0.1, 1));
          const b = createTask(fail("b", 0.2));
          const c = createTask(child("c", 0.3, 3));
          const names = new Map<Future<unknown>, string>([
            [a, "a"],
            [b, "b"],
            [c, "c"],
          ]);
          const tk = createTask(ticker(2));
          const [done, pending] = yield* wait([a, b, c], { returnWhen: rw });
          t.log("returned", time(), labels(done, names), labels(pending, names));
          yield* sleep(1);
          t.log("later", c.done(), errName(b.exception()));
          yield* tk;
        })(),
      );
      expect(t.lines).toEqual(
        py(`${PY_LABELS}
async def main():
    a = asyncio.create_task(child("a", 0.1, 1))
    b = asyncio.create_task(fail("b", 0.2))
    c = asyncio.create_task(child("c", 0.3, 3))
    names = {a: "a", b: "b", c: "c"}
    tk = asyncio.create_task(ticker(2))
    done, pending = await asyncio.wait([a, b, c], return_when=asyncio.${rw})
    print("returned", now(), labels(done, names), labels(pending, names))
    await asyncio.sleep(1)
    print("later", c.done(), name(b.exception()))
    await tk
`),
      );
    });
  }

  it.skipIf(!hasPython)("returns at the timeout without cancelling anything", async () => {
    const t = trace();
    const { childC } = helpers(t.log);
    await runVirtual(
      (function* () {
        const a = createTask(childC("a", 0.1));
        const b = createTask(childC("b", 0.5));
        const names = new Map<Future<unknown>, string>([
          [a, "a"],
          [b, "b"],
        ]);
        const [done, pending] = yield* wait([a, b, a], { timeout: 0.25 });
        t.log("timed out", time(), labels(done, names), labels(pending, names), b.cancelled());
        const [done2] = yield* wait([b], { timeout: 10 });
        t.log("then", time(), labels(done2, names));
        const [done3, pending3] = yield* wait([a], { timeout: 0 });
        t.log("zero", time(), labels(done3, names), labels(pending3, names));
      })(),
    );
    expect(t.lines).toEqual(
      py(`${PY_LABELS}
async def main():
    a = asyncio.create_task(child_c("a", 0.1))
    b = asyncio.create_task(child_c("b", 0.5))
    names = {a: "a", b: "b"}
    done, pending = await asyncio.wait([a, b, a], timeout=0.25)
    print("timed out", now(), labels(done, names), labels(pending, names), b.cancelled())
    done2, _ = await asyncio.wait([b], timeout=10)
    print("then", now(), labels(done2, names))
    done3, pending3 = await asyncio.wait([a], timeout=0)
    print("zero", now(), labels(done3, names), labels(pending3, names))
`),
    );
  });

  it.skipIf(!hasPython)("wakes the waiter in the same turns as Python", async () => {
    const t = trace();
    const { ticker } = helpers(t.log);
    await runVirtual(
      (function* () {
        const loop = getRunningLoop();
        const f1 = loop.createFuture<number>();
        const f2 = loop.createFuture<number>();
        f1.addDoneCallback(() => t.log("f1 cb"));
        loop.callSoon(() => {
          t.log("set f1");
          f1.setResult(1);
        });
        loop.callSoon(() => {
          t.log("cancel f2");
          f2.cancel();
        });
        const tk = createTask(ticker(4));
        const [done, pending] = yield* wait([f1, f2]);
        t.log("all", done.size, pending.size, f2.cancelled());
        yield* tk;
      })(),
    );
    expect(t.lines).toEqual(
      py(`
async def main():
    loop = asyncio.get_running_loop()
    f1 = loop.create_future()
    f2 = loop.create_future()
    f1.add_done_callback(lambda f: print("f1 cb"))
    def set1():
        print("set f1")
        f1.set_result(1)
    def cancel2():
        print("cancel f2")
        f2.cancel()
    loop.call_soon(set1)
    loop.call_soon(cancel2)
    tk = asyncio.create_task(ticker(4))
    done, pending = await asyncio.wait([f1, f2])
    print("all", len(done), len(pending), f2.cancelled())
    await tk
`),
    );
  });

  it.skipIf(!hasPython)("raises bad arguments when awaited, and can be cancelled", async () => {
    const t = trace();
    const { childC } = helpers(t.log);
    await runVirtual(
      (function* () {
        const a = createTask(childC("a", 1));
        const attempts: [string, () => Coroutine<unknown>][] = [
          ["empty", () => wait([])],
          ["bad when", () => wait([a], { returnWhen: "SOMETIMES" as ReturnWhen })],
          ["coroutine", () => wait([sleep(1)] as unknown as Future<unknown>[])],
          ["future", () => wait(a as unknown as Future<unknown>[])],
        ];
        for (const [label, make] of attempts) {
          const c = make();
          t.log(label, "made");
          try {
            yield* c;
          } catch (e) {
            t.log(label, (e as Error).message);
          }
        }
        const w = createTask(wait([a]));
        yield* sleep(0.1);
        w.cancel();
        try {
          yield* w;
        } catch (e) {
          t.log("wait cancelled", errName(e), a.done(), time());
        }
        a.cancel();
        const [done] = yield* wait([a]);
        t.log("a", done.has(a), a.cancelled(), time());
      })(),
    );
    expect(t.lines).toEqual(
      py(`
async def main():
    a = asyncio.create_task(child_c("a", 1))
    attempts = [
        ("empty", lambda: asyncio.wait([])),
        ("bad when", lambda: asyncio.wait([a], return_when="SOMETIMES")),
        ("coroutine", lambda: asyncio.wait([asyncio.sleep(1)])),
        ("future", lambda: asyncio.wait(a)),
    ]
    for label, make in attempts:
        c = make()
        print(label, "made")
        try:
            await c
        except (TypeError, ValueError) as e:
            print(label, str(e))
    w = asyncio.create_task(asyncio.wait([a]))
    await asyncio.sleep(0.1)
    w.cancel()
    try:
        await w
    except asyncio.CancelledError as e:
        print("wait cancelled", name(e), a.done(), now())
    a.cancel()
    done, _ = await asyncio.wait([a])
    print("a", a in done, a.cancelled(), now())
`),
    );
  });
});

describe("oracle: asCompleted", () => {
  it.skipIf(!hasPython)("gives results in completion order", async () => {
    const t = trace();
    const { child, fail, ticker } = helpers(t.log);
    await runVirtual(
      (function* () {
        const a = createTask(child("a", 0.3, "av"));
        const b = createTask(fail("b", 0.2));
        const tk = createTask(ticker(3));
        let i = 0;
        for (const next of asCompleted([a, b, sleep(0.1, "cv"), a])) {
          try {
            t.log("got", i, yield* next, time());
          } catch (e) {
            t.log("raised", i, errName(e), time());
          }
          i++;
        }
        t.log("end", i);
        yield* tk;
      })(),
    );
    expect(t.lines).toEqual(
      py(`
async def main():
    a = asyncio.create_task(child("a", 0.3, "av"))
    b = asyncio.create_task(fail("b", 0.2))
    tk = asyncio.create_task(ticker(3))
    i = 0
    for nxt in asyncio.as_completed([a, b, asyncio.sleep(0.1, "cv"), a]):
        try:
            print("got", i, await nxt, now())
        except Exception as e:
            print("raised", i, name(e), now())
        i += 1
    print("end", i)
    await tk
`),
    );
  });

  it.skipIf(!hasPython)("raises TimeoutError for the rest once the timeout passes", async () => {
    const t = trace();
    const { childC } = helpers(t.log);
    await runVirtual(
      (function* () {
        const a = createTask(childC("a", 0.1));
        const b = createTask(childC("b", 0.5));
        const c = createTask(childC("c", 0.6));
        const it = asCompleted([a, b, c], { timeout: 0.3 });
        for (const next of it) {
          try {
            t.log("got", yield* next, time());
          } catch (e) {
            t.log("raised", errName(e), time());
          }
        }
        t.log("still running", b.done(), c.done());
        yield* sleep(1);
        t.log("finished", b.result(), c.result());
      })(),
    );
    expect(t.lines).toEqual(
      py(`
async def main():
    a = asyncio.create_task(child_c("a", 0.1))
    b = asyncio.create_task(child_c("b", 0.5))
    c = asyncio.create_task(child_c("c", 0.6))
    it = asyncio.as_completed([a, b, c], timeout=0.3)
    for nxt in it:
        try:
            print("got", await nxt, now())
        except TimeoutError as e:
            print("raised", name(e), now())
    print("still running", b.done(), c.done())
    await asyncio.sleep(1)
    print("finished", b.result(), c.result())
`),
    );
  });

  it.skipIf(!hasPython)(
    "yields the original futures in futures() (Python's async for)",
    async () => {
      const t = trace();
      const { child } = helpers(t.log);
      await runVirtual(
        (function* () {
          const a = createTask(child("a", 0.2, "av"));
          const f = getRunningLoop().createFuture<string>();
          getRunningLoop().callLater(0.1, () => f.setResult("fv"));
          for (const next of asCompleted([a, f]).futures()) {
            const x = yield* next;
            t.log("future", x === a ? "a" : x === f ? "f" : "?", x.result(), time());
          }
        })(),
      );
      expect(t.lines).toEqual(
        py(`
async def main():
    a = asyncio.create_task(child("a", 0.2, "av"))
    f = asyncio.get_running_loop().create_future()
    asyncio.get_running_loop().call_later(0.1, f.set_result, "fv")
    async for x in asyncio.as_completed([a, f]):
        print("future", "a" if x is a else "f" if x is f else "?", x.result(), now())
`),
      );
    },
  );

  it.skipIf(!hasPython)("serves concurrent waiters in the order they wait", async () => {
    const t = trace();
    const { child, ticker } = helpers(t.log);
    await runVirtual(
      (function* () {
        const a = createTask(child("a", 0.2, "av"));
        const b = createTask(child("b", 0.1, "bv"));
        const c = createTask(child("c", 0.3, "cv"));
        const tk = createTask(ticker(3));
        const nexts = [...asCompleted([a, b, c])];
        const w = createTask(nexts[1]!);
        t.log("all", yield* gather(nexts[2]!, nexts[0]!), yield* w, time());
        yield* tk;
      })(),
    );
    expect(t.lines).toEqual(
      py(`
async def main():
    a = asyncio.create_task(child("a", 0.2, "av"))
    b = asyncio.create_task(child("b", 0.1, "bv"))
    c = asyncio.create_task(child("c", 0.3, "cv"))
    tk = asyncio.create_task(ticker(3))
    nexts = list(asyncio.as_completed([a, b, c]))
    w = asyncio.create_task(nexts[1])
    print("all", await asyncio.gather(nexts[2], nexts[0]), await w, now())
    await tk
`),
    );
  });
});

describe("oracle: shield", () => {
  it.skipIf(!hasPython)("lets the inner task finish when the caller is cancelled", async () => {
    const t = trace();
    const { childC, ticker } = helpers(t.log);
    await runVirtual(
      (function* () {
        const inner = createTask(childC("inner", 0.5));
        function* caller(): Coroutine<unknown> {
          try {
            return yield* shield(inner);
          } catch (e) {
            t.log("caller got", errName(e), `'${(e as Error).message}'`, time());
            throw e;
          }
        }
        const c = createTask(caller());
        yield* sleep(0.1);
        t.log("cancel caller", c.cancel("go"));
        try {
          yield* c;
        } catch {
          t.log("caller", c.cancelled(), inner.done());
        }
        t.log("inner", yield* inner, time());
        const tk = createTask(ticker(4));
        const inner2 = createTask(childC("inner2", 0.1));
        yield* sleep(0.05);
        t.log("shielded", yield* shield(inner2), time());
        yield* tk;
      })(),
    );
    expect(t.lines).toEqual(
      py(`
async def main():
    inner = asyncio.create_task(child_c("inner", 0.5))
    async def caller():
        try:
            return await asyncio.shield(inner)
        except asyncio.CancelledError as e:
            print("caller got", name(e), repr(str(e)), now())
            raise
    c = asyncio.create_task(caller())
    await asyncio.sleep(0.1)
    print("cancel caller", c.cancel("go"))
    try:
        await c
    except asyncio.CancelledError:
        print("caller", c.cancelled(), inner.done())
    print("inner", await inner, now())
    tk = asyncio.create_task(ticker(4))
    inner2 = asyncio.create_task(child_c("inner2", 0.1))
    await asyncio.sleep(0.05)
    print("shielded", await asyncio.shield(inner2), now())
    await tk
`),
    );
  });

  it.skipIf(!hasPython)(
    "follows the inner's cancellation, error and early completion",
    async () => {
      const t = trace();
      const { childC, fail } = helpers(t.log);
      await runVirtual(
        (function* () {
          const inner = createTask(childC("inner", 1));
          const outer = shield(inner);
          yield* sleep(0.1);
          inner.cancel("in");
          try {
            yield* outer;
          } catch (e) {
            t.log("outer", errName(e), `'${(e as Error).message}'`, outer.cancelled());
          }
          const bad = shield(fail("x", 0.1));
          try {
            yield* bad;
          } catch (e) {
            t.log("bad", errName(e), (e as Error).message, time());
          }
          const done = createTask(childC("done", 0));
          yield* sleep(0.01);
          t.log("same", shield(done) === done);
          const f = getRunningLoop().createFuture<number>();
          const s = shield(f);
          s.cancel();
          f.setResult(7);
          yield* sleep(0);
          t.log("after outer cancel", s.cancelled(), f.result());
        })(),
      );
      expect(t.lines).toEqual(
        py(`
async def main():
    inner = asyncio.create_task(child_c("inner", 1))
    outer = asyncio.shield(inner)
    await asyncio.sleep(0.1)
    inner.cancel("in")
    try:
        await outer
    except asyncio.CancelledError as e:
        print("outer", name(e), repr(str(e)), outer.cancelled())
    bad = asyncio.shield(fail("x", 0.1))
    try:
        await bad
    except Boom as e:
        print("bad", name(e), str(e), now())
    done = asyncio.create_task(child_c("done", 0))
    await asyncio.sleep(0.01)
    print("same", asyncio.shield(done) is done)
    f = asyncio.get_running_loop().create_future()
    s = asyncio.shield(f)
    s.cancel()
    f.set_result(7)
    await asyncio.sleep(0)
    print("after outer cancel", s.cancelled(), f.result())
`),
      );
    },
  );
});

describe("oracle: TaskGroup", () => {
  it.skipIf(!hasPython)("waits for every child and returns the body's result", async () => {
    const t = trace();
    const { child, ticker } = helpers(t.log);
    await runVirtual(
      (function* () {
        const tk = createTask(ticker(3));
        const r = yield* taskGroup(function* (tg) {
          const a = tg.createTask(child("a", 0.2, 1));
          tg.createTask(child("b", 0.1, 2));
          t.log("in body", String(tg));
          yield* sleep(0.05);
          t.log("body done", a.done(), time());
          return "body";
        });
        t.log("after", r, time(), currentTask()!.cancelling());
        yield* tk;
      })(),
    );
    expect(t.lines).toEqual(
      py(`
async def main():
    tk = asyncio.create_task(ticker(3))
    async with asyncio.TaskGroup() as tg:
        a = tg.create_task(child("a", 0.2, 1))
        tg.create_task(child("b", 0.1, 2))
        print("in body", repr(tg).replace(" tasks=2", " tasks=2"))
        await asyncio.sleep(0.05)
        print("body done", a.done(), now())
        r = "body"
    print("after", r, now(), asyncio.current_task().cancelling())
    await tk
`),
    );
  });

  it.skipIf(!hasPython)("cancels the body and the siblings when a child fails", async () => {
    const t = trace();
    const { childC, fail } = helpers(t.log);
    await runVirtual(
      (function* () {
        let group: TaskGroup | null = null;
        try {
          yield* taskGroup(function* (tg) {
            group = tg;
            tg.createTask(childC("sib", 1));
            tg.createTask(fail("bad", 0.1));
            try {
              yield* sleep(5);
            } catch (e) {
              t.log("body got", errName(e), String(tg), currentTask()!.cancelling(), time());
              try {
                tg.createTask(sleep(1));
              } catch (e2) {
                t.log("create", errName(e2), (e2 as Error).message);
              }
              throw e;
            }
          });
        } catch (e) {
          t.log("raised", fmt(e), time(), currentTask()!.cancelling());
        }
        try {
          group!.createTask(sleep(1));
        } catch (e) {
          t.log("create after", errName(e), (e as Error).message);
        }
        yield* sleep(0.5);
        t.log("after", time());
      })(),
    );
    expect(t.lines).toEqual(
      py(`
async def main():
    group = None
    try:
        async with asyncio.TaskGroup() as tg:
            group = tg
            tg.create_task(child_c("sib", 1))
            tg.create_task(fail("bad", 0.1))
            try:
                await asyncio.sleep(5)
            except asyncio.CancelledError as e:
                print("body got", name(e), repr(tg), asyncio.current_task().cancelling(), now())
                try:
                    tg.create_task(asyncio.sleep(1))
                except RuntimeError as e2:
                    print("create", name(e2), str(e2))
                raise
    except BaseException as e:
        print("raised", fmt(e), now(), asyncio.current_task().cancelling())
    try:
        group.create_task(asyncio.sleep(1))
    except RuntimeError as e:
        print("create after", name(e), str(e))
    await asyncio.sleep(0.5)
    print("after", now())
`),
    );
  });

  it.skipIf(!hasPython)("adds the body's own error to the group, last", async () => {
    const t = trace();
    const { childC, fail } = helpers(t.log);
    await runVirtual(
      (function* () {
        try {
          yield* taskGroup(function* (tg) {
            tg.createTask(childC("sib", 1));
            tg.createTask(fail("early", 0));
            yield* sleep(0);
            yield* sleep(0);
            throw new Boom("body");
          });
        } catch (e) {
          t.log("raised", fmt(e), time(), currentTask()!.cancelling());
        }
        try {
          yield* taskGroup(function* (tg) {
            tg.createTask(childC("only", 1));
            yield* sleep(0.1);
            throw new Boom("body2");
          });
        } catch (e) {
          t.log("raised", fmt(e), time(), currentTask()!.cancelling());
        }
      })(),
    );
    expect(t.lines).toEqual(
      py(`
async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child_c("sib", 1))
            tg.create_task(fail("early", 0))
            await asyncio.sleep(0)
            await asyncio.sleep(0)
            raise Boom("body")
    except BaseException as e:
        print("raised", fmt(e), now(), asyncio.current_task().cancelling())
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child_c("only", 1))
            await asyncio.sleep(0.1)
            raise Boom("body2")
    except BaseException as e:
        print("raised", fmt(e), now(), asyncio.current_task().cancelling())
`),
    );
  });

  it.skipIf(!hasPython)(
    "propagates a cancellation from outside, in the body or while exiting",
    async () => {
      const t = trace();
      const { childC } = helpers(t.log);
      await runVirtual(
        (function* () {
          for (const when of [0.05, 0.2]) {
            function* worker(): Coroutine<void> {
              try {
                yield* taskGroup(function* (tg) {
                  tg.createTask(childC("c", 1));
                  yield* sleep(0.1);
                  t.log("body end", time());
                });
              } catch (e) {
                t.log(
                  "worker got",
                  errName(e),
                  `'${(e as Error).message}'`,
                  currentTask()!.cancelling(),
                );
                throw e;
              }
            }
            const w = createTask(worker());
            yield* sleep(when);
            w.cancel("out");
            try {
              yield* w;
            } catch {
              t.log("w", when, w.cancelled(), time());
            }
          }
        })(),
      );
      expect(t.lines).toEqual(
        py(`
async def main():
    for when in [0.05, 0.2]:
        async def worker():
            try:
                async with asyncio.TaskGroup() as tg:
                    tg.create_task(child_c("c", 1))
                    await asyncio.sleep(0.1)
                    print("body end", now())
            except BaseException as e:
                print("worker got", name(e), repr(str(e)), asyncio.current_task().cancelling())
                raise
        w = asyncio.create_task(worker())
        await asyncio.sleep(when)
        w.cancel("out")
        try:
            await w
        except asyncio.CancelledError:
            print("w", when, w.cancelled(), now())
`),
      );
    },
  );

  it.skipIf(!hasPython)(
    "gives errors priority over an outer cancellation and keeps the count",
    async () => {
      const t = trace();
      const { childC, fail } = helpers(t.log);
      await runVirtual(
        (function* () {
          function* worker(): Coroutine<void> {
            try {
              yield* taskGroup(function* (tg) {
                tg.createTask(fail("bad", 0.1));
                tg.createTask(childC("slow", 1));
                yield* sleep(5);
              });
            } catch (e) {
              t.log("worker got", fmt(e), currentTask()!.cancelling());
            }
            try {
              yield* sleep(1);
              t.log("slept");
            } catch (e) {
              t.log("then got", errName(e), currentTask()!.cancelling());
              throw e;
            }
          }
          const w = createTask(worker());
          yield* sleep(0.1);
          // Same turn as the failure: the worker is cancelled from outside too.
          w.cancel("out");
          try {
            yield* w;
          } catch {
            t.log("w", w.cancelled(), time());
          }
        })(),
      );
      expect(t.lines).toEqual(
        py(`
async def main():
    async def worker():
        try:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(fail("bad", 0.1))
                tg.create_task(child_c("slow", 1))
                await asyncio.sleep(5)
        except BaseException as e:
            print("worker got", fmt(e), asyncio.current_task().cancelling())
        try:
            await asyncio.sleep(1)
            print("slept")
        except asyncio.CancelledError as e:
            print("then got", name(e), asyncio.current_task().cancelling())
            raise
    w = asyncio.create_task(worker())
    await asyncio.sleep(0.1)
    w.cancel("out")
    try:
        await w
    except asyncio.CancelledError:
        print("w", w.cancelled(), now())
`),
      );
    },
  );

  it.skipIf(!hasPython)("nests groups: an inner failure fails the outer", async () => {
    const t = trace();
    const { childC, fail } = helpers(t.log);
    await runVirtual(
      (function* () {
        try {
          yield* taskGroup(function* (outer) {
            outer.createTask(childC("outer child", 1));
            yield* taskGroup(function* (inner) {
              inner.createTask(childC("inner child", 1));
              inner.createTask(fail("inner bad", 0.1));
              yield* sleep(5);
            });
            t.log("unreachable");
          });
        } catch (e) {
          t.log("raised", fmt(e), time(), currentTask()!.cancelling());
        }
      })(),
    );
    expect(t.lines).toEqual(
      py(`
async def main():
    try:
        async with asyncio.TaskGroup() as outer:
            outer.create_task(child_c("outer child", 1))
            async with asyncio.TaskGroup() as inner:
                inner.create_task(child_c("inner child", 1))
                inner.create_task(fail("inner bad", 0.1))
                await asyncio.sleep(5)
            print("unreachable")
    except BaseException as e:
        print("raised", fmt(e), now(), asyncio.current_task().cancelling())
`),
    );
  });

  it.skipIf(!hasPython)(
    "handles children that finish eagerly and tasks created while exiting",
    async () => {
      const t = trace();
      const { child, fail } = helpers(t.log);
      await runVirtual(
        (function* () {
          const loop = getRunningLoop();
          loop.setTaskFactory(eagerTaskFactory);
          // biome-ignore lint/correctness/useYield: a coroutine need not await.
          function* boomNow(): Coroutine<never> {
            t.log("boom now");
            throw new Boom("now");
          }
          try {
            yield* taskGroup(function* (tg) {
              tg.createTask(child("first", 0.1, 1));
              tg.createTask(boomNow());
              t.log("after eager failure", String(tg), currentTask()!.cancelling());
              yield* sleep(1);
            });
          } catch (e) {
            t.log("raised", fmt(e), currentTask()!.cancelling());
          }
          loop.setTaskFactory(null);
          // biome-ignore lint/correctness/useYield: a coroutine need not await (Python's `async def` without `await`).
          const r = yield* taskGroup(function* (tg) {
            function* spawner(): Coroutine<string> {
              yield* sleep(0.1);
              tg.createTask(child("late", 0.1, "l"));
              return "s";
            }
            tg.createTask(spawner());
            return "body";
          });
          t.log("late ok", r, time());
          try {
            // biome-ignore lint/correctness/useYield: a coroutine need not await (Python's `async def` without `await`).
            yield* taskGroup(function* (tg) {
              tg.createTask(fail("f", 0.1));
            });
          } catch (e) {
            t.log("exit-time failure", fmt(e), time());
          }
        })(),
      );
      expect(t.lines).toEqual(
        py(`
async def main():
    loop = asyncio.get_running_loop()
    loop.set_task_factory(asyncio.eager_task_factory)
    async def boom_now():
        print("boom now")
        raise Boom("now")
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child("first", 0.1, 1))
            tg.create_task(boom_now())
            print("after eager failure", repr(tg), asyncio.current_task().cancelling())
            await asyncio.sleep(1)
    except BaseException as e:
        print("raised", fmt(e), asyncio.current_task().cancelling())
    loop.set_task_factory(None)
    async with asyncio.TaskGroup() as tg:
        async def spawner():
            await asyncio.sleep(0.1)
            tg.create_task(child("late", 0.1, "l"))
            return "s"
        tg.create_task(spawner())
        r = "body"
    print("late ok", r, now())
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(fail("f", 0.1))
    except BaseException as e:
        print("exit-time failure", fmt(e), now())
`),
      );
    },
  );

  it.skipIf(!hasPython)(
    "re-waits when the parent is cancelled repeatedly while exiting",
    async () => {
      const t = trace();
      await runVirtual(
        (function* () {
          function* stubborn(label: string): Coroutine<void> {
            try {
              yield* sleep(1);
            } catch (e) {
              t.log(label, "ignores", errName(e), time());
              yield* sleep(0.5);
              t.log(label, "done", time());
            }
          }
          function* worker(): Coroutine<void> {
            try {
              // biome-ignore lint/correctness/useYield: a coroutine need not await (Python's `async def` without `await`).
              yield* taskGroup(function* (tg) {
                tg.createTask(stubborn("s"));
                // Silent: Python cancels a group's children in set order, so only one may print.
                tg.createTask(sleep(2));
              });
            } catch (e) {
              t.log(
                "worker got",
                errName(e),
                `'${(e as Error).message}'`,
                currentTask()!.cancelling(),
              );
              throw e;
            }
          }
          const w = createTask(worker());
          yield* sleep(0.1);
          w.cancel("one");
          yield* sleep(0.1);
          w.cancel("two");
          try {
            yield* w;
          } catch {
            t.log("w", w.cancelled(), time());
          }
        })(),
      );
      expect(t.lines).toEqual(
        py(`
async def main():
    async def stubborn(label):
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError as e:
            print(label, "ignores", name(e), now())
            await asyncio.sleep(0.5)
            print(label, "done", now())
    async def worker():
        try:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(stubborn("s"))
                tg.create_task(asyncio.sleep(2))
        except BaseException as e:
            print("worker got", name(e), repr(str(e)), asyncio.current_task().cancelling())
            raise
    w = asyncio.create_task(worker())
    await asyncio.sleep(0.1)
    w.cancel("one")
    await asyncio.sleep(0.1)
    w.cancel("two")
    try:
        await w
    except asyncio.CancelledError:
        print("w", w.cancelled(), now())
`),
      );
    },
  );
});

describe("oracle: edge cases", () => {
  it.skipIf(!hasPython)(
    "asCompleted hands a completion on when its waiter is cancelled late",
    async () => {
      const t = trace();
      await runVirtual(
        (function* () {
          const loop = getRunningLoop();
          const f1 = loop.createFuture<string>();
          const f2 = loop.createFuture<string>();
          const [n1, n2] = [...asCompleted([f1, f2])];
          const w1 = createTask(n1!);
          const w2 = createTask(n2!);
          yield* sleep(0);
          f1.addDoneCallback(() => t.log("cancel w1", w1.cancel()));
          loop.callLater(0.1, () => f1.setResult("one"));
          loop.callLater(0.2, () => f2.setResult("two"));
          try {
            yield* w1;
          } catch (e) {
            t.log("w1", errName(e), time());
          }
          t.log("w2", yield* w2, time());
        })(),
      );
      expect(t.lines).toEqual(
        py(`
async def main():
    loop = asyncio.get_running_loop()
    f1 = loop.create_future()
    f2 = loop.create_future()
    n1, n2 = list(asyncio.as_completed([f1, f2]))
    w1 = asyncio.create_task(n1)
    w2 = asyncio.create_task(n2)
    await asyncio.sleep(0)
    f1.add_done_callback(lambda f: print("cancel w1", w1.cancel()))
    loop.call_later(0.1, f1.set_result, "one")
    loop.call_later(0.2, f2.set_result, "two")
    try:
        await w1
    except asyncio.CancelledError as e:
        print("w1", name(e), now())
    print("w2", await w2, now())
`),
      );
    },
  );

  it.skipIf(!hasPython)("TaskGroup: a body that swallows the group's cancellation", async () => {
    const t = trace();
    const { fail } = helpers(t.log);
    await runVirtual(
      (function* () {
        try {
          const r = yield* taskGroup(function* (tg) {
            tg.createTask(fail("bad", 0.1));
            try {
              yield* sleep(5);
            } catch (e) {
              t.log("body swallows", errName(e), currentTask()!.cancelling());
            }
            t.log("body goes on", time());
            yield* sleep(0.1);
            t.log("body returns", time());
            return "r";
          });
          t.log("unreachable", r);
        } catch (e) {
          t.log("raised", fmt(e), time(), currentTask()!.cancelling());
        }
        yield* sleep(0.1);
        t.log("after", time());
      })(),
    );
    expect(t.lines).toEqual(
      py(`
async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(fail("bad", 0.1))
            try:
                await asyncio.sleep(5)
            except asyncio.CancelledError as e:
                print("body swallows", name(e), asyncio.current_task().cancelling())
            print("body goes on", now())
            await asyncio.sleep(0.1)
            print("body returns", now())
            r = "r"
        print("unreachable", r)
    except BaseException as e:
        print("raised", fmt(e), now(), asyncio.current_task().cancelling())
    await asyncio.sleep(0.1)
    print("after", now())
`),
    );
  });

  it.skipIf(!hasPython)(
    "TaskGroup: outer cancellation while aborting after a failure",
    async () => {
      const t = trace();
      const { fail } = helpers(t.log);
      await runVirtual(
        (function* () {
          function* stubborn(): Coroutine<string> {
            try {
              yield* sleep(1);
            } catch (e) {
              t.log("stubborn got", errName(e), time());
              yield* sleep(0.5);
            }
            t.log("stubborn returns", time());
            return "s";
          }
          function* worker(): Coroutine<void> {
            try {
              // biome-ignore lint/correctness/useYield: a coroutine need not await (Python's `async def` without `await`).
              yield* taskGroup(function* (tg) {
                tg.createTask(stubborn());
                tg.createTask(fail("bad", 0.1));
              });
            } catch (e) {
              t.log("worker got", fmt(e), currentTask()!.cancelling());
              throw e;
            }
          }
          const w = createTask(worker());
          yield* sleep(0.3);
          t.log("cancel", w.cancel("late"));
          try {
            yield* w;
          } catch (e) {
            t.log("w", w.cancelled(), fmt(e), time());
          }
        })(),
      );
      expect(t.lines).toEqual(
        py(`
async def main():
    async def stubborn():
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError as e:
            print("stubborn got", name(e), now())
            await asyncio.sleep(0.5)
        print("stubborn returns", now())
        return "s"
    async def worker():
        try:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(stubborn())
                tg.create_task(fail("bad", 0.1))
        except BaseException as e:
            print("worker got", fmt(e), asyncio.current_task().cancelling())
            raise
    w = asyncio.create_task(worker())
    await asyncio.sleep(0.3)
    print("cancel", w.cancel("late"))
    try:
        await w
    except BaseException as e:
        print("w", w.cancelled(), fmt(e), now())
`),
      );
    },
  );

  it.skipIf(!hasPython)(
    "gather: errors after the first are retrieved; returnExceptions keeps order",
    async () => {
      const t = trace();
      const { fail, child, ticker } = helpers(t.log);
      await runVirtual(
        (function* () {
          const tk = createTask(ticker(5));
          const loop = getRunningLoop();
          const f = loop.createFuture<string>();
          loop.callSoon(() => f.cancel("fmsg"));
          const r = yield* gather(fail("x", 0), child("y", 0, "yv"), f, fail("z", 0.1), {
            returnExceptions: true,
          });
          t.log("settled", show(r), time());
          yield* tk;
        })(),
      );
      expect(t.lines).toEqual(
        py(`
async def main():
    tk = asyncio.create_task(ticker(5))
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    loop.call_soon(f.cancel, "fmsg")
    r = await asyncio.gather(fail("x", 0), child("y", 0, "yv"), f, fail("z", 0.1), return_exceptions=True)
    print("settled", show(r), now())
    await tk
`),
      );
    },
  );
});
