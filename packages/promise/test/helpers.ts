import { type Coroutine, getRunningLoop } from "@asyncio-ts/core";
import { macrotask } from "@asyncio-ts/test-utils";
import { afterEach, beforeEach, expect } from "vitest";

/** Await `aw` and return what it threw; fails the test if it returned instead. */
export function* thrown(aw: Iterable<unknown> | Coroutine<unknown>): Coroutine<unknown> {
  let value: unknown;
  try {
    value = yield* aw as Coroutine<unknown>;
  } catch (e) {
    return e;
  }
  throw new Error(`expected an error, got the result ${String(value)}`);
}

/** What a native promise settled with: `["ok", value]` or `["err", reason]`. */
export function settled(p: PromiseLike<unknown>): Promise<["ok" | "err", unknown]> {
  return Promise.resolve(p).then(
    (v) => ["ok", v] as ["ok", unknown],
    (e) => ["err", e] as ["err", unknown],
  );
}

/** The running loop's clock. */
export function now(): number {
  return getRunningLoop().time();
}

/** A promise that resolves with `value` after `ms` real milliseconds (genuinely outside work). */
export function later<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(() => resolve(value), ms));
}

/** A promise that never settles. */
export function never<T = never>(): Promise<T> {
  return new Promise<T>(() => {});
}

/** A coroutine that waits on a future nobody completes (until it is cancelled). */
export function* forever(): Coroutine<never> {
  return yield* getRunningLoop().createFuture<never>();
}

export { captureExceptions, collectUntil, hasGc, macrotask } from "@asyncio-ts/test-utils";

/**
 * Fail a test that leaves an unhandled Promise rejection behind (checked a few host turns after
 * it ends). Call it at the top of a test file.
 */
export function failOnUnhandledRejections(): void {
  let unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  // Node reports on `process`; a browser (the browser-tests run) on `window`.
  const onEvent = (e: PromiseRejectionEvent) => onUnhandled(e.reason);
  const node = (globalThis as { process?: NodeJS.Process }).process;
  beforeEach(() => {
    unhandled = [];
    if (node?.on) node.on("unhandledRejection", onUnhandled);
    else globalThis.addEventListener("unhandledrejection", onEvent);
  });
  afterEach(async () => {
    await macrotask();
    await macrotask();
    if (node?.off) node.off("unhandledRejection", onUnhandled);
    else globalThis.removeEventListener("unhandledrejection", onEvent);
    expect(unhandled).toEqual([]);
  });
}
