import { getRunningLoop } from "@asyncio-ts/core";

/** Await `aw` and return what it threw; fails the test if it returned instead. */
export { thrown } from "@asyncio-ts/test-utils";

/** The running loop's clock. */
export function now(): number {
  return getRunningLoop().time();
}

/** Python's `type(e).__name__` for what the twins print. */
export function errName(e: unknown): string {
  return e instanceof Error ? e.name : e === null || e === undefined ? "NoneType" : typeof e;
}

/** `name(message)` of an error, as the twins print: Python's `f"{type(e).__name__}({str(e)})"`. */
export function errStr(e: unknown): string {
  return e instanceof Error ? `${e.name}(${e.message})` : String(e);
}
