// Event-order twins: each scenario runs here and in CPython 3.13 (on `vtime`, a virtual-time loop
// matching ours) and must print the same lines. Timer ties are avoided: CPython's heap does not
// fire equal-`when` timers in scheduling order.
// biome-ignore-all lint/correctness/useYield: bodies need not await (Python's `async with` blocks without `await`).
import { TaskGroup } from "@asyncio-ts/combinators";
import {
  asyncWith,
  CancelledError,
  type Coroutine,
  createTask,
  currentTask,
  ExceptionGroup,
  getRunningLoop,
  type Task,
} from "@asyncio-ts/core";
import { hasPython, pyFloat, runPython, trace } from "@asyncio-ts/test-utils";
import { runVirtual } from "@asyncio-ts/testing";
import { sleep, Timeout } from "@asyncio-ts/time";
import { describe, expect, it } from "vitest";
import {
  Barrier,
  Condition,
  Event,
  LifoQueue,
  Lock,
  PriorityQueue,
  Queue,
  Semaphore,
} from "../src/index.js";

/** Strip the common indentation of a template literal, like Python's textwrap.dedent. */
function py(code: string): string {
  const lines = code.replace(/^\n/, "").split("\n");
  const indents = lines.filter((l) => l.trim() !== "").map((l) => /^ */.exec(l)![0].length);
  const n = Math.min(...indents);
  return lines.map((l) => l.slice(n)).join("\n");
}

const PRELUDE = py(`
  import asyncio, vtime
  def now():
      return asyncio.get_running_loop().time()
  def name(e):
      return type(e).__name__
  async def settle(tasks):
      for t in tasks:
          try:
              r = await t
              print("result", r)
          except BaseException as e:
              print("raised", name(e))
`);

function time(): string {
  return pyFloat(getRunningLoop().time());
}

function name(e: unknown): string {
  return e instanceof Error ? e.name : "NoneType";
}

type Log = (...parts: unknown[]) => void;

function* settle(log: Log, tasks: Task<unknown>[]): Coroutine<void> {
  for (const t of tasks) {
    try {
      const r = yield* t;
      log("result", r);
    } catch (e) {
      log("raised", name(e));
    }
  }
}

const oracle = it.skipIf(!hasPython);

describe("oracle: same event order as CPython 3.13", () => {
  oracle(
    "Lock: FIFO hand-over, cancelled waiters, a woken waiter cancelled, no barging",
    async () => {
      const t = trace();
      await runVirtual(
        (function* () {
          const lock = new Lock();
          function* worker(n: string, hold: number): Coroutine<string> {
            t.log(n, "wants", time(), lock.locked());
            try {
              yield* lock.acquire();
            } catch (e) {
              t.log(n, "acquire raised", name(e), time(), lock.locked());
              throw e;
            }
            t.log(n, "got", time());
            try {
              yield* sleep(hold);
            } finally {
              lock.release();
              t.log(n, "released", time());
            }
            return n;
          }
          yield* lock.acquire();
          const tasks = (
            [
              ["a", 1],
              ["b", 2],
              ["c", 3],
              ["d", 4],
              ["e", 5],
            ] as const
          ).map(([n, h]) => createTask(worker(n, h)));
          yield* sleep(0);
          tasks[1]!.cancel();
          yield* sleep(0);
          lock.release();
          t.log("main released", lock.locked());
          tasks[0]!.cancel();
          yield* lock.acquire();
          t.log("main got again", time());
          yield* sleep(0.5);
          lock.release();
          yield* settle(t.log, tasks);
          t.log("end", time(), lock.locked());
        })(),
      );
      const out = runPython(`${PRELUDE}
${py(`
  async def main():
      lock = asyncio.Lock()
      async def worker(n, hold):
          print(n, "wants", now(), lock.locked())
          try:
              await lock.acquire()
          except BaseException as e:
              print(n, "acquire raised", name(e), now(), lock.locked())
              raise
          print(n, "got", now())
          try:
              await asyncio.sleep(hold)
          finally:
              lock.release()
              print(n, "released", now())
          return n
      await lock.acquire()
      tasks = [asyncio.create_task(worker(n, h)) for n, h in [("a", 1), ("b", 2), ("c", 3), ("d", 4), ("e", 5)]]
      await asyncio.sleep(0)
      tasks[1].cancel()
      await asyncio.sleep(0)
      lock.release()
      print("main released", lock.locked())
      tasks[0].cancel()
      await lock.acquire()
      print("main got again", now())
      await asyncio.sleep(0.5)
      lock.release()
      await settle(tasks)
      print("end", now(), lock.locked())
  vtime.run(main())
`)}`);
      expect(t.lines).toEqual(out);
    },
  );

  oracle("Event: set wakes all in order, clear, cancelled waiter", async () => {
    const t = trace();
    await runVirtual(
      (function* () {
        const ev = new Event();
        function* w(n: string): Coroutine<boolean> {
          const v = yield* ev.wait();
          t.log(n, "woke", v, time(), ev.isSet());
          return v;
        }
        const tasks = ["a", "b", "c"].map((n) => createTask(w(n)));
        yield* sleep(1);
        tasks[1]!.cancel();
        ev.set();
        ev.clear();
        t.log("set and cleared", ev.isSet());
        const late = createTask(w("late"));
        yield* sleep(2);
        t.log("late done?", late.done());
        ev.set();
        yield* settle(t.log, [...tasks, late]);
      })(),
    );
    const out = runPython(`${PRELUDE}
${py(`
  async def main():
      ev = asyncio.Event()
      async def w(n):
          v = await ev.wait()
          print(n, "woke", v, now(), ev.is_set())
          return v
      tasks = [asyncio.create_task(w(n)) for n in ["a", "b", "c"]]
      await asyncio.sleep(1)
      tasks[1].cancel()
      ev.set()
      ev.clear()
      print("set and cleared", ev.is_set())
      late = asyncio.create_task(w("late"))
      await asyncio.sleep(2)
      print("late done?", late.done())
      ev.set()
      await settle(tasks + [late])
  vtime.run(main())
`)}`);
    expect(t.lines).toEqual(out);
  });

  oracle(
    "Condition: notify(n) order, a notified waiter cancelled, waitFor, notifyAll",
    async () => {
      const t = trace();
      await runVirtual(
        (function* () {
          const cond = new Condition();
          const state = { n: 0 };
          function* waiter(n: string, hold: number): Coroutine<string> {
            yield* cond.with(function* () {
              t.log(n, "waiting", time());
              let v: boolean;
              try {
                v = yield* cond.wait();
              } catch (e) {
                t.log(n, "wait raised", name(e), cond.locked(), time());
                throw e;
              }
              t.log(n, "woke", v, time());
              yield* sleep(hold);
            });
            t.log(n, "left", time());
            return n;
          }
          function* pwaiter(n: string, k: number): Coroutine<string | false> {
            return yield* cond.with(function* () {
              const r = yield* cond.waitFor(() => {
                t.log(n, "checks", state.n);
                return state.n >= k && `n=${state.n}`;
              });
              t.log(n, "predicate", r, time());
              return r;
            });
          }
          const tasks: Task<unknown>[] = [
            createTask(waiter("a", 1)),
            createTask(waiter("b", 2)),
            createTask(pwaiter("p", 2)),
            createTask(waiter("c", 4)),
            createTask(waiter("d", 8)),
          ];
          yield* sleep(0);
          yield* cond.with(function* () {
            state.n = 1;
            cond.notify(2);
          });
          tasks[1]!.cancel();
          yield* sleep(0.5);
          yield* cond.with(function* () {
            state.n = 2;
            cond.notify(1);
          });
          yield* sleep(0.25);
          yield* cond.with(function* () {
            cond.notifyAll();
          });
          yield* settle(t.log, tasks);
          t.log("end", time(), cond.locked());
        })(),
      );
      const out = runPython(`${PRELUDE}
${py(`
  async def main():
      cond = asyncio.Condition()
      state = {"n": 0}
      async def waiter(n, hold):
          async with cond:
              print(n, "waiting", now())
              try:
                  v = await cond.wait()
              except BaseException as e:
                  print(n, "wait raised", name(e), cond.locked(), now())
                  raise
              print(n, "woke", v, now())
              await asyncio.sleep(hold)
          print(n, "left", now())
          return n
      async def pwaiter(n, k):
          async with cond:
              def pred():
                  print(n, "checks", state["n"])
                  return state["n"] >= k and f"n={state['n']}"
              r = await cond.wait_for(pred)
              print(n, "predicate", r, now())
              return r
      tasks = [
          asyncio.create_task(waiter("a", 1)),
          asyncio.create_task(waiter("b", 2)),
          asyncio.create_task(pwaiter("p", 2)),
          asyncio.create_task(waiter("c", 4)),
          asyncio.create_task(waiter("d", 8)),
      ]
      await asyncio.sleep(0)
      async with cond:
          state["n"] = 1
          cond.notify(2)
      tasks[1].cancel()
      await asyncio.sleep(0.5)
      async with cond:
          state["n"] = 2
          cond.notify(1)
      await asyncio.sleep(0.25)
      async with cond:
          cond.notify_all()
      await settle(tasks)
      print("end", now(), cond.locked())
  vtime.run(main())
`)}`);
      expect(t.lines).toEqual(out);
    },
  );

  oracle("Semaphore: FIFO wake order, cancellations, no barging past queued waiters", async () => {
    const t = trace();
    await runVirtual(
      (function* () {
        const sem = new Semaphore(2);
        function* job(n: string, hold: number): Coroutine<string> {
          t.log(n, "wants", time(), sem.locked());
          try {
            yield* sem.with(function* () {
              t.log(n, "in", time());
              yield* sleep(hold);
            });
          } catch (e) {
            t.log(n, "raised", name(e), time(), sem.locked());
            throw e;
          }
          t.log(n, "out", time());
          return n;
        }
        const spec: [string, number][] = [
          ["a", 3],
          ["b", 7],
          ["c", 2],
          ["d", 1.5],
          ["e", 4.25],
          ["f", 0.5],
        ];
        const tasks = spec.map(([n, h]) => createTask(job(n, h)));
        yield* sleep(0.1);
        tasks[3]!.cancel(); // d, waiting
        yield* sleep(2.8); // a leaves at 3: c is woken
        t.log("main at", time(), sem.locked());
        yield* sleep(0.2);
        tasks[2]!.cancel(); // c, in its body
        yield* sleep(0);
        sem.release(); // an extra unit
        t.log("extra release", sem.locked());
        const late = createTask(job("late", 1));
        yield* settle(t.log, [...tasks, late]);
        t.log("end", time(), sem.locked());
      })(),
    );
    const out = runPython(`${PRELUDE}
${py(`
  async def main():
      sem = asyncio.Semaphore(2)
      async def job(n, hold):
          print(n, "wants", now(), sem.locked())
          try:
              async with sem:
                  print(n, "in", now())
                  await asyncio.sleep(hold)
          except BaseException as e:
              print(n, "raised", name(e), now(), sem.locked())
              raise
          print(n, "out", now())
          return n
      spec = [("a", 3), ("b", 7), ("c", 2), ("d", 1.5), ("e", 4.25), ("f", 0.5)]
      tasks = [asyncio.create_task(job(n, h)) for n, h in spec]
      await asyncio.sleep(0.1)
      tasks[3].cancel()
      await asyncio.sleep(2.8)
      print("main at", now(), sem.locked())
      await asyncio.sleep(0.2)
      tasks[2].cancel()
      await asyncio.sleep(0)
      sem.release()
      print("extra release", sem.locked())
      late = asyncio.create_task(job("late", 1))
      await settle(tasks + [late])
      print("end", now(), sem.locked())
  vtime.run(main())
`)}`);
    expect(t.lines).toEqual(out);
  });

  oracle("Semaphore: a woken waiter cancelled gives its unit to the next", async () => {
    const t = trace();
    await runVirtual(
      (function* () {
        const sem = new Semaphore(0);
        function* w(n: string): Coroutine<string> {
          yield* sem.acquire();
          t.log(n, "acquired", time(), sem.locked());
          return n;
        }
        const tasks = ["a", "b", "c"].map((n) => createTask(w(n)));
        yield* sleep(0);
        sem.release();
        tasks[0]!.cancel();
        sem.release();
        t.log("released twice", sem.locked());
        yield* sleep(0);
        t.log("after a turn", sem.locked());
        yield* settle(t.log, tasks.slice(0, 2));
        sem.release();
        yield* settle(t.log, tasks.slice(2));
      })(),
    );
    const out = runPython(`${PRELUDE}
${py(`
  async def main():
      sem = asyncio.Semaphore(0)
      async def w(n):
          await sem.acquire()
          print(n, "acquired", now(), sem.locked())
          return n
      tasks = [asyncio.create_task(w(n)) for n in "abc"]
      await asyncio.sleep(0)
      sem.release()
      tasks[0].cancel()
      sem.release()
      print("released twice", sem.locked())
      await asyncio.sleep(0)
      print("after a turn", sem.locked())
      await settle(tasks[:2])
      sem.release()
      await settle(tasks[2:])
  vtime.run(main())
`)}`);
    expect(t.lines).toEqual(out);
  });

  oracle("Barrier: phases, arrivals while draining, cancellation, reset and abort", async () => {
    const t = trace();
    await runVirtual(
      (function* () {
        const b = new Barrier(3);
        function* party(n: string, delays: number[]): Coroutine<string> {
          for (const d of delays) {
            yield* sleep(d);
            t.log(n, "arrives", time(), b.nWaiting);
            try {
              const i = yield* b.wait();
              t.log(n, "passes", i, time(), b.nWaiting);
            } catch (e) {
              t.log(n, "raised", name(e), (e as Error).message, time(), b.broken);
              throw e;
            }
          }
          return n;
        }
        const tasks = [
          createTask(party("a", [1, 1])),
          createTask(party("b", [2, 0])),
          createTask(party("c", [3.125, 1.5])),
          createTask(party("d", [0.5, 0])),
          createTask(party("e", [10, 1])),
        ];
        yield* sleep(3.25);
        t.log("after phase 1", b.nWaiting, b.broken);
        yield* sleep(2);
        t.log("before reset", b.nWaiting);
        yield* b.reset();
        t.log("after reset", b.nWaiting, b.broken);
        yield* sleep(5.5);
        t.log("e waits", b.nWaiting);
        yield* sleep(1);
        t.log("before abort", b.nWaiting);
        yield* b.abort();
        t.log("after abort", b.nWaiting, b.broken);
        yield* settle(t.log, tasks);
        try {
          yield* b.wait();
        } catch (e) {
          t.log("late wait", name(e), (e as Error).message);
        }
      })(),
    );
    const out = runPython(`${PRELUDE}
${py(`
  async def main():
      b = asyncio.Barrier(3)
      async def party(n, delays):
          for d in delays:
              await asyncio.sleep(d)
              print(n, "arrives", now(), b.n_waiting)
              try:
                  i = await b.wait()
                  print(n, "passes", i, now(), b.n_waiting)
              except BaseException as e:
                  print(n, "raised", name(e), str(e), now(), b.broken)
                  raise
          return n
      tasks = [
          asyncio.create_task(party("a", [1, 1])),
          asyncio.create_task(party("b", [2, 0])),
          asyncio.create_task(party("c", [3.125, 1.5])),
          asyncio.create_task(party("d", [0.5, 0])),
          asyncio.create_task(party("e", [10, 1])),
      ]
      await asyncio.sleep(3.25)
      print("after phase 1", b.n_waiting, b.broken)
      await asyncio.sleep(2)
      print("before reset", b.n_waiting)
      await b.reset()
      print("after reset", b.n_waiting, b.broken)
      await asyncio.sleep(5.5)
      print("e waits", b.n_waiting)
      await asyncio.sleep(1)
      print("before abort", b.n_waiting)
      await b.abort()
      print("after abort", b.n_waiting, b.broken)
      await settle(tasks)
      try:
          await b.wait()
      except BaseException as e:
          print("late wait", name(e), str(e))
  vtime.run(main())
`)}`);
    expect(t.lines).toEqual(out);
  });

  oracle("Barrier: a party cancelled while the barrier drains", async () => {
    const t = trace();
    await runVirtual(
      (function* () {
        const b = new Barrier(2);
        function* p(n: string): Coroutine<number> {
          try {
            const i = yield* b.wait();
            t.log(n, "passes", i, b.nWaiting);
            return i;
          } catch (e) {
            t.log(n, "raised", name(e), b.nWaiting);
            throw e;
          }
        }
        const tasks = ["a", "b", "c", "d", "e"].map((n) => createTask(p(n)));
        yield* sleep(0);
        t.log("turn 1", b.nWaiting);
        tasks[0]!.cancel();
        tasks[3]!.cancel();
        yield* sleep(0);
        t.log("turn 2", b.nWaiting);
        yield* sleep(0);
        t.log("turn 3", b.nWaiting);
        const late = ["f", "g"].map((n) => createTask(p(n)));
        yield* settle(t.log, [...tasks, ...late]);
      })(),
    );
    const out = runPython(`${PRELUDE}
${py(`
  async def main():
      b = asyncio.Barrier(2)
      async def p(n):
          try:
              i = await b.wait()
              print(n, "passes", i, b.n_waiting)
              return i
          except BaseException as e:
              print(n, "raised", name(e), b.n_waiting)
              raise
      tasks = [asyncio.create_task(p(n)) for n in "abcde"]
      await asyncio.sleep(0)
      print("turn 1", b.n_waiting)
      tasks[0].cancel()
      tasks[3].cancel()
      await asyncio.sleep(0)
      print("turn 2", b.n_waiting)
      await asyncio.sleep(0)
      print("turn 3", b.n_waiting)
      late = [asyncio.create_task(p(n)) for n in "fg"]
      await settle(tasks + late)
  vtime.run(main())
`)}`);
    expect(t.lines).toEqual(out);
  });

  oracle("Queue: bounded producers and consumers, taskDone and join", async () => {
    const t = trace();
    await runVirtual(
      (function* () {
        const q = new Queue<string>(2);
        function* producer(n: string, count: number, gap: number): Coroutine<void> {
          for (let i = 0; i < count; i++) {
            yield* q.put(`${n}${i}`);
            t.log(n, "put", `${n}${i}`, time(), q.qsize(), q.full());
            yield* sleep(gap);
          }
        }
        function* consumer(n: string, work: number): Coroutine<void> {
          for (;;) {
            const item = yield* q.get();
            t.log(n, "got", item, time(), q.qsize());
            yield* sleep(work);
            q.taskDone();
          }
        }
        const prods = [createTask(producer("p", 5, 0.125)), createTask(producer("q", 4, 0.375))];
        const cons = [createTask(consumer("x", 1)), createTask(consumer("y", 1.75))];
        const joiner = createTask(
          (function* () {
            yield* sleep(0.0625);
            yield* q.join();
            t.log("join returned", time(), q.qsize());
          })(),
        );
        for (const p of prods) yield* p;
        t.log("producers done", time(), q.qsize());
        yield* q.join();
        t.log("main joined", time());
        yield* joiner;
        for (const c of cons) c.cancel();
        yield* settle(t.log, cons);
        t.log("end", time(), q.qsize(), q.empty());
      })(),
    );
    const out = runPython(`${PRELUDE}
${py(`
  async def main():
      q = asyncio.Queue(2)
      async def producer(n, count, gap):
          for i in range(count):
              await q.put(f"{n}{i}")
              print(n, "put", f"{n}{i}", now(), q.qsize(), q.full())
              await asyncio.sleep(gap)
      async def consumer(n, work):
          while True:
              item = await q.get()
              print(n, "got", item, now(), q.qsize())
              await asyncio.sleep(work)
              q.task_done()
      prods = [asyncio.create_task(producer("p", 5, 0.125)), asyncio.create_task(producer("q", 4, 0.375))]
      cons = [asyncio.create_task(consumer("x", 1)), asyncio.create_task(consumer("y", 1.75))]
      async def join():
          await asyncio.sleep(0.0625)
          await q.join()
          print("join returned", now(), q.qsize())
      joiner = asyncio.create_task(join())
      for p in prods:
          await p
      print("producers done", now(), q.qsize())
      await q.join()
      print("main joined", now())
      await joiner
      for c in cons:
          c.cancel()
      await settle(cons)
      print("end", now(), q.qsize(), q.empty())
  vtime.run(main())
`)}`);
    expect(t.lines).toEqual(out);
  });

  oracle("Queue: woken getters and putters cancelled before they run", async () => {
    const t = trace();
    await runVirtual(
      (function* () {
        const q = new Queue<number>(1);
        function* getter(n: string): Coroutine<number> {
          const v = yield* q.get();
          t.log(n, "got", v, q.qsize());
          return v;
        }
        function* putter(n: string, v: number): Coroutine<string> {
          yield* q.put(v);
          t.log(n, "put", v, q.qsize());
          return n;
        }
        const gs = ["g1", "g2", "g3"].map((n) => createTask(getter(n)));
        yield* sleep(0);
        q.putNowait(1);
        gs[0]!.cancel();
        gs[2]!.cancel();
        yield* settle(t.log, gs);
        q.putNowait(2);
        const ps = [
          createTask(putter("p1", 10)),
          createTask(putter("p2", 20)),
          createTask(putter("p3", 30)),
        ];
        yield* sleep(0);
        t.log("took", q.getNowait());
        ps[0]!.cancel();
        yield* sleep(0);
        t.log("one turn", q.qsize());
        yield* sleep(0);
        t.log("took", q.getNowait());
        yield* settle(t.log, ps.slice(0, 2));
        yield* sleep(0);
        t.log("took", q.getNowait());
        yield* settle(t.log, ps.slice(2));
        t.log("end", q.qsize());
      })(),
    );
    const out = runPython(`${PRELUDE}
${py(`
  async def main():
      q = asyncio.Queue(1)
      async def getter(n):
          v = await q.get()
          print(n, "got", v, q.qsize())
          return v
      async def putter(n, v):
          await q.put(v)
          print(n, "put", v, q.qsize())
          return n
      gs = [asyncio.create_task(getter(n)) for n in ["g1", "g2", "g3"]]
      await asyncio.sleep(0)
      q.put_nowait(1)
      gs[0].cancel()
      gs[2].cancel()
      await settle(gs)
      q.put_nowait(2)
      ps = [asyncio.create_task(putter("p1", 10)), asyncio.create_task(putter("p2", 20)), asyncio.create_task(putter("p3", 30))]
      await asyncio.sleep(0)
      print("took", q.get_nowait())
      ps[0].cancel()
      await asyncio.sleep(0)
      print("one turn", q.qsize())
      await asyncio.sleep(0)
      print("took", q.get_nowait())
      await settle(ps[:2])
      await asyncio.sleep(0)
      print("took", q.get_nowait())
      await settle(ps[2:])
      print("end", q.qsize())
  vtime.run(main())
`)}`);
    expect(t.lines).toEqual(out);
  });

  oracle(
    "Queue: shutdown wakes getters and putters; immediate shutdown releases join",
    async () => {
      const t = trace();
      await runVirtual(
        (function* () {
          const q = new Queue<number>(2);
          function* getter(n: string): Coroutine<number> {
            try {
              const v = yield* q.get();
              t.log(n, "got", v, time());
              return v;
            } catch (e) {
              t.log(n, "get raised", name(e), time());
              throw e;
            }
          }
          const gs = ["g1", "g2"].map((n) => createTask(getter(n)));
          yield* sleep(1);
          q.shutdown();
          t.log("shut down", q.qsize());
          yield* settle(t.log, gs);

          const r = new Queue<number>(2);
          r.putNowait(1);
          r.putNowait(2);
          const ps = [createTask(putterTo(r, "p1", 3)), createTask(putterTo(r, "p2", 4))];
          const joiner = createTask(
            (function* () {
              yield* r.join();
              t.log("joined", time());
            })(),
          );
          yield* sleep(1);
          t.log("got", r.getNowait());
          r.taskDone();
          r.shutdown();
          t.log("draining", r.qsize(), r.getNowait());
          r.taskDone();
          yield* sleep(0);
          t.log("after a turn", r.qsize(), joiner.done());
          r.shutdown(true);
          t.log("immediate", r.qsize(), r.empty());
          yield* settle(t.log, [...ps, joiner]);
          try {
            r.getNowait();
          } catch (e) {
            t.log("getNowait", name(e));
          }
          try {
            r.putNowait(9);
          } catch (e) {
            t.log("putNowait", name(e));
          }
        })(),
      );
      function* putterTo(r: Queue<number>, n: string, v: number): Coroutine<void> {
        try {
          yield* r.put(v);
          t.log(n, "put", v, time(), r.qsize());
        } catch (e) {
          t.log(n, "put raised", name(e), time());
          throw e;
        }
      }
      const out = runPython(`${PRELUDE}
${py(`
  async def main():
      q = asyncio.Queue(2)
      async def getter(n):
          try:
              v = await q.get()
              print(n, "got", v, now())
              return v
          except BaseException as e:
              print(n, "get raised", name(e), now())
              raise
      gs = [asyncio.create_task(getter(n)) for n in ["g1", "g2"]]
      await asyncio.sleep(1)
      q.shutdown()
      print("shut down", q.qsize())
      await settle(gs)

      r = asyncio.Queue(2)
      r.put_nowait(1)
      r.put_nowait(2)
      async def putter_to(r, n, v):
          try:
              await r.put(v)
              print(n, "put", v, now(), r.qsize())
          except BaseException as e:
              print(n, "put raised", name(e), now())
              raise
      ps = [asyncio.create_task(putter_to(r, "p1", 3)), asyncio.create_task(putter_to(r, "p2", 4))]
      async def join():
          await r.join()
          print("joined", now())
      joiner = asyncio.create_task(join())
      await asyncio.sleep(1)
      print("got", r.get_nowait())
      r.task_done()
      r.shutdown()
      print("draining", r.qsize(), r.get_nowait())
      r.task_done()
      await asyncio.sleep(0)
      print("after a turn", r.qsize(), joiner.done())
      r.shutdown(True)
      print("immediate", r.qsize(), r.empty())
      await settle(ps + [joiner])
      try:
          r.get_nowait()
      except BaseException as e:
          print("getNowait", name(e))
      try:
          r.put_nowait(9)
      except BaseException as e:
          print("putNowait", name(e))
  vtime.run(main())
`)}`);
      expect(t.lines).toEqual(out);
    },
  );

  oracle("PriorityQueue and LifoQueue: heapq's order for ties, stack order", async () => {
    const t = trace();
    await runVirtual(
      (function* () {
        type Item = { p: number; n: string };
        const q = new PriorityQueue<Item>(0, { compare: (a, b) => a.p - b.p });
        const prios = [3, 1, 2, 1, 3, 2, 1, 0, 2, 3, 1, 2, 0, 3, 1];
        prios.forEach((p, i) => {
          q.putNowait({ p, n: `i${i}` });
        });
        const popped: string[] = [];
        for (let k = 0; k < 5; k++) popped.push(q.getNowait().n);
        for (const [i, p] of [2, 0, 1, 2].entries()) q.putNowait({ p, n: `j${i}` });
        while (!q.empty()) popped.push((yield* q.get()).n);
        t.log(...popped);

        const tuples = new PriorityQueue<[number, string]>();
        for (const x of [
          [2, "b"],
          [1, "z"],
          [2, "a"],
          [1, "y"],
          [0, "q"],
        ] as [number, string][]) {
          tuples.putNowait(x);
        }
        const tp: string[] = [];
        while (!tuples.empty()) tp.push(tuples.getNowait().join(":"));
        t.log(...tp);

        const lifo = new LifoQueue<number>(2);
        const got: number[] = [];
        const c = createTask(
          (function* () {
            for (let i = 0; i < 5; i++) {
              got.push(yield* lifo.get());
              yield* sleep(0);
            }
          })(),
        );
        for (let i = 0; i < 5; i++) yield* lifo.put(i);
        yield* c;
        t.log(...got);
      })(),
    );
    const out = runPython(`${PRELUDE}
${py(`
  import functools
  @functools.total_ordering
  class Item:
      def __init__(self, p, n):
          self.p, self.n = p, n
      def __lt__(self, other):
          return self.p < other.p
      def __eq__(self, other):
          return self.p == other.p
  async def main():
      q = asyncio.PriorityQueue()
      prios = [3, 1, 2, 1, 3, 2, 1, 0, 2, 3, 1, 2, 0, 3, 1]
      for i, p in enumerate(prios):
          q.put_nowait(Item(p, f"i{i}"))
      popped = [q.get_nowait().n for _ in range(5)]
      for i, p in enumerate([2, 0, 1, 2]):
          q.put_nowait(Item(p, f"j{i}"))
      while not q.empty():
          popped.append((await q.get()).n)
      print(*popped)
      tuples = asyncio.PriorityQueue()
      for x in [(2, "b"), (1, "z"), (2, "a"), (1, "y"), (0, "q")]:
          tuples.put_nowait(x)
      tp = []
      while not tuples.empty():
          tp.append(":".join(map(str, tuples.get_nowait())))
      print(*tp)
      lifo = asyncio.LifoQueue(2)
      got = []
      async def consume():
          for i in range(5):
              got.append(await lifo.get())
              await asyncio.sleep(0)
      c = asyncio.create_task(consume())
      for i in range(5):
          await lifo.put(i)
      await c
      print(*got)
  vtime.run(main())
`)}`);
    expect(t.lines).toEqual(out);
  });
});

describe("oracle: asyncWith is `async with`, as CPython 3.13", () => {
  oracle(
    "async with on a Lock, asyncio.timeout() and a TaskGroup with a failing child",
    async () => {
      const t = trace();
      await runVirtual(
        (function* () {
          const lock = new Lock();
          function* user(n: string, hold: number): Coroutine<void> {
            t.log(n, "wants", time());
            yield* asyncWith(lock, function* (value) {
              t.log(n, "in", time(), lock.locked(), value);
              yield* sleep(hold);
            });
            t.log(n, "out", time(), lock.locked());
          }
          const ta = createTask(user("a", 1));
          const tb = createTask(user("b", 2));
          yield* ta;
          yield* tb;

          const cm = new Timeout(getRunningLoop().time() + 1.5);
          try {
            yield* asyncWith(cm, function* (entered) {
              t.log("timeout entered", entered === cm, entered);
              yield* asyncWith(lock, function* () {
                t.log("timeout body", time(), lock.locked());
                try {
                  yield* sleep(10);
                } catch (e) {
                  t.log("timeout body raised", name(e), time());
                  throw e;
                }
              });
            });
          } catch (e) {
            const cause = (e as Error).cause;
            t.log("timeout raised", name(e), name(cause), time(), cm.expired(), lock.locked(), cm);
          }

          function* child(n: string, delay: number, fails: boolean): Coroutine<string> {
            try {
              yield* sleep(delay);
            } catch (e) {
              if (e instanceof CancelledError) t.log(n, "cancelled", time());
              throw e;
            }
            if (fails) {
              t.log(n, "fails", time());
              throw new Error(n);
            }
            t.log(n, "done", time());
            return n;
          }
          try {
            yield* asyncWith(new TaskGroup(), function* (tg) {
              tg.createTask(child("c1", 0.5, false));
              tg.createTask(child("c2", 1, true));
              tg.createTask(child("c3", 3, false));
              yield* asyncWith(lock, function* () {
                t.log("group body holds the lock", time());
                try {
                  yield* sleep(5);
                } catch (e) {
                  t.log("group body raised", name(e), time(), lock.locked());
                  throw e;
                }
              });
            });
          } catch (e) {
            const eg = e as ExceptionGroup;
            t.log(
              "group raised",
              name(eg),
              eg instanceof ExceptionGroup ? eg.message : "",
              eg.exceptions.map((x) => (x as Error).message),
              time(),
              lock.locked(),
            );
          }
          t.log("cancelling", currentTask()!.cancelling());
        })(),
      );
      const out = runPython(`${PRELUDE}
${py(`
  async def main():
      lock = asyncio.Lock()
      async def user(n, hold):
          print(n, "wants", now())
          async with lock as value:
              print(n, "in", now(), lock.locked(), value)
              await asyncio.sleep(hold)
          print(n, "out", now(), lock.locked())
      ta = asyncio.create_task(user("a", 1))
      tb = asyncio.create_task(user("b", 2))
      await ta
      await tb

      try:
          async with asyncio.timeout(1.5) as cm:
              print("timeout entered", True, cm)
              async with lock:
                  print("timeout body", now(), lock.locked())
                  try:
                      await asyncio.sleep(10)
                  except BaseException as e:
                      print("timeout body raised", name(e), now())
                      raise
      except TimeoutError as e:
          print("timeout raised", name(e), name(e.__cause__), now(), cm.expired(), lock.locked(), cm)

      async def child(n, delay, fails):
          try:
              await asyncio.sleep(delay)
          except asyncio.CancelledError:
              print(n, "cancelled", now())
              raise
          if fails:
              print(n, "fails", now())
              raise Exception(n)
          print(n, "done", now())
          return n
      try:
          async with asyncio.TaskGroup() as tg:
              tg.create_task(child("c1", 0.5, False))
              tg.create_task(child("c2", 1, True))
              tg.create_task(child("c3", 3, False))
              async with lock:
                  print("group body holds the lock", now())
                  try:
                      await asyncio.sleep(5)
                  except BaseException as e:
                      print("group body raised", name(e), now(), lock.locked())
                      raise
      except ExceptionGroup as eg:
          print("group raised", name(eg), eg.message, [str(x) for x in eg.exceptions], now(), lock.locked())
      print("cancelling", asyncio.current_task().cancelling())
  vtime.run(main())
`)}`);
      expect(t.lines).toEqual(out);
    },
  );
});
