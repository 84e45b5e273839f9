import { type AGenerator, asyncGenerator, type Emit } from "./async-generator.js";
import type { AsyncContextManager } from "./async-with.js";
import { RuntimeError, StopAsyncIteration } from "./errors.js";
import { chainError } from "./internal/chain.js";
import type { Coroutine } from "./types.js";

/**
 * Mirrors `contextlib._AsyncGeneratorContextManager`: what a function made by
 * {@link asyncContextManager} returns; single use, as Python's.
 * @example
 * import { asyncContextManager, AsyncGeneratorContextManager, type Emit } from "@asyncio-ts/core";
 * const cm = asyncContextManager(function* (emit: Emit<number>) {
 *   yield* emit(1);
 * });
 * console.log(cm() instanceof AsyncGeneratorContextManager); // true
 */
export class AsyncGeneratorContextManager<T> implements AsyncContextManager<T> {
  /** @internal */
  readonly _gen: AGenerator<T>;

  /** @internal Made by {@link asyncContextManager}'s functions. */
  constructor(gen: AGenerator<T>) {
    this._gen = gen;
  }

  /** Python's `__aenter__`: run the generator to its `emit`, whose value the body gets. */
  *aenter(): Coroutine<T> {
    const r = yield* this._gen.anext();
    if (r.done) throw new RuntimeError("generator didn't yield");
    return r.value;
  }

  /**
   * Python's `__aexit__`: resume the generator (clean exit) or throw the body's error in at its
   * `emit`; true (suppress) when the generator swallows the error.
   */
  *aexit(exc: unknown): Coroutine<boolean> {
    const gen = this._gen;
    if (exc === null) {
      const r = yield* gen.anext();
      if (r.done) return false;
      try {
        throw new RuntimeError("generator didn't stop");
      } finally {
        yield* gen.aclose();
      }
    }
    let r: IteratorResult<T, void>;
    try {
      r = yield* gen.athrow(exc);
    } catch (e) {
      if (e === exc) return false;
      // The generator turned the body's StopAsyncIteration into its RuntimeError.
      if (exc instanceof StopAsyncIteration && e instanceof RuntimeError && e.cause === exc) {
        return false;
      }
      chainError(e, exc);
      throw e;
    }
    if (r.done) return true;
    try {
      throw new RuntimeError("generator didn't stop after athrow()");
    } finally {
      yield* gen.aclose();
    }
  }
}

/**
 * Mirrors `contextlib.asynccontextmanager`: turns an async generator body that emits once into
 * a function returning an {@link AsyncContextManager}: the code before `yield* emit(value)` is
 * `aenter`, the rest is `aexit`; the body's error is thrown in at the `emit`, so `try/finally`
 * around it cleans up and `try/catch` can suppress.
 * @example
 * import { asyncContextManager, asyncWith, type Emit, run } from "@asyncio-ts/core";
 * const connection = asyncContextManager(function* (emit: Emit<string>, host: string) {
 *   console.log("connect", host);
 *   try {
 *     yield* emit(`conn:${host}`);
 *   } finally {
 *     console.log("disconnect", host);
 *   }
 * });
 * await run(asyncWith(connection("db"), function* (conn) {
 *   console.log("using", conn); // connect db, using conn:db, disconnect db
 * }));
 */
export function asyncContextManager<T, A extends unknown[] = []>(
  fn: (emit: Emit<T>, ...args: A) => Coroutine<void>,
): (...args: A) => AsyncGeneratorContextManager<T> {
  const make = asyncGenerator(fn);
  return function (this: unknown, ...args: A): AsyncGeneratorContextManager<T> {
    return new AsyncGeneratorContextManager(make.apply(this, args));
  };
}
