import { type Awaitable, type Coroutine, getRunningLoop } from "@asyncio-ts/core";

/** Await `aw` and return what it threw; fails the test if it returned instead. */
export function* thrown(aw: Awaitable<unknown>): Coroutine<unknown> {
  let value: unknown;
  try {
    value = yield* aw;
  } catch (e) {
    return e;
  }
  throw new Error(`expected an error, got the result ${String(value)}`);
}

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
