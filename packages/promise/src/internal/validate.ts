import type { AbstractEventLoop } from "@asyncio-ts/core";
import { describeValue } from "@asyncio-ts/core/shared";

export { isPromiseLike } from "@asyncio-ts/core/shared";
export { describeValue };

/** True for a generator-like object (what a `function*` returns): a coroutine. */
export function isGeneratorLike(x: unknown): boolean {
  return (
    x !== null &&
    typeof x === "object" &&
    typeof (x as Generator).next === "function" &&
    typeof (x as Generator).throw === "function"
  );
}

/** Throws a TypeError unless `loop` looks like an asyncio-ts event loop. */
export function checkLoop(loop: unknown, name: string): asserts loop is AbstractEventLoop {
  if (
    loop === null ||
    typeof loop !== "object" ||
    typeof (loop as AbstractEventLoop).callSoonThreadsafe !== "function" ||
    typeof (loop as AbstractEventLoop).beginExternalWork !== "function" ||
    typeof (loop as AbstractEventLoop).isClosed !== "function"
  ) {
    throw new TypeError(
      `Expected \`${name}\` to be an event loop, got \`${describeValue(loop)}\` (${typeof loop})`,
    );
  }
}
