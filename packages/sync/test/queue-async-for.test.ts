import { asyncFor, BREAK, CancelledError, type Coroutine, createTask } from "@asyncio-ts/core";
import { hasPython, runPython, trace } from "@asyncio-ts/test-utils";
import { runVirtual } from "@asyncio-ts/testing";
import { sleep } from "@asyncio-ts/time";
import { describe, expect, expectTypeOf, it } from "vitest";
import { LifoQueue, PriorityQueue, Queue } from "../src/index.js";
import { now, thrown } from "./helpers.js";

function* produce(q: Queue<number>, items: number[], gap: number): Coroutine<void> {
  for (const i of items) {
    yield* sleep(gap);
    yield* q.put(i);
  }
  q.shutdown();
}

describe("Queue as an async iterator", () => {
  it("gives items as get() does and ends when the queue is shut down and drained", async () => {
    const r = await runVirtual(
      (function* () {
        const q = new Queue<number>(1);
        createTask(produce(q, [1, 2, 3], 1));
        const seen: number[][] = [];
        const finished = yield* asyncFor(q, function* (i) {
          seen.push([i, now()]);
          q.taskDone();
          yield* sleep(0);
        });
        return [seen, finished, q.qsize()];
      })(),
    );
    expect(r).toEqual([
      [
        [1, 1],
        [2, 2],
        [3, 3],
      ],
      true,
      0,
    ]);
  });

  it("drains what is left after shutdown(), and ends at once after shutdown(immediate)", async () => {
    const r = await runVirtual(
      (function* () {
        const q = new Queue<number>();
        for (const i of [1, 2]) q.putNowait(i);
        q.shutdown();
        const drained: number[] = [];
        yield* asyncFor(q, (i) => void drained.push(i));
        const q2 = new Queue<number>();
        q2.putNowait(1);
        q2.shutdown(true);
        const none: number[] = [];
        yield* asyncFor(q2, (i) => void none.push(i));
        return [drained, none];
      })(),
    );
    expect(r).toEqual([[1, 2], []]);
  });

  it("leaves the remaining items in the queue on BREAK", async () => {
    const r = await runVirtual(
      (function* () {
        const q = new Queue<string>();
        for (const s of "abc") q.putNowait(s);
        yield* asyncFor(q, (s) => (s === "a" ? BREAK : undefined));
        return q.qsize();
      })(),
    );
    expect(r).toBe(2);
  });

  it("follows the subclass's order (PriorityQueue, LifoQueue)", async () => {
    const r = await runVirtual(
      (function* () {
        const out: number[][] = [];
        for (const q of [new PriorityQueue<number>(), new LifoQueue<number>()]) {
          for (const i of [2, 3, 1]) q.putNowait(i);
          q.shutdown();
          const seen: number[] = [];
          yield* asyncFor(q, (i) => void seen.push(i));
          out.push(seen);
        }
        return out;
      })(),
    );
    expect(r).toEqual([
      [1, 2, 3],
      [1, 3, 2],
    ]);
  });

  it("a consumer cancelled while waiting for an item raises CancelledError and takes none", async () => {
    const r = await runVirtual(
      (function* () {
        const q = new Queue<number>();
        const consumer = createTask(asyncFor(q, () => {}));
        yield* sleep(1);
        consumer.cancel();
        const cancelled = (yield* thrown(consumer)) instanceof CancelledError;
        q.putNowait(7);
        return [cancelled, q.qsize()];
      })(),
    );
    expect(r).toEqual([true, 1]);
  });

  it("types: the items have the queue's type", () => {
    asyncFor(new Queue<{ id: number }>(), (item) => {
      expectTypeOf(item).toEqualTypeOf<{ id: number }>();
    });
  });

  it.skipIf(!hasPython)("oracle: two consumers share the items in CPython's order", async () => {
    const t = trace();
    await runVirtual(
      (function* () {
        const q = new Queue<number>(2);
        const consumer = (name: string) =>
          createTask(
            asyncFor(q, function* (i) {
              t.log(name, i, now());
              yield* sleep(i % 2 === 0 ? 1.5 : 0.5);
              q.taskDone();
            }),
          );
        const a = consumer("a");
        const b = consumer("b");
        for (let i = 0; i < 6; i++) yield* q.put(i);
        yield* q.join();
        q.shutdown();
        yield* a;
        yield* b;
        t.log("done", now());
      })(),
    );
    const py = `
import asyncio, vtime
def now(): return "%g" % asyncio.get_running_loop().time()
async def main():
    q = asyncio.Queue(2)
    async def consumer(name):
        while True:
            try:
                i = await q.get()
            except asyncio.QueueShutDown:
                return
            print(name, i, now())
            await asyncio.sleep(1.5 if i % 2 == 0 else 0.5)
            q.task_done()
    a = asyncio.create_task(consumer("a"))
    b = asyncio.create_task(consumer("b"))
    for i in range(6):
        await q.put(i)
    await q.join()
    q.shutdown()
    await a
    await b
    print("done", now())
vtime.run(main())
`;
    expect(t.lines).toEqual(runPython(py));
  });
});
