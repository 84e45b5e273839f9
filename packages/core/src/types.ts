import type { Future } from "./future.js";

/**
 * Mirrors a Python coroutine object: what calling a generator function (`function*`) returns.
 * It yields futures (or `undefined` for a bare yield to the loop) and returns `T`.
 * @example
 * import type { Coroutine } from "@asyncio-ts/core";
 * function* answer(): Coroutine<number> {
 *   return 42;
 * }
 * const coro: Coroutine<number> = answer();
 */
export type Coroutine<T = unknown> = Generator<Future<unknown> | undefined, T, unknown>;

/**
 * Mirrors Python's `Awaitable`: anything `yield*` works on inside a coroutine (coroutines,
 * futures, tasks, and objects with a `[Symbol.iterator]` returning a coroutine).
 * @example
 * import type { Awaitable, Coroutine } from "@asyncio-ts/core";
 * function* twice(a: Awaitable<number>): Coroutine<number> {
 *   return 2 * (yield* a);
 * }
 */
export interface Awaitable<T = unknown> {
  [Symbol.iterator](): Generator<Future<unknown> | undefined, T, unknown>;
}

/**
 * The result type of an awaitable (Python's `T` in `Awaitable[T]`).
 * @example
 * import type { AwaitedOf, Future } from "@asyncio-ts/core";
 * type N = AwaitedOf<Future<number>>; // number
 */
export type AwaitedOf<A> = A extends Awaitable<infer T> ? T : never;
