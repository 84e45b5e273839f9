import { describeValue } from "@asyncio-ts/core/shared";

export { describeValue };

/** A delay or loop time: any number but NaN (±Infinity allowed, as in Python). */
export function checkSeconds(value: unknown, name: string): asserts value is number {
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new TypeError(
      `Expected \`${name}\` to be a number of seconds, got \`${describeValue(value)}\` (${typeof value})`,
    );
  }
}

/**
 * Like {@link checkSeconds}, for Python's `Optional[float]`: `null` (and `undefined`, SPEC §3)
 * mean "no deadline".
 */
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

function isPromiseLike(x: unknown): boolean {
  return (
    x !== null &&
    (typeof x === "object" || typeof x === "function") &&
    typeof (x as PromiseLike<unknown>).then === "function"
  );
}

/** True for what `yield*` can await: coroutines, futures, tasks, other awaitables. */
export function isAwaitable(x: unknown): boolean {
  return (
    x !== null &&
    typeof x === "object" &&
    typeof (x as { [Symbol.iterator]?: unknown })[Symbol.iterator] === "function"
  );
}

/** Core's `ensureFuture` wording, so `waitFor` fails the same way on both of its paths. */
export function notAwaitableMessage(x: unknown): string {
  return `An asyncio.Future, a coroutine or an awaitable is required${
    isPromiseLike(x) ? " (wrap a Promise with fromPromise(p) from @asyncio-ts/promise)" : ""
  }`;
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
