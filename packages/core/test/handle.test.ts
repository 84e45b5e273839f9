import { describe, expect, it } from "vitest";
import { VirtualTimeEventLoop } from "../../testing/src/index.js";
import { Context, ContextVar, Handle, TimerHandle } from "../src/index.js";
import { freshLoop } from "./helpers.js";

/** Run a virtual-time loop until a callback scheduled at `until` stops it. */
async function runUntil(loop: VirtualTimeEventLoop, until: number): Promise<void> {
  loop.callAt(until, () => loop.stop());
  await loop.runForever();
}

describe("Handle (callSoon)", () => {
  it("is returned by callSoon and starts out not cancelled", () => {
    const loop = freshLoop();
    const h = loop.callSoon(() => {});
    expect(h).toBeInstanceOf(Handle);
    expect(h).not.toBeInstanceOf(TimerHandle);
    expect(h.cancelled()).toBe(false);
    loop.close();
  });

  it("cancel() keeps the callback from running and cancelled() turns true", async () => {
    const loop = freshLoop();
    const calls: string[] = [];
    const a = loop.callSoon(() => calls.push("a"));
    loop.callSoon(() => calls.push("b"));
    a.cancel();
    expect(a.cancelled()).toBe(true);
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    expect(calls).toEqual(["b"]);
    loop.close();
  });

  it("a callback can cancel a later one queued in the same iteration", async () => {
    const loop = freshLoop();
    const calls: string[] = [];
    let later: Handle | null = null;
    loop.callSoon(() => {
      calls.push("first");
      later?.cancel();
    });
    later = loop.callSoon(() => calls.push("second"));
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    expect(calls).toEqual(["first"]);
    loop.close();
  });

  it("cancel() is idempotent and harmless after the callback ran", async () => {
    const loop = freshLoop();
    let n = 0;
    const h = loop.callSoon(() => n++);
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    h.cancel();
    h.cancel();
    expect(h.cancelled()).toBe(true);
    expect(n).toBe(1);
    loop.close();
  });

  it("passes the extra arguments to the callback", async () => {
    const loop = freshLoop();
    const got: unknown[] = [];
    loop.callSoon((a: number, b: string) => got.push(a, b), 1, "two");
    loop.callSoon(() => loop.stop());
    await loop.runForever();
    expect(got).toEqual([1, "two"]);
    loop.close();
  });

  it("getContext() is the context snapshot the callback will run in", () => {
    const loop = freshLoop();
    const v = new ContextVar<string>("v");
    v.set("when scheduled");
    const h = loop.callSoon(() => {});
    v.set("afterwards");
    const ctx = h.getContext();
    expect(ctx).toBeInstanceOf(Context);
    expect(ctx.get(v)).toBe("when scheduled");
    loop.close();
  });
});

describe("TimerHandle (callLater / callAt)", () => {
  it("when() is loop.time() + delay for callLater and the given time for callAt", () => {
    const loop = new VirtualTimeEventLoop();
    loop.advance(10);
    const a = loop.callLater(2.5, () => {});
    const b = loop.callAt(3, () => {});
    expect(a).toBeInstanceOf(TimerHandle);
    expect(a).toBeInstanceOf(Handle);
    expect(a.when()).toBe(12.5);
    expect(b.when()).toBe(3);
    a.cancel();
    b.cancel();
    loop.close();
  });

  it("fires at its time on the virtual clock", async () => {
    const loop = new VirtualTimeEventLoop();
    const at: number[] = [];
    loop.callLater(5, () => at.push(loop.time()));
    await runUntil(loop, 10);
    expect(at).toEqual([5]);
    loop.close();
  });

  it("cancel() keeps the timer from firing", async () => {
    const loop = new VirtualTimeEventLoop();
    const calls: string[] = [];
    const t = loop.callLater(1, () => calls.push("cancelled one"));
    loop.callLater(2, () => calls.push("kept"));
    t.cancel();
    expect(t.cancelled()).toBe(true);
    await runUntil(loop, 3);
    expect(calls).toEqual(["kept"]);
    loop.close();
  });

  it("a cancelled timer does not hold the clock: the loop jumps to the next live one", async () => {
    const loop = new VirtualTimeEventLoop();
    const at: number[] = [];
    loop.callLater(1, () => at.push(loop.time())).cancel();
    loop.callLater(7, () => at.push(loop.time()));
    await runUntil(loop, 7);
    expect(at).toEqual([7]);
    loop.close();
  });

  it("a timer cancelled by an earlier callback in the same iteration does not run", async () => {
    const loop = new VirtualTimeEventLoop();
    const calls: string[] = [];
    let second: TimerHandle | null = null;
    loop.callLater(1, () => {
      calls.push("first");
      second?.cancel();
    });
    second = loop.callLater(1, () => calls.push("second"));
    await runUntil(loop, 2);
    expect(calls).toEqual(["first"]);
    loop.close();
  });

  it("cancelling many timers leaves exactly the live ones firing, in order", async () => {
    // More than 100 timers, more than half of them cancelled: Python purges the heap then.
    const loop = new VirtualTimeEventLoop();
    const fired: number[] = [];
    const handles = Array.from({ length: 300 }, (_, i) =>
      loop.callLater(1 + (i % 17), () => fired.push(i)),
    );
    const live = handles.map((_, i) => i).filter((i) => i % 3 === 0);
    handles.forEach((h, i) => {
      if (i % 3 !== 0) h.cancel();
    });
    await runUntil(loop, 100);
    const expected = [...live].sort((a, b) => 1 + (a % 17) - (1 + (b % 17)) || a - b);
    expect(fired).toEqual(expected);
    loop.close();
  });

  it("passes the extra arguments to the callback", async () => {
    const loop = new VirtualTimeEventLoop();
    const got: unknown[] = [];
    loop.callLater(1, (x: string) => got.push(x), "later");
    loop.callAt(2, (x: string, y: number) => got.push(x, y), "at", 2);
    await runUntil(loop, 3);
    expect(got).toEqual(["later", "at", 2]);
    loop.close();
  });
});
