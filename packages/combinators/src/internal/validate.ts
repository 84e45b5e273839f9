import { Future, isCoroutine } from "@asyncio-ts/core";
import { describeValue } from "@asyncio-ts/core/shared";

export { describeValue };

/** Python's `Optional[float]` for a timeout: `null`/`undefined` mean none; NaN is refused. */
export function checkOptionalSeconds(
  value: unknown,
  name: string,
): asserts value is number | null | undefined {
  if (value != null && (typeof value !== "number" || Number.isNaN(value))) {
    throw new TypeError(
      `Expected \`${name}\` to be a number of seconds or null, got \`${describeValue(value)}\` (${typeof value})`,
    );
  }
}

export { isCoroutine };

/** True for what `yield*` can await: coroutines, futures, tasks, other awaitables. */
export function isAwaitable(x: unknown): boolean {
  return (
    x !== null &&
    typeof x === "object" &&
    typeof (x as { [Symbol.iterator]?: unknown })[Symbol.iterator] === "function"
  );
}

export function isPromiseLike(x: unknown): boolean {
  return (
    x !== null &&
    (typeof x === "object" || typeof x === "function") &&
    typeof (x as PromiseLike<unknown>).then === "function"
  );
}

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

/** Throws unless a scope's `body` is callable (its result is checked once called). */
export function checkBody(body: unknown, fn: string): void {
  if (typeof body !== "function") {
    throw new TypeError(
      `Expected \`body\` of ${fn}() to be a generator function, got \`${describeValue(body)}\` (${typeof body})`,
    );
  }
}

/** The TypeError for a body that returned something `yield*` cannot await. */
export function badBodyResult(result: unknown, fn: string): TypeError {
  const hint = isPromiseLike(result)
    ? ": write the body as a generator function (function*), not an async function"
    : "";
  return new TypeError(
    `The body of ${fn}() must return a coroutine, got \`${describeValue(result)}\`${hint}`,
  );
}

/** Throws a TypeError for an options object that is not a plain object. */
export function checkOptions(options: unknown, fn: string): void {
  if (options != null && typeof options !== "object") {
    throw new TypeError(
      `Expected the options of ${fn}() to be an object, got \`${describeValue(options)}\` (${typeof options})`,
    );
  }
}
