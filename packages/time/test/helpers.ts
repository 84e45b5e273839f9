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
