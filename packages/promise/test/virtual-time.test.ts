// fromPromise under the virtual-time policy (SPEC §3): outcomes are delivered through the loop in
// a deterministic order, and a pending Promise is outside work the loop waits for in real time.
import {
  type Coroutine,
  createTask,
  getRunningLoop,
  RuntimeError,
  run,
  setEventLoopPolicy,
} from "@asyncio-ts/core";
import { runVirtual, VirtualTimeEventLoopPolicy } from "@asyncio-ts/testing";
import { sleep } from "@asyncio-ts/time";
import { afterEach, describe, expect, it } from "vitest";
import { fromPromise, toPromise } from "../src/index.js";
import { forever, later, never, now, thrown } from "./helpers.js";

function* ticker(log: string[], name: string, n: number): Coroutine<void> {
  for (let i = 0; i < n; i++) {
    log.push(`${name}${i}`);
    yield* sleep(0);
  }
}

/** Settled Promises interleaved with tasks that yield and tasks that sleep. */
function* interleaved(log: string[]): Coroutine<string[]> {
  const a = fromPromise(Promise.resolve("a"));
  const x = createTask(ticker(log, "x", 3));
  const b = fromPromise(Promise.resolve("b"));
  const y = createTask(ticker(log, "y", 2));
  const z = createTask(
    (function* () {
      yield* sleep(1);
      log.push(`z@${now()}`);
      const c = yield* fromPromise(Promise.resolve("c"));
      log.push(`z got ${c}`);
    })(),
  );
  for (const [name, f] of [
    ["a", a],
    ["b", b],
  ] as const) {
    f.addDoneCallback(() => log.push(`${name} done`));
  }
  const got = [yield* b, yield* a];
  log.push(`main got ${got.join(",")}`);
  yield* x;
  yield* y;
  yield* z;
  return log;
}

const EXPECTED = [
  "x0",
  "y0",
  "x1",
  "y1",
  "x2",
  "a done",
  "b done",
  "main got b,a",
  "z@1",
  "z got c",
];

describe("fromPromise under virtual time: deterministic order", () => {
  it("settled Promises interleaved with tasks give the same order every run", async () => {
    for (let i = 0; i < 10; i++) {
      expect(await runVirtual(interleaved([]))).toEqual(EXPECTED);
    }
  });

  it("the same order by swapping the policy only", async () => {
    setEventLoopPolicy(new VirtualTimeEventLoopPolicy());
    try {
      expect(await run(interleaved([]))).toEqual(EXPECTED);
    } finally {
      setEventLoopPolicy(null);
    }
  });
});

describe("fromPromise under virtual time: a pending Promise is outside work", () => {
  afterEach(() => setEventLoopPolicy(null));

  it("keeps the clock from jumping: the Promise wins a race with sleep(10)", async () => {
    const log: string[] = [];
    await runVirtual(
      (function* () {
        const sleeper = createTask(
          (function* () {
            yield* sleep(10);
            log.push(`slept until ${now()}`);
          })(),
        );
        const v = yield* fromPromise(later(20, "promise"));
        log.push(`${v} at ${now()}`);
        expect(sleeper.done()).toBe(false);
        yield* sleeper;
      })(),
    );
    expect(log).toEqual(["promise at 0", "slept until 10"]);
  });

  it("no deadlock report while a Promise is pending", async () => {
    const v = await runVirtual(
      (function* () {
        // Nothing ready, no timer: without the hold this would be reported as a deadlock.
        return yield* fromPromise(later(15, "arrived"));
      })(),
    );
    expect(v).toBe("arrived");
  });

  it("cancelling the future ends the hold: the clock jumps again", async () => {
    await runVirtual(
      (function* () {
        const fut = fromPromise(never<number>());
        const t = createTask(
          (function* () {
            return yield* fut;
          })(),
        );
        yield* sleep(0);
        t.cancel();
        yield* thrown(t);
        expect(fut.cancelled()).toBe(true);
        yield* sleep(5); // would wait forever if the hold were still open
        expect(now()).toBe(5);
      })(),
    );
  }, 2000);

  it("after the cancel, a stuck program gets the deadlock report again", async () => {
    const e = await runVirtual(
      (function* () {
        fromPromise(never()).cancel();
        yield* forever();
      })(),
    ).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(RuntimeError);
    expect((e as Error).message).toMatch(/^deadlock: nothing is ready/);
  }, 2000);

  it("a factory's signal aborted by cancel ends the hold too", async () => {
    await runVirtual(
      (function* () {
        let aborted = false;
        const fut = fromPromise((signal) => {
          signal.addEventListener("abort", () => {
            aborted = true;
          });
          return never();
        });
        fut.cancel();
        expect(aborted).toBe(true);
        yield* sleep(7);
        expect(now()).toBe(7);
      })(),
    );
  }, 2000);

  it("each pending Promise holds: the clock waits for the last one", async () => {
    const log: string[] = [];
    await runVirtual(
      (function* () {
        const timer = createTask(
          (function* () {
            yield* sleep(1);
            log.push(`timer at ${now()}`);
          })(),
        );
        const slow = fromPromise(later(20, "slow"));
        const fast = fromPromise(later(5, "fast"));
        log.push(yield* fast);
        log.push(yield* slow);
        yield* timer;
      })(),
    );
    expect(log).toEqual(["fast", "slow", "timer at 1"]);
  });

  it("a Promise from toPromise of this loop does not stop the clock it waits on", async () => {
    const v = await runVirtual(
      (function* () {
        const p = toPromise(sleep(3600, "an hour later"));
        return [yield* fromPromise(p), now()];
      })(),
    );
    expect(v).toEqual(["an hour later", 3600]);
  });

  it("outcomes from outside keep getLoop().time() where it was", async () => {
    const times = await runVirtual(
      (function* () {
        yield* sleep(2.5);
        const before = now();
        yield* fromPromise(later(10, null));
        return [before, now(), getRunningLoop().time()];
      })(),
    );
    expect(times).toEqual([2.5, 2.5, 2.5]);
  });
});
