import { chainError } from "./internal/chain.js";
import { badBodyResult, checkBody, describeValue, isAwaitable, isPromiseLike } from "./shared.js";
import type { Awaitable, Coroutine } from "./types.js";

/**
 * Mirrors Python's asynchronous context manager protocol (`__aenter__`/`__aexit__`), what
 * `async with` drives; {@link asyncWith} is `async with` here. `aexit(exc)` gets the thrown
 * value, or `null` when the body finished; a true result suppresses the exception. `S` says
 * whether it can suppress: `AsyncContextManager<T, false>` never does.
 * @example
 * import { type AsyncContextManager, type Coroutine } from "@asyncio-ts/core";
 * class Resource implements AsyncContextManager<Resource, false> {
 *   *aenter(): Coroutine<Resource> {
 *     console.log("open");
 *     return this;
 *   }
 *   *aexit(): Coroutine<false> {
 *     console.log("close");
 *     return false;
 *   }
 * }
 */
export interface AsyncContextManager<T = unknown, S extends boolean = boolean> {
  /** Python's `__aenter__`: its result is what the body gets (`async with cm as value`). */
  aenter(): Awaitable<T>;
  /**
   * Python's `__aexit__(exc_type, exc, tb)`, given only `exc`: the value the body threw
   * (a `CancelledError` when the task was cancelled in it), or `null` when it finished.
   */
  aexit(exc: unknown): Awaitable<S | null | undefined | void>;
}

function isAsyncContextManager(cm: unknown): cm is AsyncContextManager {
  return (
    cm !== null &&
    (typeof cm === "object" || typeof cm === "function") &&
    typeof (cm as AsyncContextManager).aenter === "function" &&
    typeof (cm as AsyncContextManager).aexit === "function"
  );
}

/** @internal The TypeError for something that is not an async context manager. */
export function _checkAsyncContextManager(cm: unknown): asserts cm is AsyncContextManager {
  if (!isAsyncContextManager(cm)) {
    throw new TypeError(
      `Expected \`cm\` to be an asynchronous context manager (an object with aenter() and ` +
        `aexit() methods), got \`${describeValue(cm)}\``,
    );
  }
}

/**
 * @internal Awaits what a context manager's `aenter()`/`aexit()` (or an exit callback) gave,
 * with a TypeError naming `fnName` and `what` when it cannot be awaited.
 */
export function* _awaitFrom<T>(x: unknown, fnName: string, what: string): Coroutine<T> {
  if (!isAwaitable(x)) throw notAwaitable(fnName, what, x);
  return yield* x as Awaitable<T>;
}

function notAwaitable(fnName: string, what: string, x: unknown): TypeError {
  const hint = isPromiseLike(x)
    ? " (write it as a generator method, *aenter() / *aexit(), or wrap a Promise with fromPromise(p) from @asyncio-ts/promise)"
    : "";
  return new TypeError(
    `'${fnName}' received an object from ${what} that is not awaitable: \`${describeValue(x)}\`${hint}`,
  );
}

/**
 * Mirrors `async with cm as value: body`: awaits `cm.aenter()`, runs `body(value)`, then awaits
 * `cm.aexit(null)`, or `cm.aexit(error)` when the body threw (cancellation included); a true
 * result suppresses the error and the scope gives `undefined`. An error thrown by `aexit`
 * replaces the body's, which becomes its `cause`.
 * @example
 * import { asyncWith, type AsyncContextManager, type Coroutine, run } from "@asyncio-ts/core";
 * const resource: AsyncContextManager<string, false> = {
 *   *aenter() {
 *     console.log("enter");
 *     return "handle";
 *   },
 *   *aexit(exc) {
 *     console.log("exit", exc === null ? "cleanly" : "with an error");
 *     return false;
 *   },
 * };
 * function* main(): Coroutine<number> {
 *   return yield* asyncWith(resource, function* (handle) {
 *     console.log("using", handle);
 *     return 42;
 *   });
 * }
 * console.log(await run(main())); // enter, using handle, exit cleanly, 42
 */
export function asyncWith<T, R>(
  cm: AsyncContextManager<T, false>,
  body: (value: T) => Coroutine<R>,
): Coroutine<R>;
export function asyncWith<T, R>(
  cm: AsyncContextManager<T>,
  body: (value: T) => Coroutine<R>,
): Coroutine<R | undefined>;
export function asyncWith<T, R>(
  cm: AsyncContextManager<T>,
  body: (value: T) => Coroutine<R>,
): Coroutine<R | undefined> {
  _checkAsyncContextManager(cm);
  checkBody(body, "asyncWith");
  return scope(cm, body);
}

function* scope<T, R>(
  cm: AsyncContextManager<T>,
  body: (value: T) => Coroutine<R>,
): Coroutine<R | undefined> {
  // As Python, both methods are looked up before entering.
  const aenter = cm.aenter;
  const aexit = cm.aexit;
  const entering = aenter.call(cm);
  if (!isAwaitable(entering)) throw notAwaitable("asyncWith", "aenter()", entering);
  const value = yield* entering;
  let result: R;
  try {
    const coro = body(value);
    if (!isAwaitable(coro)) throw badBodyResult(coro, "asyncWith");
    result = yield* coro;
  } catch (e) {
    let suppress: unknown;
    try {
      const exiting = aexit.call(cm, e);
      if (!isAwaitable(exiting)) throw notAwaitable("asyncWith", "aexit()", exiting);
      suppress = yield* exiting;
    } catch (raised) {
      chainError(raised, e);
      throw raised;
    }
    if (suppress) return undefined;
    throw e;
  }
  const exiting = aexit.call(cm, null);
  if (!isAwaitable(exiting)) throw notAwaitable("asyncWith", "aexit()", exiting);
  yield* exiting;
  return result;
}
