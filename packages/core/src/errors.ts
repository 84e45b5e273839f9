/**
 * Mirrors `asyncio.CancelledError`: thrown into a coroutine at the point where it awaits when its
 * task is cancelled. Python makes it a `BaseException` so `except Exception` lets it through; JS
 * `catch` catches everything, so test with {@link isCancelledError} and rethrow.
 * @example
 * import { CancelledError } from "@asyncio-ts/core";
 * const e = new CancelledError("stop");
 * console.log(e.name, e.message); // CancelledError stop
 */
export class CancelledError extends Error {
  override name = "CancelledError";
}

/**
 * Mirrors `asyncio.InvalidStateError`: a Future or Task operation in the wrong state.
 * @example
 * import { InvalidStateError } from "@asyncio-ts/core";
 * console.log(new InvalidStateError("invalid state").name);
 */
export class InvalidStateError extends Error {
  override name = "InvalidStateError";
}

/**
 * Mirrors Python's `TimeoutError` (raised by `asyncio.timeout` and `wait_for`).
 * @example
 * import { TimeoutError } from "@asyncio-ts/core";
 * console.log(new TimeoutError().name); // TimeoutError
 */
export class TimeoutError extends Error {
  override name = "TimeoutError";
}

/**
 * Mirrors Python's `RuntimeError`.
 * @example
 * import { RuntimeError } from "@asyncio-ts/core";
 * console.log(new RuntimeError("no running event loop").message);
 */
export class RuntimeError extends Error {
  override name = "RuntimeError";
}

/**
 * Mirrors Python's `LookupError`, raised by `ContextVar.get()` for a variable with no value.
 * @example
 * import { LookupError } from "@asyncio-ts/core";
 * console.log(new LookupError("x").name); // LookupError
 */
export class LookupError extends Error {
  override name = "LookupError";
}

/**
 * Mirrors Python's `ExceptionGroup`. `message` is Python's `.message` (no "(N sub-exceptions)"
 * suffix); `exceptions` holds the grouped errors in order.
 * @example
 * import { ExceptionGroup } from "@asyncio-ts/core";
 * const g = new ExceptionGroup("unhandled errors in a TaskGroup", [new Error("a")]);
 * console.log(g.exceptions.length); // 1
 */
export class ExceptionGroup<E = unknown> extends Error {
  override name = "ExceptionGroup";
  readonly exceptions: readonly E[];
  constructor(message: string, exceptions: readonly E[], options?: { cause?: unknown }) {
    if (typeof message !== "string") {
      throw new TypeError(
        `Expected \`message\` to be a string, got \`${String(message)}\` (${typeof message})`,
      );
    }
    if (!Array.isArray(exceptions) || exceptions.length === 0) {
      throw new RangeError("second argument (exceptions) must be a non-empty sequence");
    }
    super(message, options);
    this.exceptions = Object.freeze([...exceptions]);
  }

  /** Mirrors `ExceptionGroup.subgroup(condition)`: the group of matching leaves, or `null`. */
  subgroup(condition: (e: unknown) => boolean): ExceptionGroup<E> | null {
    const [match] = this.split(condition);
    return match;
  }

  /** Mirrors `ExceptionGroup.split(condition)`: `[matching, rest]`, each a group or `null`. */
  split(condition: (e: unknown) => boolean): [ExceptionGroup<E> | null, ExceptionGroup<E> | null] {
    if (condition(this)) return [this, null];
    const match: E[] = [];
    const rest: E[] = [];
    for (const e of this.exceptions) {
      if (e instanceof ExceptionGroup) {
        const [m, r] = e.split(condition);
        if (m) match.push(m as E);
        if (r) rest.push(r as E);
      } else if (condition(e)) {
        match.push(e);
      } else {
        rest.push(e);
      }
    }
    return [match.length ? this.derive(match) : null, rest.length ? this.derive(rest) : null];
  }

  /** Mirrors `ExceptionGroup.derive(excs)`: a group with the same message. */
  derive(exceptions: readonly E[]): ExceptionGroup<E> {
    return new ExceptionGroup(this.message, exceptions, { cause: this.cause });
  }
}

/**
 * @internal A CancelledError made by the machinery. Capturing a JS stack costs microseconds, and
 * a loop cancelling 100k tasks makes several per task, so outside debug mode they carry none.
 */
export function _cancelledError(message: string | undefined, withStack: boolean): CancelledError {
  if (withStack) return new CancelledError(message);
  const E = Error as { stackTraceLimit?: number };
  const limit = E.stackTraceLimit;
  E.stackTraceLimit = 0;
  try {
    return new CancelledError(message);
  } finally {
    E.stackTraceLimit = limit;
  }
}

/**
 * True for a {@link CancelledError} (the `except asyncio.CancelledError` test).
 * @example
 * import { CancelledError, isCancelledError } from "@asyncio-ts/core";
 * console.log(isCancelledError(new CancelledError())); // true
 */
export function isCancelledError(e: unknown): e is CancelledError {
  return e instanceof CancelledError;
}

/**
 * Mirrors Python's `StopAsyncIteration`: what {@link anext} raises at the end of an async
 * iterator. An iterator's own `anext()` may raise it too, instead of returning a done result.
 * @example
 * import { StopAsyncIteration } from "@asyncio-ts/core";
 * console.log(new StopAsyncIteration().name); // StopAsyncIteration
 */
export class StopAsyncIteration extends Error {
  override name = "StopAsyncIteration";
}
