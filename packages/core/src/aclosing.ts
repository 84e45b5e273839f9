import type { AsyncContextManager } from "./async-with.js";
import { _awaitFrom } from "./async-with.js";
import { describeValue } from "./shared.js";
import type { Awaitable, Coroutine } from "./types.js";

/**
 * Mirrors `contextlib.aclosing(thing)`: a context manager that gives `thing` and awaits
 * `thing.aclose()` when the scope ends, however it ends. (`asyncFor` already closes what it
 * loops over; this is for iterators driven by hand with `anext()`.)
 * @example
 * import { aclosing, asyncGenerator, asyncWith, type Emit, run } from "@asyncio-ts/core";
 * const gen = asyncGenerator(function* (emit: Emit<number>) {
 *   try {
 *     yield* emit(1);
 *     yield* emit(2);
 *   } finally {
 *     console.log("closed");
 *   }
 * });
 * await run(asyncWith(aclosing(gen()), function* (g) {
 *   console.log((yield* g.anext()).value); // 1, then closed
 * }));
 */
export function aclosing<T extends { aclose(): Awaitable<unknown> }>(
  thing: T,
): AsyncContextManager<T, false> {
  if (
    thing === null ||
    (typeof thing !== "object" && typeof thing !== "function") ||
    typeof thing.aclose !== "function"
  ) {
    throw new TypeError(
      `Expected \`thing\` to have an aclose() method, got \`${describeValue(thing)}\``,
    );
  }
  return new AClosing(thing);
}

class AClosing<T extends { aclose(): Awaitable<unknown> }>
  implements AsyncContextManager<T, false>
{
  constructor(private readonly _thing: T) {}

  // biome-ignore lint/correctness/useYield: Python's `__aenter__` here awaits nothing.
  *aenter(): Coroutine<T> {
    return this._thing;
  }

  *aexit(): Coroutine<false> {
    yield* _awaitFrom(this._thing.aclose(), "aclosing", "aclose()");
    return false;
  }
}
