import { type Coroutine, type RunOptions, run } from "@asyncio-ts/core";
import { VirtualTimeEventLoop } from "./virtual-time-event-loop.js";

/**
 * asyncio-ts extension: `run(main)` on a fresh {@link VirtualTimeEventLoop}, without touching
 * the global policy — handy in tests.
 * @example
 * import { getRunningLoop } from "@asyncio-ts/core";
 * import { runVirtual } from "@asyncio-ts/testing";
 * const t = await runVirtual((function* () {
 *   return getRunningLoop().time();
 * })());
 * console.log(t); // 0
 */
export function runVirtual<T>(
  main: Coroutine<T>,
  options?: Omit<RunOptions, "loopFactory">,
): Promise<T> {
  return run(main, { ...options, loopFactory: () => new VirtualTimeEventLoop() });
}
