import {
  type AbstractEventLoop,
  type Coroutine,
  createTask,
  getRunningLoop,
  RuntimeError,
  run,
  setEventLoopPolicy,
} from "@asyncio-ts/core";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { runVirtual, VirtualTimeEventLoop, VirtualTimeEventLoopPolicy } from "../src/index.js";

/** Core has no sleep; this is asyncio.sleep's shape on top of callLater. */
function* sleepFor(delay: number): Coroutine<void> {
  const loop = getRunningLoop();
  const fut = loop.createFuture<void>();
  const h = loop.callLater(delay, () => {
    if (!fut.done()) fut.setResult(undefined);
  });
  try {
    yield* fut;
  } finally {
    h.cancel();
  }
}

afterEach(() => setEventLoopPolicy(null));

describe("VirtualTimeEventLoop", () => {
  it("starts its clock at 0", () => {
    const loop = new VirtualTimeEventLoop();
    expect(loop.time()).toBe(0);
    loop.close();
  });

  it("jumps to the next timer when idle, so an hour-long sleep returns at once", async () => {
    const started = performance.now();
    const t = await runVirtual(
      (function* () {
        yield* sleepFor(3600);
        return getRunningLoop().time();
      })(),
    );
    expect(t).toBe(3600);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("fires timers in time order with ties in scheduling order", async () => {
    const order: string[] = [];
    const loop = new VirtualTimeEventLoop();
    loop.callLater(2, () => order.push("b@2"));
    loop.callLater(1, () => order.push("a@1"));
    loop.callLater(2, () => order.push("c@2"));
    loop.callLater(3, () => loop.stop());
    await loop.runForever();
    expect(order).toEqual(["a@1", "b@2", "c@2"]);
    expect(loop.time()).toBe(3);
    loop.close();
  });

  it("keeps every timer's firing time exact for any set of delays", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 30 }),
        async (millis) => {
          const fired: [number, number][] = [];
          const loop = new VirtualTimeEventLoop();
          millis.forEach((ms, i) => {
            loop.callLater(ms / 1000, () => fired.push([i, loop.time()]));
          });
          await loop.runUntilComplete(
            (function* () {
              yield* sleepFor(11);
            })(),
          );
          loop.close();
          const expected = millis
            .map((ms, i) => [i, ms / 1000] as [number, number])
            .sort((a, b) => a[1] - b[1] || a[0] - b[0]);
          expect(fired.map(([i]) => i)).toEqual(expected.map(([i]) => i));
          for (const [i, at] of fired) expect(at).toBeCloseTo(millis[i]! / 1000, 9);
        },
      ),
      { numRuns: 50 },
    );
  });

  it("advance() moves the clock by hand", async () => {
    const loop = new VirtualTimeEventLoop();
    loop.advance(5);
    expect(loop.time()).toBe(5);
    expect(() => loop.advance(-1)).toThrow(TypeError);
    expect(() => loop.advance(Number.NaN)).toThrow(
      "Expected `seconds` to be a non-negative number, got `NaN` (number)",
    );
    loop.close();
  });

  it("waits in real time for outside work before jumping the clock", async () => {
    const events: string[] = [];
    const result = await runVirtual(
      (function* () {
        const loop = getRunningLoop();
        const fut = loop.createFuture<string>();
        const release = loop.beginExternalWork();
        // Outside work that finishes in a few real milliseconds.
        void new Promise((r) => setTimeout(r, 20)).then(() => {
          loop.callSoonThreadsafe(() => {
            release();
            events.push(`outside done at ${loop.time()}`);
            fut.setResult("from outside");
          });
        });
        const timer = createTask(
          (function* () {
            yield* sleepFor(10);
            events.push(`timer at ${getRunningLoop().time()}`);
          })(),
        );
        const v = yield* fut;
        yield* timer;
        return v;
      })(),
    );
    expect(result).toBe("from outside");
    // The clock stood still while the outside work was pending, then jumped.
    expect(events).toEqual(["outside done at 0", "timer at 10"]);
  });

  it("raises a deadlock RuntimeError naming the stuck tasks instead of hanging", async () => {
    const err = await runVirtual(
      (function* () {
        const loop = getRunningLoop();
        const never = loop.createFuture<void>();
        createTask(
          (function* () {
            yield* never;
          })(),
          { name: "waiter" },
        );
        yield* never;
      })(),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as Error).message).toMatch(/^deadlock: nothing is ready, no timer is set/);
    expect((err as Error).message).toContain("name='waiter'");
    expect((err as Error).message).toContain("name='Task-");
  });

  it("treats a timer at Infinity as no timer at all for the deadlock check", async () => {
    const err = await runVirtual(
      (function* () {
        yield* sleepFor(Number.POSITIVE_INFINITY);
      })(),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuntimeError);
  });

  it("still runs cleanup of stuck tasks after a deadlock (run() cancels them)", async () => {
    const cleaned: string[] = [];
    await runVirtual(
      (function* () {
        const loop = getRunningLoop();
        createTask(
          (function* () {
            try {
              yield* loop.createFuture<void>();
            } finally {
              cleaned.push("child finally");
            }
          })(),
        );
        yield* loop.createFuture<void>();
      })(),
    ).catch(() => {});
    expect(cleaned).toEqual(["child finally"]);
  });
});

describe("VirtualTimeEventLoopPolicy", () => {
  /** The program under test knows nothing about virtual time. */
  function* program(log: string[]): Coroutine<number> {
    const loop = getRunningLoop();
    const t0 = loop.time();
    const stamp = (what: string) => log.push(`${what} ${Math.round((loop.time() - t0) * 100)}`);
    const a = createTask(
      (function* () {
        yield* sleepFor(0.02);
        stamp("a");
      })(),
    );
    const b = createTask(
      (function* () {
        yield* sleepFor(0.01);
        stamp("b");
        yield;
        stamp("b2");
      })(),
    );
    yield* a;
    yield* b;
    stamp("main");
    return log.length;
  }

  it("makes run() use virtual time: the only change is the policy", async () => {
    setEventLoopPolicy(new VirtualTimeEventLoopPolicy());
    let loop: AbstractEventLoop | null = null;
    await run(
      (function* () {
        loop = getRunningLoop();
        yield* sleepFor(60);
      })(),
    );
    expect(loop).toBeInstanceOf(VirtualTimeEventLoop);
  });

  it("gives the same trace as the default policy for the same program", async () => {
    const real: string[] = [];
    await run(program(real));
    setEventLoopPolicy(new VirtualTimeEventLoopPolicy());
    const virtual: string[] = [];
    await run(program(virtual));
    expect(virtual).toEqual(["b 1", "b2 1", "a 2", "main 2"]);
    // Real time is only approximately on the mark; the order is the contract.
    expect(real.map((l) => l.split(" ")[0])).toEqual(virtual.map((l) => l.split(" ")[0]));
  });
});

describe("VirtualTimeEventLoop at large times", () => {
  it("fires a timer 2**24 s away instead of spinning (rounding swallows the clock resolution)", async () => {
    const t = await runVirtual(
      (function* () {
        yield* sleepFor(2 ** 24);
        yield* sleepFor(2 ** 30);
        return getRunningLoop().time();
      })(),
    );
    expect(t).toBe(2 ** 24 + 2 ** 30);
  });
});
