// asyncWith(new Timeout(when), body): Python's `async with asyncio.timeout(delay) as cm:` through
// aenter()/aexit(). Each scenario runs with both spellings and must behave the same.
// biome-ignore-all lint/correctness/useYield: bodies need not await (Python's `async with` blocks without `await`).
import {
  asyncWith,
  CancelledError,
  type Coroutine,
  createTask,
  currentTask,
  getRunningLoop,
  RuntimeError,
  TimeoutError,
} from "@asyncio-ts/core";
import { runVirtual } from "@asyncio-ts/testing";
import { describe, expect, it } from "vitest";
import { sleep, Timeout, timeout } from "../src/index.js";
import { now, thrown } from "./helpers.js";

type Scope = <T>(delay: number | null, body: (cm: Timeout) => Coroutine<T>) => Coroutine<T>;

const forms: [string, Scope][] = [
  [
    "asyncWith(new Timeout(now() + delay), body)",
    (delay, body) => asyncWith(new Timeout(delay === null ? null : now() + delay), body),
  ],
  ["timeout(delay, body)", (delay, body) => timeout(delay, body)],
];

describe.each(forms)("%s", (_name, scope) => {
  it("gives the Timeout to the body, returns the body's result and finishes the scope", async () => {
    const r = await runVirtual(
      (function* () {
        let cm: Timeout | null = null;
        const v = yield* scope(5, function* (t) {
          cm = t;
          return yield* sleep(4, "ok");
        });
        return { v, t: now(), expired: cm!.expired(), when: cm!.when(), repr: String(cm) };
      })(),
    );
    expect(r).toEqual({ v: "ok", t: 4, expired: false, when: 5, repr: "<Timeout [finished]>" });
  });

  it("raises TimeoutError (cause: the CancelledError) when the body outlives the deadline", async () => {
    const r = await runVirtual(
      (function* () {
        let cm: Timeout | null = null;
        let reached = false;
        const e = yield* thrown(
          scope(2, function* (t) {
            cm = t;
            yield* sleep(10);
            reached = true;
          }),
        );
        return { e, t: now(), reached, expired: cm!.expired(), c: currentTask()!.cancelling() };
      })(),
    );
    expect(r.e).toBeInstanceOf(TimeoutError);
    expect((r.e as Error).cause).toBeInstanceOf(CancelledError);
    expect(r).toMatchObject({ t: 2, reached: false, expired: true, c: 0 });
  });

  it("lets an error from the body through unchanged, with no cause added", async () => {
    const boom = new Error("boom");
    const e = await runVirtual(
      (function* () {
        return yield* thrown(
          scope(5, function* () {
            yield* sleep(1);
            throw boom;
          }),
        );
      })(),
    );
    expect(e).toBe(boom);
    expect(e).not.toHaveProperty("cause");
  });

  it("never fires for a null deadline", async () => {
    const r = await runVirtual(
      (function* () {
        return yield* scope(null, function* (cm) {
          yield* sleep(1000);
          return [cm.when(), cm.expired()];
        });
      })(),
    );
    expect(r).toEqual([null, false]);
  });

  it("keeps a cancellation from outside a CancelledError (not swallowed, not converted)", async () => {
    const r = await runVirtual(
      (function* () {
        let cm: Timeout | null = null;
        const t = createTask(
          scope(10, function* (s) {
            cm = s;
            yield* sleep(5);
          }),
        );
        yield* sleep(1);
        t.cancel("from outside");
        const e = yield* thrown(t);
        return { e, cancelled: t.cancelled(), expired: cm!.expired() };
      })(),
    );
    expect(r.e).toBeInstanceOf(CancelledError);
    expect((r.e as Error).message).toBe("from outside");
    expect(r.cancelled).toBe(true);
    expect(r.expired).toBe(false);
  });

  it("keeps a CancelledError when the outer cancel lands in the same iteration as the expiry", async () => {
    const r = await runVirtual(
      (function* () {
        let cancellingInside = -1;
        const t = createTask(
          (function* (): Coroutine<void> {
            try {
              yield* scope(2, function* () {
                yield* sleep(5);
              });
            } finally {
              cancellingInside = currentTask()!.cancelling();
            }
          })(),
        );
        getRunningLoop().callLater(2, () => t.cancel());
        const e = yield* thrown(t);
        return { e, cancellingInside };
      })(),
    );
    expect(r.e).toBeInstanceOf(CancelledError);
    expect(r.cancellingInside).toBe(1);
  });

  it("nests: the inner scope raises TimeoutError when its deadline comes first", async () => {
    const r = await runVirtual(
      (function* () {
        const v = yield* scope(10, function* () {
          const e = yield* thrown(
            scope(1, function* () {
              yield* sleep(5);
            }),
          );
          return [(e as Error).name, now()];
        });
        return { v, cancelling: currentTask()!.cancelling() };
      })(),
    );
    expect(r).toEqual({ v: ["TimeoutError", 1], cancelling: 0 });
  });

  it("nests: the outer scope converts when its deadline comes first; the inner passes CancelledError on", async () => {
    const r = await runVirtual(
      (function* () {
        const log: string[] = [];
        const e = yield* thrown(
          scope(1, function* () {
            try {
              yield* scope(10, function* () {
                yield* sleep(5);
              });
            } catch (e) {
              log.push(`inner raised ${(e as Error).name}`);
              throw e;
            }
          }),
        );
        return { e, log, t: now(), cancelling: currentTask()!.cancelling() };
      })(),
    );
    expect(r.e).toBeInstanceOf(TimeoutError);
    expect(r.log).toEqual(["inner raised CancelledError"]);
    expect(r.t).toBe(1);
    expect(r.cancelling).toBe(0);
  });
});

describe("Timeout aenter()/aexit()", () => {
  it("aenter() enters and gives the Timeout; aexit(null) finishes it and gives undefined", async () => {
    const r = await runVirtual(
      (function* () {
        const cm = new Timeout(now() + 5);
        const entered = yield* cm.aenter();
        const active = String(cm);
        const exited = yield* cm.aexit(null);
        return { same: entered === cm, active, exited, after: String(cm) };
      })(),
    );
    expect(r).toEqual({
      same: true,
      active: "<Timeout [active] when=5.0>",
      exited: undefined,
      after: "<Timeout [finished]>",
    });
  });

  it("a Timeout entered twice through asyncWith raises RuntimeError, as Python", async () => {
    const e = await runVirtual(
      (function* () {
        const cm = new Timeout(null);
        return yield* thrown(
          asyncWith(cm, function* () {
            yield* asyncWith(cm, function* () {});
          }),
        );
      })(),
    );
    expect(e).toBeInstanceOf(RuntimeError);
    expect((e as Error).message).toBe("Timeout has already been entered");
  });

  it("can be rescheduled from the body, and the new deadline applies", async () => {
    const r = await runVirtual(
      (function* () {
        const cm = new Timeout(null);
        const e = yield* thrown(
          asyncWith(cm, function* (t) {
            t.reschedule(now() + 3);
            yield* sleep(10);
          }),
        );
        return { e, t: now(), expired: cm.expired() };
      })(),
    );
    expect(r.e).toBeInstanceOf(TimeoutError);
    expect(r).toMatchObject({ t: 3, expired: true });
  });
});
