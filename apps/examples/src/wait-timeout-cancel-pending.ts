/**
 * `asyncio.wait()` as Python's "Coroutines and Tasks" page describes it: it returns two sets,
 * `[done, pending]`, as soon as its condition holds. `FIRST_COMPLETED` returns after the first
 * task finishes; a `timeout` returns when it expires, and does *not* cancel what is still
 * pending: that is up to the caller, who then waits for the cancellations to land.
 *
 *     done, pending = await asyncio.wait(tasks, timeout=1.0)
 *     for t in pending:
 *         t.cancel()
 *     await asyncio.wait(pending)
 *
 * Python's keywords `timeout=` and `return_when=` are a trailing `{ timeout, returnWhen }`.
 * The sets are walked in the order the tasks were created (a Python set of tasks has no
 * useful order), so both twins print the same lines.
 * Run: `node dist/wait-timeout-cancel-pending.js`.
 */
import { pathToFileURL } from "node:url";
import { FIRST_COMPLETED, wait } from "@asyncio-ts/combinators";
import { CancelledError, type Coroutine, createTask, getRunningLoop, run, sleep } from "asyncio-ts";

function* job(name: string, delay: number): Coroutine<string> {
  try {
    yield* sleep(delay);
  } catch (e) {
    if (e instanceof CancelledError) console.log(`${name}: cancelled while sleeping`);
    throw e;
  }
  console.log(`${name}: finished`);
  return `${name} result`;
}

export function* main(): Coroutine<void> {
  const loop = getRunningLoop();
  const start = loop.time();
  const elapsed = () => `${(loop.time() - start).toFixed(1)}s`;
  const pyBool = (b: boolean) => (b ? "True" : "False");

  const jobs: [string, number][] = [
    ["fast", 0.5],
    ["medium", 1.0],
    ["slow", 2.5],
    ["eternal", 3600],
  ];
  const tasks = jobs.map(([name, delay]) => createTask(job(name, delay), { name }));

  // The first to finish, and only that one.
  let [done, pending] = yield* wait(tasks, { returnWhen: FIRST_COMPLETED });
  console.log(`FIRST_COMPLETED at ${elapsed()}: ${done.size} done, ${pending.size} pending`);

  // At most 1 s more for everything. wait() does not cancel on timeout: it just reports.
  [done, pending] = yield* wait(tasks, { timeout: 1.0 });
  console.log(`timeout at ${elapsed()}: ${done.size} done, ${pending.size} pending`);
  for (const t of tasks) {
    if (done.has(t)) console.log(`  done: ${t.getName()} -> '${t.result()}'`);
  }
  for (const t of tasks) {
    if (pending.has(t))
      console.log(`  pending: ${t.getName()} (still running: ${pyBool(!t.done())})`);
  }

  // So cancel the pending ones, and wait until they have seen their CancelledError.
  for (const t of tasks) {
    if (pending.has(t)) t.cancel();
  }
  yield* wait(pending);
  for (const t of tasks) console.log(`${t.getName()}: cancelled() is ${pyBool(t.cancelled())}`);
  console.log(`finished at ${elapsed()}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await run(main());
