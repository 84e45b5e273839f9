/**
 * Twin of the `TaskGroup` program on Python's "Coroutines and Tasks" page ("Task Groups"): the
 * group's scope ends only when every child has finished. Then the other half of the story: when
 * a child fails, the group cancels the others (and its body) and raises an `ExceptionGroup`
 * holding every child's error (here two children fail at the same moment, so it holds two).
 *
 *     async def main():
 *         async with asyncio.TaskGroup() as tg:
 *             task1 = tg.create_task(some_coro(...))
 *             task2 = tg.create_task(another_coro(...))
 *         print(f"Both tasks have completed now: {task1.result()}, {task2.result()}")
 *
 * `async with asyncio.TaskGroup() as tg:` is `yield* taskGroup(function* (tg) { ... })`;
 * Python's `except* JobError` / `except ExceptionGroup as eg` is a `catch` that checks
 * `e instanceof ExceptionGroup` and reads `eg.exceptions`.
 * Run: `node dist/task-group.js`.
 */
import { pathToFileURL } from "node:url";
import { taskGroup } from "@asyncio-ts/combinators";
import {
  CancelledError,
  type Coroutine,
  ExceptionGroup,
  getRunningLoop,
  run,
  sleep,
  type Task,
} from "asyncio-ts";

class JobError extends Error {
  override name = "JobError";
}

function* work(name: string, delay: number): Coroutine<string> {
  try {
    yield* sleep(delay);
  } catch (e) {
    if (e instanceof CancelledError) console.log(`${name}: cancelled`);
    throw e;
  }
  console.log(`${name}: done`);
  return name.toUpperCase();
}

function* fail(name: string, delay: number): Coroutine<never> {
  yield* sleep(delay);
  console.log(`${name}: raising JobError`);
  throw new JobError(`${name} failed`);
}

export function* main(): Coroutine<void> {
  const loop = getRunningLoop();
  let start = loop.time();
  const elapsed = () => `${(loop.time() - start).toFixed(1)}s`;

  let task1!: Task<string>;
  let task2!: Task<string>;
  // biome-ignore lint/correctness/useYield: like Python's `async with` block, the body need not await.
  yield* taskGroup(function* (tg) {
    task1 = tg.createTask(work("one", 1));
    task2 = tg.createTask(work("two", 0.5));
    console.log("both tasks created");
  });
  // The scope waits for both.
  console.log(`Both tasks have completed now: ${task1.result()}, ${task2.result()} (${elapsed()})`);

  // Two children fail at the same moment: the third child and the body are cancelled, and
  // both errors come out.
  start = loop.time();
  let slow!: Task<string>;
  try {
    yield* taskGroup(function* (tg) {
      slow = tg.createTask(work("slow", 3600));
      tg.createTask(fail("bad-1", 1));
      tg.createTask(fail("bad-2", 1));
      // The body is cancelled too, wherever it awaits.
      yield* work("body", 3600);
    });
  } catch (e) {
    if (!(e instanceof ExceptionGroup)) throw e;
    console.log(`${e.name} at ${elapsed()}: ${e.message}`);
    for (const sub of e.exceptions as Error[]) console.log(`  ${sub.name}: ${sub.message}`);
  }
  console.log(`slow.cancelled() is ${slow.cancelled() ? "True" : "False"}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await run(main());
