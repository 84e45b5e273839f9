import { CancelledError, type Coroutine, createTask } from "@asyncio-ts/core";
import { runVirtual } from "@asyncio-ts/testing";
import { describe, expect, it } from "vitest";
import { sleep } from "../src/index.js";
import { now, thrown } from "./helpers.js";

describe("sleep", () => {
  it("returns the result after the delay has passed on the loop clock", async () => {
    const [v, t] = await runVirtual(
      (function* () {
        const v = yield* sleep(3600, "done");
        return [v, now()] as const;
      })(),
    );
    expect(v).toBe("done");
    expect(t).toBe(3600);
  });

  it("returns undefined when no result is given", async () => {
    const v = await runVirtual(
      (function* () {
        return yield* sleep(1);
      })(),
    );
    expect(v).toBeUndefined();
  });

  it("gives the loop exactly one turn for a delay of 0 or less", async () => {
    const order = await runVirtual(
      (function* () {
        const log: string[] = [];
        createTask(
          (function* (): Coroutine<void> {
            log.push("other 1");
            yield* sleep(0);
            log.push("other 2");
          })(),
        );
        yield* sleep(0);
        log.push("main after first sleep(0)");
        yield* sleep(-5, "ignored");
        log.push("main after sleep(-5)");
        return { log, t: now() };
      })(),
    );
    expect(order.log).toEqual([
      "other 1",
      "main after first sleep(0)",
      "other 2",
      "main after sleep(-5)",
    ]);
    expect(order.t).toBe(0);
  });

  it("returns the result at once for a delay of 0", async () => {
    const v = await runVirtual(
      (function* () {
        return yield* sleep(0, 7);
      })(),
    );
    expect(v).toBe(7);
  });

  it("wakes concurrent sleepers in deadline order", async () => {
    const log = await runVirtual(
      (function* () {
        const log: string[] = [];
        function* sleeper(name: string, d: number): Coroutine<void> {
          yield* sleep(d);
          log.push(`${name}@${now()}`);
        }
        const a = createTask(sleeper("a", 3));
        const b = createTask(sleeper("b", 1));
        const c = createTask(sleeper("c", 2));
        yield* a;
        yield* b;
        yield* c;
        return log;
      })(),
    );
    expect(log).toEqual(["b@1", "c@2", "a@3"]);
  });

  it("raises CancelledError into the sleeper when its task is cancelled, and never resumes it", async () => {
    const r = await runVirtual(
      (function* () {
        let resumed = false;
        const t = createTask(
          (function* (): Coroutine<void> {
            yield* sleep(10);
            resumed = true;
          })(),
        );
        yield* sleep(1);
        t.cancel("stop");
        const e = yield* thrown(t);
        yield* sleep(20);
        return { e, resumed, cancelled: t.cancelled(), t: now() };
      })(),
    );
    expect(r.e).toBeInstanceOf(CancelledError);
    expect((r.e as Error).message).toBe("stop");
    expect(r.cancelled).toBe(true);
    expect(r.resumed).toBe(false);
    expect(r.t).toBe(21);
  });

  it("lets a cancelled sleeper catch CancelledError and go on", async () => {
    const r = await runVirtual(
      (function* () {
        const t = createTask(
          (function* (): Coroutine<string> {
            try {
              yield* sleep(10);
            } catch (e) {
              if (!(e instanceof CancelledError)) throw e;
            }
            return yield* sleep(1, "recovered");
          })(),
        );
        yield* sleep(2);
        t.cancel();
        return [yield* t, now()] as const;
      })(),
    );
    expect(r).toEqual(["recovered", 3]);
  });

  it("sleeps forever for Infinity (until cancelled)", async () => {
    const r = await runVirtual(
      (function* () {
        const t = createTask(sleep(Number.POSITIVE_INFINITY));
        yield* sleep(5);
        const done = t.done();
        t.cancel();
        const e = yield* thrown(t);
        return { done, e };
      })(),
    );
    expect(r.done).toBe(false);
    expect(r.e).toBeInstanceOf(CancelledError);
  });

  describe("bad input", () => {
    it.each([
      [Number.NaN, "Expected `delay` to be a number of seconds, got `NaN` (number)"],
      ["1", 'Expected `delay` to be a number of seconds, got `"1"` (string)'],
      [undefined, "Expected `delay` to be a number of seconds, got `undefined` (undefined)"],
      [null, "Expected `delay` to be a number of seconds, got `null` (object)"],
      [1n, "Expected `delay` to be a number of seconds, got `1n` (bigint)"],
    ])("raises TypeError for a delay of %s when awaited", async (bad, message) => {
      const e = await runVirtual(thrown(sleep(bad as number)));
      expect(e).toBeInstanceOf(TypeError);
      expect((e as Error).message).toBe(message);
    });

    it("does nothing until awaited, like a Python coroutine", () => {
      expect(() => sleep(Number.NaN)).not.toThrow();
    });
  });
});
