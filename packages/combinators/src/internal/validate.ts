import { Future, isCoroutine } from "@asyncio-ts/core";
import { describeValue } from "@asyncio-ts/core/shared";

export {
  badBodyResult,
  checkBody,
  checkOptionalSeconds,
  describeValue,
  isAwaitable,
  isPromiseLike,
} from "@asyncio-ts/core/shared";

export { isCoroutine };

/**
 * Python's `type(x).__name__` for the "not X" of a TypeError: `coroutine` for a generator object
 * (a JS generator is a coroutine here), else the constructor's name.
 */
export function typeName(x: unknown): string {
  if (x === null) return "null";
  // First: `sleep()` returns an object that is both (a coroutine for Python).
  if (isCoroutine(x)) return "coroutine";
  if (x instanceof Future) return x.constructor.name;
  if (typeof x === "object" || typeof x === "function") {
    return (x as { constructor?: { name?: string } }).constructor?.name || typeof x;
  }
  return typeof x;
}

/** Throws unless `x` can be iterated (the `fs` of `wait`/`asCompleted`). */
export function checkIterable(x: unknown, name: string): asserts x is Iterable<unknown> {
  if (
    x === null ||
    x === undefined ||
    typeof (x as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== "function"
  ) {
    throw new TypeError(
      `Expected \`${name}\` to be an iterable, got \`${describeValue(x)}\` (${typeof x})`,
    );
  }
}

/** Throws a TypeError for an options object that is not a plain object. */
export function checkOptions(options: unknown, fn: string): void {
  if (options != null && typeof options !== "object") {
    throw new TypeError(
      `Expected the options of ${fn}() to be an object, got \`${describeValue(options)}\` (${typeof options})`,
    );
  }
}
