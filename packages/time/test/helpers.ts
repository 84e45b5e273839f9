import { getRunningLoop } from "@asyncio-ts/core";

/** Await `aw` and return what it threw; fails the test if it returned instead. */
export { thrown } from "@asyncio-ts/test-utils";

/** The running loop's clock. */
export function now(): number {
  return getRunningLoop().time();
}
