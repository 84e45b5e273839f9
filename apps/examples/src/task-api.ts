/**
 * Twin of the introspection part of Python's "Coroutines and Tasks" page: `current_task()`,
 * `all_tasks()`, `Task.get_name()`/`set_name()`, `get_coro()`, `done()` and `result()`.
 *
 *     me = asyncio.current_task()
 *     me.set_name("main")
 *     task = asyncio.create_task(coro, name="worker")
 *     task.get_coro() is coro                # True
 *     sorted(t.get_name() for t in asyncio.all_tasks())
 *
 * (Unnamed tasks are called `Task-1`, `Task-2`, … counting per process, as in CPython.)
 * Run: `node dist/task-api.js`.
 */
import { pathToFileURL } from "node:url";
import { allTasks, type Coroutine, createTask, currentTask, run, sleep } from "asyncio-ts";

function* worker(delay: number): Coroutine<number> {
  console.log(`${currentTask()!.getName()} runs`);
  yield* sleep(delay);
  return delay * 10;
}

function taskNames(): string {
  return [...allTasks()]
    .map((t) => t.getName())
    .sort()
    .join(", ");
}

export function* main(): Coroutine<void> {
  const me = currentTask()!;
  me.setName("main");
  console.log(`current task: ${me.getName()}`);

  const coro = worker(1);
  const task = createTask(coro, { name: "worker" });
  console.log(`created task: ${task.getName()}`);
  console.log(`get_coro() is the coroutine: ${task.getCoro() === coro ? "True" : "False"}`);
  console.log(`all tasks: ${taskNames()}`);
  console.log(`task is ${task.done() ? "done" : "pending"}`);

  yield* sleep(0); // let the worker start
  task.setName("worker-renamed");
  console.log(`renamed to: ${task.getName()}`);

  yield* task;
  console.log(`task is ${task.done() ? "done" : "pending"}, result() = ${task.result()}`);
  console.log(`all tasks: ${taskNames()}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await run(main());
