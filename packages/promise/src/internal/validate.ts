import type { AbstractEventLoop } from "@asyncio-ts/core";

/** A short description of a bad argument, worded like core's messages (`"1"`, `NaN`, `[Function f]`). */
export function describeValue(v: unknown): string {
  if (v === null) return "null";
  switch (typeof v) {
    case "string":
      return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
    case "symbol":
      return v.toString();
    case "function":
      return `[Function ${(v as { name?: string }).name || "(anonymous)"}]`;
    case "object": {
      const tag = Object.prototype.toString.call(v).slice(8, -1);
      const name = (v as { constructor?: { name?: string } }).constructor?.name;
      return name && name !== tag ? `[${tag} ${name}]` : `[${tag}]`;
    }
    default:
      return String(v);
  }
}

/** True for anything `await` would treat as a thenable. */
export function isPromiseLike(x: unknown): x is PromiseLike<unknown> {
  return (
    x !== null &&
    (typeof x === "object" || typeof x === "function") &&
    typeof (x as PromiseLike<unknown>).then === "function"
  );
}

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
