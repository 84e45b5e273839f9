import { type AbstractEventLoop, CancelledError, type Future } from "@asyncio-ts/core";

// The values of core's `Future._state` (`@internal`). Asking the state instead of testing
// `exception() !== null` keeps a thrown `null` or `undefined` an error: Python cannot raise None.
export const CANCELLED = 1;
export const FINISHED = 2;
export const FAILED = 3;

/** Done with an exception (not cancelled). */
export function isFailed(fut: Future<unknown>): boolean {
  return fut._state === FAILED;
}

/**
 * `CancelledError(message)` made by the machinery: without a stack trace unless the loop is in
 * debug mode, as core makes its own (a JS stack costs microseconds per error).
 */
export function newCancelledError(message: string, loop: AbstractEventLoop): CancelledError {
  if (loop.getDebug()) return new CancelledError(message);
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
 * Python's `fut._make_cancelled_error()` for any future: core's version reads the result slot,
 * which only holds the cancel message once the future is cancelled; a future that is not
 * cancelled has no message in CPython, so it gets a bare `CancelledError()`.
 */
export function makeCancelledError(fut: Future<unknown>): CancelledError {
  return fut.cancelled() ? fut._makeCancelledError() : newCancelledError("", fut.getLoop());
}
