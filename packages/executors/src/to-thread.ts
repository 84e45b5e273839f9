import { type Coroutine, type Executor, type Future, getRunningLoop } from "@asyncio-ts/core";
import { asModuleReference, type ModuleReference, moduleFunction } from "./sendable.js";
import { describeValue } from "./util.js";

const standIns = new WeakMap<object, Function>();

// loop.runInExecutor() takes functions only; a `{ url, name }` object becomes a moduleFunction()
// stand-in, made once per object.
function asFunction(fn: unknown): unknown {
  if (typeof fn !== "object" || fn === null) return fn;
  let standIn = standIns.get(fn);
  if (standIn === undefined) {
    const ref = asModuleReference(fn);
    if (ref === null) return fn;
    standIn = moduleFunction(ref.url, ref.name);
    standIns.set(fn, standIn);
  }
  return standIn;
}

/**
 * Mirrors `loop.run_in_executor(executor, func, *args)` on the running loop, as a function of the
 * module: an asyncio `Future` to `yield*`. `null` means the loop's default executor, a
 * {@link ThreadPoolExecutor} made on first use and shut down by `run()`. Cancelling the future
 * cancels the job if it has not started. Throws `RuntimeError` outside a running loop.
 * @example
 * import { run } from "@asyncio-ts/core";
 * import { runInExecutor } from "@asyncio-ts/executors";
 * function add(a: number, b: number) {
 *   return a + b;
 * }
 * console.log(await run((function* () {
 *   return yield* runInExecutor(null, add, 2, 3);
 * })())); // 5
 */
export function runInExecutor<A extends unknown[], R>(
  executor: Executor | null,
  fn: ((...args: A) => R) | ModuleReference,
  ...args: A
): Future<Awaited<R>> {
  if (
    executor !== null &&
    executor !== undefined &&
    (typeof executor !== "object" || typeof (executor as Executor).submit !== "function")
  ) {
    throw new TypeError(
      `Expected \`executor\` to be an Executor (an object with submit() and shutdown()) or null, got ${describeValue(executor)}`,
    );
  }
  const loop = getRunningLoop();
  return loop.runInExecutor(executor ?? null, asFunction(fn) as (...args: A) => R, ...args);
}

/**
 * Mirrors `asyncio.to_thread(func, /, *args)`: runs `fn(...args)` in the loop's default
 * {@link ThreadPoolExecutor} (a real thread, in parallel with the loop) and returns its result.
 * `fn` is a self-contained function or a module reference; it is checked when the coroutine
 * first runs, like everything in an `async def`. Context variables are not carried over.
 * @example
 * import { run } from "@asyncio-ts/core";
 * import { toThread } from "@asyncio-ts/executors";
 * function blockingSum(n: number) {
 *   let s = 0;
 *   for (let i = 0; i < n; i++) s += i;
 *   return s;
 * }
 * console.log(await run((function* () {
 *   return yield* toThread(blockingSum, 1000);
 * })())); // 499500
 */
export function* toThread<A extends unknown[], R>(
  fn: ((...args: A) => R) | ModuleReference,
  ...args: A
): Coroutine<Awaited<R>> {
  return yield* runInExecutor(null, fn, ...args);
}
