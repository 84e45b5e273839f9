// biome-ignore-all lint/correctness/useYield: coroutines need not await (Python's `async def` without `await`).
import { afterEach, describe, expect, it } from "vitest";
import { VirtualTimeEventLoop, VirtualTimeEventLoopPolicy } from "../../testing/src/index.js";
import {
  _getRunningLoop,
  type AbstractEventLoop,
  BaseEventLoop,
  type Coroutine,
  DefaultEventLoopPolicy,
  type EventLoopPolicy,
  Future,
  getEventLoop,
  getEventLoopPolicy,
  getRunningLoop,
  newEventLoop,
  RuntimeError,
  run,
  setEventLoop,
  setEventLoopPolicy,
} from "../src/index.js";
import { sleep } from "./helpers.js";

afterEach(() => {
  setEventLoopPolicy(null);
});

describe("getEventLoopPolicy / setEventLoopPolicy", () => {
  it("the default policy is a DefaultEventLoopPolicy, the same object every time", () => {
    const p = getEventLoopPolicy();
    expect(p).toBeInstanceOf(DefaultEventLoopPolicy);
    expect(getEventLoopPolicy()).toBe(p);
  });

  it("setEventLoopPolicy(p) makes p current", () => {
    const p = new DefaultEventLoopPolicy();
    setEventLoopPolicy(p);
    expect(getEventLoopPolicy()).toBe(p);
  });

  it("setEventLoopPolicy(null) goes back to a fresh default policy", () => {
    const custom = new VirtualTimeEventLoopPolicy();
    setEventLoopPolicy(custom);
    setEventLoopPolicy(null);
    const p = getEventLoopPolicy();
    expect(p).not.toBe(custom);
    expect(p).toBeInstanceOf(DefaultEventLoopPolicy);
    expect(p).not.toBeInstanceOf(VirtualTimeEventLoopPolicy);
  });

  it("rejects something that is not a policy with TypeError", () => {
    expect(() => setEventLoopPolicy(42 as never)).toThrow(TypeError);
    expect(() => setEventLoopPolicy({} as never)).toThrow(
      /^policy must be an instance of AbstractEventLoopPolicy or None/,
    );
  });
});

describe("swapping the policy", () => {
  it("run() uses the policy's newEventLoop(): a custom subclass changes the loop class", async () => {
    const made: AbstractEventLoop[] = [];
    class CountingVirtualPolicy extends DefaultEventLoopPolicy {
      override newEventLoop(): AbstractEventLoop {
        const loop = new VirtualTimeEventLoop();
        made.push(loop);
        return loop;
      }
    }
    setEventLoopPolicy(new CountingVirtualPolicy());
    const seen = await run(
      (function* (): Coroutine<[AbstractEventLoop, number]> {
        yield* sleep(3600);
        return [getRunningLoop(), getRunningLoop().time()];
      })(),
    );
    expect(made).toHaveLength(1);
    expect(seen[0]).toBe(made[0]);
    expect(seen[0]).toBeInstanceOf(VirtualTimeEventLoop);
    // Virtual time: an hour passed at once.
    expect(seen[1]).toBe(3600);
    expect(made[0]!.isClosed()).toBe(true);
  });

  it("newEventLoop(), getEventLoop() and setEventLoop() go through the current policy", () => {
    const calls: string[] = [];
    let current: AbstractEventLoop | null = null;
    const policy: EventLoopPolicy = {
      getEventLoop() {
        calls.push("get");
        current ??= new BaseEventLoop();
        return current;
      },
      setEventLoop(loop) {
        calls.push("set");
        current = loop;
      },
      newEventLoop() {
        calls.push("new");
        return new BaseEventLoop();
      },
    };
    setEventLoopPolicy(policy);
    const a = newEventLoop();
    setEventLoop(a);
    expect(getEventLoop()).toBe(a);
    expect(calls).toEqual(["new", "set", "get"]);
    a.close();
  });

  it("a policy that only implements the interface (no subclass) works with run()", async () => {
    const policy: EventLoopPolicy = {
      getEventLoop: () => {
        throw new Error("not used");
      },
      setEventLoop: () => {},
      newEventLoop: () => new VirtualTimeEventLoop(),
    };
    setEventLoopPolicy(policy);
    const t = await run(
      (function* (): Coroutine<number> {
        yield* sleep(5);
        return getRunningLoop().time();
      })(),
    );
    expect(t).toBe(5);
  });
});

describe("DefaultEventLoopPolicy", () => {
  it("getEventLoop() creates a loop on first use and then returns the same one", () => {
    const p = new DefaultEventLoopPolicy();
    const a = p.getEventLoop();
    expect(a).toBeInstanceOf(BaseEventLoop);
    expect(p.getEventLoop()).toBe(a);
    a.close();
  });

  it("setEventLoop(loop) makes getEventLoop() return it", () => {
    const p = new DefaultEventLoopPolicy();
    const loop = new BaseEventLoop();
    p.setEventLoop(loop);
    expect(p.getEventLoop()).toBe(loop);
    loop.close();
  });

  it("after setEventLoop(null), getEventLoop() raises RuntimeError (no implicit loop)", () => {
    const p = new DefaultEventLoopPolicy();
    p.setEventLoop(null);
    expect(() => p.getEventLoop()).toThrow(RuntimeError);
    expect(() => p.getEventLoop()).toThrow(
      "There is no current event loop in thread 'MainThread'.",
    );
  });

  it("setEventLoop() rejects a non-loop with TypeError", () => {
    const p = new DefaultEventLoopPolicy();
    expect(() => p.setEventLoop(42 as never)).toThrow(TypeError);
    expect(() => p.setEventLoop({} as never)).toThrow(
      /^loop must be an instance of AbstractEventLoop or None/,
    );
  });

  it("newEventLoop() makes a fresh, open BaseEventLoop each time", () => {
    const p = new DefaultEventLoopPolicy();
    const a = p.newEventLoop();
    const b = p.newEventLoop();
    expect(a).toBeInstanceOf(BaseEventLoop);
    expect(a).not.toBe(b);
    expect(a.isClosed()).toBe(false);
    a.close();
    b.close();
  });
});

describe("getRunningLoop / getEventLoop / setEventLoop / newEventLoop", () => {
  it("getRunningLoop() outside a loop raises RuntimeError('no running event loop')", () => {
    expect(() => getRunningLoop()).toThrow(RuntimeError);
    expect(() => getRunningLoop()).toThrow("no running event loop");
    expect(_getRunningLoop()).toBeNull();
  });

  it("getRunningLoop() inside a coroutine is the loop running it", async () => {
    const loop = new BaseEventLoop();
    const [a, b] = await loop.runUntilComplete(
      (function* (): Coroutine<unknown[]> {
        return [getRunningLoop(), _getRunningLoop()];
      })(),
    );
    expect(a).toBe(loop);
    expect(b).toBe(loop);
    loop.close();
  });

  it("getEventLoop() inside a running loop is that loop, whatever the policy holds", async () => {
    const policyLoop = new BaseEventLoop();
    setEventLoop(policyLoop);
    const loop = new BaseEventLoop();
    const seen = await loop.runUntilComplete(
      (function* (): Coroutine<unknown> {
        return getEventLoop();
      })(),
    );
    expect(seen).toBe(loop);
    expect(getEventLoop()).toBe(policyLoop);
    loop.close();
    policyLoop.close();
  });

  it("newEventLoop() returns a new loop that is not running and not current", () => {
    const a = newEventLoop();
    expect(a.isRunning()).toBe(false);
    expect(a).not.toBe(getEventLoop());
    a.close();
    getEventLoop().close();
  });

  it("a Future made outside a loop binds to getEventLoop()", () => {
    const loop = new BaseEventLoop();
    setEventLoop(loop);
    expect(new Future().getLoop()).toBe(loop);
    loop.close();
  });

  it("after run() there is no current loop: getEventLoop() raises, as Python 3.13", async () => {
    await run((function* () {})());
    expect(() => getEventLoop()).toThrow(RuntimeError);
    expect(() => getEventLoop()).toThrow("There is no current event loop in thread 'MainThread'.");
  });

  it("run() sets its loop as the policy's current loop while it runs", async () => {
    const same = await run(
      (function* (): Coroutine<boolean> {
        return getEventLoopPolicy().getEventLoop() === getRunningLoop();
      })(),
    );
    expect(same).toBe(true);
  });

  it("run() with a loopFactory leaves the policy alone", async () => {
    const before = new BaseEventLoop();
    setEventLoop(before);
    const factoryLoop = new BaseEventLoop();
    await run(
      (function* (): Coroutine<void> {
        expect(getEventLoopPolicy().getEventLoop()).toBe(before);
      })(),
      { loopFactory: () => factoryLoop },
    );
    expect(getEventLoop()).toBe(before);
    expect(factoryLoop.isClosed()).toBe(true);
    before.close();
  });
});
