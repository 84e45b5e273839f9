import { describeValue } from "./validate.js";

/** Throws unless a scope's `body` is callable (its result is checked once called). */
export function checkBody(body: unknown, fn: string): void {
  if (typeof body !== "function") {
    throw new TypeError(
      `Expected \`body\` of ${fn}() to be a generator function, got \`${describeValue(body)}\` (${typeof body})`,
    );
  }
}

/** True for what `yield*` can await: coroutines, futures, tasks, other awaitables. */
export function isAwaitable(x: unknown): boolean {
  return (
    x !== null &&
    typeof x === "object" &&
    typeof (x as { [Symbol.iterator]?: unknown })[Symbol.iterator] === "function"
  );
}

/** The TypeError for a body that returned something `yield*` cannot await. */
export function badBodyResult(result: unknown, fn: string): TypeError {
  const thenable =
    result !== null &&
    (typeof result === "object" || typeof result === "function") &&
    typeof (result as PromiseLike<unknown>).then === "function";
  const hint = thenable
    ? ": write the body as a generator function (function*), not an async function"
    : "";
  return new TypeError(
    `The body of ${fn}() must return a coroutine, got \`${describeValue(result)}\`${hint}`,
  );
}
