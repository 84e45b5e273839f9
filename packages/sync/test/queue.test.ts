import { CancelledError, type Coroutine, createTask, getRunningLoop } from "@asyncio-ts/core";
import { runVirtual } from "@asyncio-ts/testing";
import { sleep } from "@asyncio-ts/time";
import { describe, expect, it } from "vitest";
import { Queue, QueueEmpty, QueueFull, QueueShutDown } from "../src/index.js";
import { now, thrown, thrownSync, turns } from "./helpers.js";

describe("Queue", () => {
  it("is unbounded by default (maxsize 0, or null)", () => {
    for (const q of [new Queue<number>(), new Queue<number>(null), new Queue<number>(-1)]) {
      for (let i = 0; i < 1000; i++) q.putNowait(i);
      expect(q.full()).toBe(false);
      expect(q.qsize()).toBe(1000);
    }
    expect(new Queue().maxsize).toBe(0);
    expect(new Queue(null).maxsize).toBe(0);
  });

  it("throws TypeError for a maxsize that is not a number", () => {
    const e = thrownSync(() => new Queue("2" as never));
    expect(e).toBeInstanceOf(TypeError);
    expect((e as Error).message).toBe('Expected `maxsize` to be a number, got `"2"` (string)');
  });

  it("reports qsize(), empty(), full() and maxsize", () => {
    const q = new Queue<string>(2);
    expect([q.qsize(), q.empty(), q.full(), q.maxsize]).toEqual([0, true, false, 2]);
    q.putNowait("a");
    expect([q.qsize(), q.empty(), q.full()]).toEqual([1, false, false]);
    q.putNowait("b");
    expect([q.qsize(), q.empty(), q.full()]).toEqual([2, false, true]);
  });

  it("returns items first in, first out", () => {
    const q = new Queue<number>();
    for (let i = 0; i < 100; i++) q.putNowait(i);
    const out: number[] = [];
    while (!q.empty()) out.push(q.getNowait());
    expect(out).toEqual([...Array(100).keys()]);
  });

  it("throws QueueFull from putNowait() when full and QueueEmpty from getNowait() when empty", () => {
    const q = new Queue<number>(1);
    const empty = thrownSync(() => q.getNowait());
    expect(empty).toBeInstanceOf(QueueEmpty);
    expect((empty as Error).message).toBe("");
    q.putNowait(1);
    const full = thrownSync(() => q.putNowait(2));
    expect(full).toBeInstanceOf(QueueFull);
    expect((full as Error).message).toBe("");
    expect(q.qsize()).toBe(1);
  });

  it("does nothing until a get() or put() coroutine is stepped", () => {
    const q = new Queue<number>();
    q.putNowait(1);
    q.get();
    q.put(2);
    expect(q.qsize()).toBe(1);
  });

  it("takes nothing when a get() task is cancelled before it starts", async () => {
    const q = new Queue<number>();
    q.putNowait(1);
    await runVirtual(
      (function* () {
        const t = createTask(q.get());
        t.cancel();
        expect(yield* thrown(t)).toBeInstanceOf(CancelledError);
        expect(q.qsize()).toBe(1);
      })(),
    );
  });

  it("puts nothing when a put() task is cancelled before it starts", async () => {
    const q = new Queue<number>();
    await runVirtual(
      (function* () {
        const t = createTask(q.put(1));
        t.cancel();
        expect(yield* thrown(t)).toBeInstanceOf(CancelledError);
        expect(q.qsize()).toBe(0);
      })(),
    );
  });

  it("finishes get() and put() coroutines like generators: return(), throw(), next() after done", () => {
    const q = new Queue<number>();
    q.putNowait(1);
    const g = q.get();
    expect(g.return(5 as never)).toEqual({ value: 5, done: true });
    expect(g.next()).toEqual({ value: undefined, done: true });
    const p = q.put(2);
    const boom = new Error("boom");
    expect(() => p.throw(boom)).toThrow(boom);
    expect(p.next()).toEqual({ value: undefined, done: true });
    expect(q.qsize()).toBe(1);
    const g2 = q.get();
    expect(g2.next()).toEqual({ value: 1, done: true });
    expect(g2.next()).toEqual({ value: undefined, done: true });
    expect(g2[Symbol.iterator]()).toBe(g2);
  });

  it("leaves the line when a waiting get() or put() is closed with return() or thrown into", async () => {
    const q = new Queue<number>(1);
    const boom = new Error("boom");
    await runVirtual(
      (function* () {
        const g = q.get();
        expect(g.next().done).toBe(false);
        expect(q._getters.length).toBe(1);
        expect(g.return(0)).toEqual({ value: 0, done: true });
        expect(q._getters.length).toBe(0);
        q.putNowait(1);
        const p = q.put(2);
        expect(p.next().done).toBe(false);
        expect(q._putters.length).toBe(1);
        expect(() => p.throw(boom)).toThrow(boom);
        expect(q._putters.length).toBe(0);
        expect(q.getNowait()).toBe(1);
      })(),
    );
  });

  it("get() returns an available item without creating a future", async () => {
    const q = new Queue<number>(3);
    let made = 0;
    await runVirtual(
      (function* () {
        const loop = getRunningLoop();
        const orig = loop.createFuture.bind(loop);
        loop.createFuture = <T>() => {
          made++;
          return orig<T>();
        };
        yield* q.put(1);
        yield* q.put(2);
        expect(yield* q.get()).toBe(1);
        expect(yield* q.get()).toBe(2);
      })(),
    );
    expect(made).toBe(0);
  });

  it("get() waits for an item", async () => {
    const q = new Queue<string>();
    const r = await runVirtual(
      (function* () {
        const t = createTask(q.get());
        yield* sleep(2);
        q.putNowait("x");
        return [yield* t, now()];
      })(),
    );
    expect(r).toEqual(["x", 2]);
  });

  it("put() waits for a free slot", async () => {
    const q = new Queue<string>(1);
    await runVirtual(
      (function* () {
        yield* q.put("a");
        const t = createTask(q.put("b"));
        yield* sleep(3);
        expect(t.done()).toBe(false);
        expect(String(q)).toBe("<Queue maxsize=1 _queue=['a'] _putters[1] tasks=1>");
        expect(q.getNowait()).toBe("a");
        yield* t;
        expect(q.getNowait()).toBe("b");
      })(),
    );
  });

  it("serves blocked getters in FIFO order", async () => {
    const q = new Queue<number>();
    const got: string[] = [];
    await runVirtual(
      (function* () {
        const tasks = ["a", "b", "c"].map((n) =>
          createTask(
            (function* () {
              got.push(`${n}=${yield* q.get()}`);
            })(),
          ),
        );
        yield* turns(1);
        for (let i = 1; i <= 3; i++) q.putNowait(i);
        for (const t of tasks) yield* t;
      })(),
    );
    expect(got).toEqual(["a=1", "b=2", "c=3"]);
  });

  it("serves blocked putters in FIFO order", async () => {
    const q = new Queue<string>(1);
    await runVirtual(
      (function* () {
        q.putNowait("first");
        const tasks = ["a", "b", "c"].map((n) => createTask(q.put(n)));
        yield* turns(1);
        const got: string[] = [];
        for (let i = 0; i < 4; i++) got.push(yield* q.get());
        for (const t of tasks) yield* t;
        expect(got).toEqual(["first", "a", "b", "c"]);
      })(),
    );
  });

  it("loses no item when a blocked getter is cancelled", async () => {
    const q = new Queue<number>();
    await runVirtual(
      (function* () {
        const a = createTask(q.get());
        const b = createTask(q.get());
        yield* turns(1);
        a.cancel();
        expect(yield* thrown(a)).toBeInstanceOf(CancelledError);
        expect(String(q)).toBe("<Queue maxsize=0 _getters[1]>");
        q.putNowait(7);
        expect(yield* b).toBe(7);
      })(),
    );
  });

  it("passes the item on when a woken getter is cancelled before it runs", async () => {
    const q = new Queue<number>();
    await runVirtual(
      (function* () {
        const a = createTask(q.get());
        const b = createTask(q.get());
        yield* turns(1);
        q.putNowait(7); // wakes a
        a.cancel();
        expect(yield* thrown(a)).toBeInstanceOf(CancelledError);
        expect(yield* b).toBe(7);
        expect(q.empty()).toBe(true);
      })(),
    );
  });

  it("passes the slot on when a woken putter is cancelled before it runs", async () => {
    const q = new Queue<string>(1);
    await runVirtual(
      (function* () {
        q.putNowait("x");
        const a = createTask(q.put("a"));
        const b = createTask(q.put("b"));
        yield* turns(1);
        expect(q.getNowait()).toBe("x"); // wakes a
        a.cancel();
        expect(yield* thrown(a)).toBeInstanceOf(CancelledError);
        yield* b;
        expect(q.getNowait()).toBe("b");
        expect(q.empty()).toBe(true);
      })(),
    );
  });

  it("counts unfinished items for join(), released by taskDone()", async () => {
    const q = new Queue<number>();
    await runVirtual(
      (function* () {
        yield* q.join(); // nothing put: returns at once
        q.putNowait(1);
        q.putNowait(2);
        const j = createTask(q.join());
        yield* sleep(1);
        q.getNowait();
        q.taskDone();
        yield* sleep(1);
        expect(j.done()).toBe(false);
        expect(String(q)).toBe("<Queue maxsize=0 _queue=[2] tasks=1>");
        q.getNowait();
        q.taskDone();
        yield* j;
        expect(now()).toBe(2);
      })(),
    );
  });

  it("throws RangeError('task_done() called too many times')", () => {
    const q = new Queue<number>();
    const e = thrownSync(() => q.taskDone());
    expect(e).toBeInstanceOf(RangeError);
    expect((e as Error).message).toBe("task_done() called too many times");
    q.putNowait(1);
    q.taskDone();
    expect(() => q.taskDone()).toThrow("task_done() called too many times");
  });

  it("wakes every joiner when the last item is done", async () => {
    const q = new Queue<number>();
    const log: string[] = [];
    await runVirtual(
      (function* () {
        q.putNowait(1);
        const joiners = ["a", "b"].map((n) =>
          createTask(
            (function* () {
              yield* q.join();
              log.push(n);
            })(),
          ),
        );
        yield* turns(1);
        q.getNowait();
        q.taskDone();
        for (const j of joiners) yield* j;
      })(),
    );
    expect(log).toEqual(["a", "b"]);
  });

  describe("shutdown()", () => {
    it("makes puts throw QueueShutDown", async () => {
      const q = new Queue<number>();
      q.shutdown();
      const e = thrownSync(() => q.putNowait(1));
      expect(e).toBeInstanceOf(QueueShutDown);
      expect((e as Error).message).toBe("");
      expect(await runVirtual(thrown(q.put(1)))).toBeInstanceOf(QueueShutDown);
      expect(String(q)).toBe("<Queue maxsize=0 shutdown>");
    });

    it("lets gets drain the remaining items, then throw QueueShutDown", async () => {
      const q = new Queue<number>();
      q.putNowait(1);
      q.putNowait(2);
      q.shutdown();
      expect(q.getNowait()).toBe(1);
      await runVirtual(
        (function* () {
          expect(yield* q.get()).toBe(2);
          expect(yield* thrown(q.get())).toBeInstanceOf(QueueShutDown);
        })(),
      );
      expect(thrownSync(() => q.getNowait())).toBeInstanceOf(QueueShutDown);
    });

    it("wakes blocked getters with QueueShutDown", async () => {
      const q = new Queue<number>();
      await runVirtual(
        (function* () {
          const getters = [0, 1].map(() => createTask(q.get()));
          yield* turns(1);
          q.shutdown();
          for (const g of getters) expect(yield* thrown(g)).toBeInstanceOf(QueueShutDown);
        })(),
      );
    });

    it("wakes blocked putters with QueueShutDown", async () => {
      const q = new Queue<number>(1);
      await runVirtual(
        (function* () {
          q.putNowait(0);
          const putters = [1, 2].map((i) => createTask(q.put(i)));
          yield* turns(1);
          q.shutdown();
          for (const p of putters) expect(yield* thrown(p)).toBeInstanceOf(QueueShutDown);
          expect(q.getNowait()).toBe(0);
        })(),
      );
    });

    it("with immediate, discards the items, counts them done and releases join()", async () => {
      const q = new Queue<number>();
      await runVirtual(
        (function* () {
          for (let i = 0; i < 3; i++) q.putNowait(i);
          q.getNowait(); // fetched, not yet done
          const j = createTask(q.join());
          yield* turns(1);
          q.shutdown(true);
          expect(q.qsize()).toBe(0);
          expect(String(q)).toBe("<Queue maxsize=0 tasks=1 shutdown>");
          yield* turns(1);
          expect(j.done()).toBe(false);
          q.taskDone();
          yield* j;
          expect(thrownSync(() => q.getNowait())).toBeInstanceOf(QueueShutDown);
        })(),
      );
    });

    it("with immediate and nothing unfinished, releases join() at once", async () => {
      const q = new Queue<number>();
      await runVirtual(
        (function* () {
          q.putNowait(1);
          const j = createTask(q.join());
          yield* turns(1);
          q.shutdown(true);
          yield* j;
        })(),
      );
    });

    it("can be called twice", () => {
      const q = new Queue<number>();
      q.shutdown();
      q.shutdown(true);
      expect(q._isShutdown).toBe(true);
    });
  });

  it("shows its state in toString() like Python's str()", () => {
    const q = new Queue<unknown>(5);
    expect(String(q)).toBe("<Queue maxsize=5>");
    q.putNowait(1);
    q.putNowait("it's");
    q.putNowait([null, true, 2.5]);
    expect(String(q)).toBe(`<Queue maxsize=5 _queue=[1, "it's", [None, True, 2.5]] tasks=3>`);
  });

  it("binds to the loop of its first wait", async () => {
    const q = new Queue<number>();
    function* once(): Coroutine<void> {
      const t = createTask(q.get());
      yield* turns(1);
      q.putNowait(1);
      yield* t;
    }
    await runVirtual(once());
    const e = await runVirtual(thrown(q.get()));
    expect((e as Error).message).toBe(
      "<Queue maxsize=0 tasks=1> is bound to a different event loop",
    );
  });

  it("grows its ring buffer past the initial capacity keeping order", () => {
    const q = new Queue<number>();
    const out: number[] = [];
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 37; i++) q.putNowait(round * 100 + i);
      for (let i = 0; i < 20; i++) out.push(q.getNowait());
    }
    while (!q.empty()) out.push(q.getNowait());
    const expected: number[] = [];
    for (let round = 0; round < 5; round++)
      for (let i = 0; i < 37; i++) expected.push(round * 100 + i);
    expect(out).toEqual(expected);
  });
});
