/**
 * Sleep sort: one task per number, each sleeping `n / 100` seconds before printing `n`, so the
 * numbers come out sorted, because timers fire in deadline order. The whole run takes about
 * 50 ms, short enough to run on the real clock in the tests and compare with virtual time.
 *
 *     async def sleep_then_print(n):
 *         await asyncio.sleep(n / 100)
 *         print(n)
 *
 *     async def main():
 *         tasks = [asyncio.create_task(sleep_then_print(n)) for n in [3, 1, 5, 2, 4]]
 *         for t in tasks:
 *             await t
 *
 * Run: `node dist/sleep-sort.js`.
 */
import { pathToFileURL } from "node:url";
import { type Coroutine, createTask, run, sleep } from "asyncio-ts";

function* sleepThenPrint(n: number): Coroutine<void> {
  yield* sleep(n / 100);
  console.log(n);
}

export function* main(): Coroutine<void> {
  const numbers = [3, 1, 5, 2, 4];
  console.log(`unsorted: ${numbers.join(" ")}`);
  const tasks = numbers.map((n) => createTask(sleepThenPrint(n)));
  for (const t of tasks) yield* t;
  console.log("sorted by the timers");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await run(main());
