// biome-ignore-all lint/correctness/useYield: coroutines need not await (Python's `async def` without `await`).
import { describe, expect, it } from "vitest";
import { runVirtual, VirtualTimeEventLoopPolicy } from "../../testing/src/index.js";
import {
  CancelledError,
  createTask,
  eagerTaskFactory,
  getRunningLoop,
  newEventLoop,
  run,
  setEventLoopPolicy,
  type TraceEvent,
  Tracer,
} from "../src/index.js";
import { captureExceptions, collectUntil, hasGc, sleep } from "./helpers.js";

/** The events of one task (by its thread name), without metadata. */
function ofTask(events: TraceEvent[], name: string): TraceEvent[] {
  const meta = events.find(
    (e) => e.ph === "M" && e.name === "thread_name" && e.args?.name === name,
  );
  expect(meta).toBeDefined();
  return events.filter((e) => e.ph !== "M" && e.tid === meta!.tid && e.pid === meta!.pid);
}

function* worker(): Generator<never, string, unknown> {
  return "ok";
}

describe("Tracer", () => {
  it("records each task's creation, steps, awaits and end on the loop's clock", async () => {
    const tracer = new Tracer();
    setEventLoopPolicy(new VirtualTimeEventLoopPolicy());
    try {
      await run(
        (function* () {
          const child = createTask(
            (function* () {
              yield* sleep(2);
              return 1;
            })(),
            { name: "child" },
          );
          yield* sleep(1);
          yield* child;
        })(),
        { tracer },
      );
    } finally {
      setEventLoopPolicy(null);
    }
    const child = ofTask(tracer.events, "child").map((e) => [e.name, e.ph, e.ts, e.dur]);
    expect(child).toEqual([
      ["created", "i", 0, undefined],
      ["step", "X", 0, 0],
      [expect.stringMatching(/^await <Future pending/), "X", 0, 2e6],
      ["step", "X", 2e6, 0],
      ["done", "i", 2e6, undefined],
    ]);
    // The main task waited for the child from t=1 s until it finished at t=2 s.
    const mainAwaits = tracer.events.filter(
      (e) => e.cat === "await" && e.name.includes("name='child'"),
    );
    expect(mainAwaits.map((e) => [e.ts, e.dur])).toEqual([[1e6, 1e6]]);
  });

  it("names what a task awaits, and how it ended: failed or cancelled", async () => {
    const tracer = new Tracer();
    await runVirtual(
      (function* () {
        getRunningLoop().setTracer(tracer);
        const failing = createTask(
          (function* () {
            yield* sleep(1);
            throw new RangeError("bad");
          })(),
          { name: "failing" },
        );
        const sleeper = createTask(sleep(10), { name: "sleeper" });
        const waiter = createTask(
          (function* () {
            yield* sleeper;
          })(),
          { name: "waiter" },
        );
        yield* sleep(2);
        sleeper.cancel();
        try {
          yield* waiter;
        } catch (e) {
          expect(e).toBeInstanceOf(CancelledError);
        }
        try {
          yield* failing;
        } catch {}
      })(),
    );
    const last = (name: string) => ofTask(tracer.events, name).at(-1)!;
    expect(last("failing")).toMatchObject({
      name: "failed",
      args: { exception: "RangeError: bad" },
    });
    expect(last("waiter").name).toBe("cancelled");
    const waits = ofTask(tracer.events, "waiter").filter((e) => e.cat === "await");
    expect(waits.map((e) => e.name)).toEqual([
      expect.stringMatching(/^await <Task .*name='sleeper'/),
    ]);
    expect(waits[0]!.dur).toBe(2e6);
  });

  it("records timers scheduled and fired on the loop's row", async () => {
    const tracer = new Tracer();
    await runVirtual(
      (function* () {
        const loop = getRunningLoop();
        loop.setTracer(tracer);
        loop.callLater(1.5, () => {});
        yield* sleep(2);
      })(),
    );
    const timers = tracer.events
      .filter((e) => e.cat === "timer")
      .map((e) => [e.name, e.ts, e.args?.when]);
    expect(timers).toEqual([
      ["timer scheduled", 0, 1.5],
      ["timer scheduled", 0, 2],
      ["timer", 1.5e6, 1.5],
      ["timer", 2e6, 2],
    ]);
    expect(tracer.events.filter((e) => e.cat === "timer").every((e) => e.tid === 0)).toBe(true);
  });

  it("traces an eager task's first step where it is created", async () => {
    const tracer = new Tracer();
    await runVirtual(
      (function* () {
        const loop = getRunningLoop();
        loop.setTracer(tracer);
        loop.setTaskFactory(eagerTaskFactory);
        const t = createTask(worker(), { name: "eager" });
        expect(t.done()).toBe(true);
      })(),
    );
    expect(ofTask(tracer.events, "eager").map((e) => e.name)).toEqual(["created", "step", "done"]);
  });

  it("gives Chrome Trace Event JSON: metadata rows, spans with durations, instants", async () => {
    const tracer = new Tracer({ clock: "host" });
    await run(
      (function* () {
        yield* createTask(
          (function* () {
            yield;
          })(),
        );
      })(),
      { tracer },
    );
    const trace = JSON.parse(JSON.stringify(tracer.toChromeTrace()));
    expect(trace.displayTimeUnit).toBe("ms");
    for (const e of trace.traceEvents as TraceEvent[]) {
      expect(["X", "i", "M"]).toContain(e.ph);
      expect(typeof e.ts).toBe("number");
      expect(Number.isInteger(e.pid) && Number.isInteger(e.tid)).toBe(true);
      if (e.ph === "X") expect(e.dur).toBeGreaterThanOrEqual(0);
    }
    const steps = (trace.traceEvents as TraceEvent[]).filter((e) => e.name === "step");
    // Host clock: real microseconds, never going back.
    for (let i = 1; i < steps.length; i++)
      expect(steps[i]!.ts).toBeGreaterThanOrEqual(steps[i - 1]!.ts);
    expect(trace.traceEvents.some((e: TraceEvent) => e.name === "process_name")).toBe(true);
  });

  it("records nothing without a tracer, or after setTracer(null)", async () => {
    const tracer = new Tracer();
    await runVirtual(
      (function* () {
        const loop = getRunningLoop();
        loop.setTracer(tracer);
        expect(loop.getTracer()).toBe(tracer);
        loop.setTracer(null);
        yield* createTask(sleep(1));
      })(),
    );
    expect(tracer.events).toEqual([]);
    tracer.events.push({ name: "x", cat: "task", ph: "i", ts: 0, pid: 1, tid: 1 });
    tracer.clear();
    expect(tracer.toChromeTrace().traceEvents).toEqual([]);
  });

  it("rejects what is not a tracer, and an unknown clock", () => {
    const loop = newEventLoop();
    try {
      expect(() => loop.setTracer({} as never)).toThrow(
        new TypeError("Expected `tracer` to be a Tracer or null, got `[Object]`"),
      );
    } finally {
      loop.close();
    }
    expect(() => new Tracer({ clock: "wall" as never })).toThrow(
      new TypeError('Expected `clock` to be "loop" or "host", got `wall`'),
    );
    expect(() => run(worker(), { tracer: 1 as never })).toThrow(TypeError);
  });

  it.skipIf(!hasGc)(
    "leaves a failure nobody retrieved to be reported, as without a tracer",
    async () => {
      const loop = newEventLoop();
      loop.setTracer(new Tracer());
      const seen = captureExceptions<{ message: string; exception?: unknown }>(loop);
      const boom = new RangeError("never looked at");
      await (async () => {
        const t = loop.createTask(
          (function* () {
            yield;
            throw boom;
          })(),
        );
        const f = loop.createFuture();
        t.addDoneCallback(() => f.setResult(null));
        await loop.runUntilComplete(f);
      })();
      expect(await collectUntil(() => seen.length > 0)).toBe(true);
      expect(seen[0]?.message).toBe("Task exception was never retrieved");
      expect(seen[0]?.exception).toBe(boom);
      loop.close();
    },
  );
});
