import { CancelledError, InvalidStateError, RuntimeError } from "@asyncio-ts/core";
import { describe, expect, it, vi } from "vitest";
import { ExecutorFuture } from "../src/index.js";
import { rejection } from "./helpers.js";

// concurrent.futures.Future's state machine, without an executor (as Python's unit tests do).
describe("ExecutorFuture", () => {
  it("starts pending; set_result finishes it and resolves awaiters", async () => {
    const f = new ExecutorFuture<number>();
    expect([f.done(), f.running(), f.cancelled()]).toEqual([false, false, false]);
    expect(String(f)).toBe("<ExecutorFuture state=pending>");
    expect(() => f.result()).toThrow(new InvalidStateError("Result is not set."));
    expect(() => f.exception()).toThrow(new InvalidStateError("Exception is not set."));
    const awaited = f.then((v) => v * 2);
    f.setResult(21);
    expect(await awaited).toBe(42);
    expect(await f).toBe(21);
    expect([f.done(), f.result(), f.exception()]).toEqual([true, 21, null]);
    expect(String(f)).toBe("<ExecutorFuture state=finished returned number>");
  });

  it("set_exception makes result() throw and awaiters reject", async () => {
    const f = new ExecutorFuture<number>();
    const err = new RangeError("bad");
    f.setException(err);
    expect(() => f.result()).toThrow(err);
    expect(f.exception()).toBe(err);
    expect(await rejection(f)).toBe(err);
    expect(String(f)).toBe("<ExecutorFuture state=finished raised RangeError>");
  });

  it("a second set_result or set_exception is an InvalidStateError, as CPython", () => {
    const f = new ExecutorFuture<number>();
    f.setResult(1);
    expect(() => f.setResult(2)).toThrow(InvalidStateError);
    expect(() => f.setResult(2)).toThrow(
      "FINISHED: <ExecutorFuture state=finished returned number>",
    );
    expect(() => f.setException(new Error())).toThrow(InvalidStateError);
    const c = new ExecutorFuture<number>();
    c.cancel();
    expect(() => c.setResult(1)).toThrow("CANCELLED: <ExecutorFuture state=cancelled>");
  });

  it("cancel(): pending → cancelled (true, again true); finished → false", async () => {
    const f = new ExecutorFuture<number>();
    const awaited = rejection(f);
    expect(f.cancel()).toBe(true);
    expect(f.cancel()).toBe(true);
    expect([f.cancelled(), f.done()]).toEqual([true, true]);
    expect(await awaited).toBeInstanceOf(CancelledError);
    expect(() => f.result()).toThrow(CancelledError);
    expect(() => f.exception()).toThrow(CancelledError);
    const g = new ExecutorFuture<number>();
    g.setResult(1);
    expect(g.cancel()).toBe(false);
  });

  it("set_running_or_notify_cancel: running futures cannot be cancelled", () => {
    const f = new ExecutorFuture<number>();
    expect(f.setRunningOrNotifyCancel()).toBe(true);
    expect(f.running()).toBe(true);
    expect(f.cancel()).toBe(false);
    expect(() => f.setRunningOrNotifyCancel()).toThrow(RuntimeError);
    expect(() => f.setRunningOrNotifyCancel()).toThrow("Future in unexpected state");
    f.setResult(3);
    const c = new ExecutorFuture<number>();
    c.cancel();
    expect(c.setRunningOrNotifyCancel()).toBe(false);
    expect(() => c.setRunningOrNotifyCancel()).toThrow("Future in unexpected state");
  });

  it("done callbacks run in order on completion, and at once when already done", () => {
    const f = new ExecutorFuture<string>();
    const log: string[] = [];
    f.addDoneCallback((x) => log.push(`a ${x.result()}`));
    f.addDoneCallback(() => log.push("b"));
    expect(log).toEqual([]);
    f.setResult("ok");
    expect(log).toEqual(["a ok", "b"]);
    f.addDoneCallback(() => log.push("late"));
    expect(log).toEqual(["a ok", "b", "late"]);
    const c = new ExecutorFuture<string>();
    c.addDoneCallback((x) => log.push(`cancelled ${x.cancelled()}`));
    c.cancel();
    expect(log.at(-1)).toBe("cancelled true");
    expect(() => f.addDoneCallback(42 as never)).toThrow(TypeError);
  });

  it("an error in a done callback is logged, and the other callbacks still run", () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const f = new ExecutorFuture<number>();
      const log: string[] = [];
      f.addDoneCallback(() => {
        throw new Error("callback failed");
      });
      f.addDoneCallback(() => log.push("second"));
      f.setResult(1);
      expect(log).toEqual(["second"]);
      expect(spy).toHaveBeenCalledOnce();
      expect(spy.mock.calls[0]![0]).toBe(
        "exception calling callback for <ExecutorFuture state=finished returned number>",
      );
    } finally {
      spy.mockRestore();
    }
  });
});
