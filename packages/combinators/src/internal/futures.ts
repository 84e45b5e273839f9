import type { Future } from "@asyncio-ts/core";
import { FAILED } from "@asyncio-ts/core/shared";

export { CANCELLED, FINISHED } from "@asyncio-ts/core/shared";

/**
 * Done with an exception (not cancelled). Asking the state instead of testing
 * `exception() !== null` keeps a thrown `null` or `undefined` an error: Python cannot raise None.
 */
export function isFailed(fut: Future<unknown>): boolean {
  return fut._state === FAILED;
}
