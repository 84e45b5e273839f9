import { type Coroutine, getRunningLoop } from "@asyncio-ts/core";
import { sleep } from "@asyncio-ts/time";

/** Await `aw` and return what it threw; fails the test if it returned instead. */
export { thrown } from "@asyncio-ts/test-utils";

/** The running loop's clock. */
export function now(): number {
  return getRunningLoop().time();
}

/** Give the loop `n` turns (`sleep(0)` each). */
export function* turns(n: number): Coroutine<void> {
  for (let i = 0; i < n; i++) yield* sleep(0);
}

/** Run `fn` and return what it threw synchronously; fails the test if it returned. */
export function thrownSync(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected an error");
}
