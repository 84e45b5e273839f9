// Shared helpers for the core tests. Core has no `sleep` (it lives in @asyncio-ts/time), so the
// tests carry a twin of CPython's `asyncio.sleep` built on `loop.callLater`.
import {
  type AbstractEventLoop,
  BaseEventLoop,
  type Coroutine,
  type Future,
  getRunningLoop,
} from "../src/index.js";

/**
 * CPython's `asyncio.sleep(delay, result)`: a delay <= 0 is one bare yield to the loop
 * (`__sleep0`); otherwise a future resolved by `loop.callLater`, whose timer is cancelled if the
 * sleep is interrupted. Use it on a virtual-time loop only (never a real wait).
 */
export function* sleep<T = undefined>(delay: number, result?: T): Coroutine<T> {
  if (delay <= 0) {
    yield;
    return result as T;
  }
  const loop = getRunningLoop();
  const fut = loop.createFuture<T>();
  const h = loop.callLater(delay, () => {
    if (!fut.done()) fut.setResult(result as T);
  });
  try {
    return yield* fut;
  } finally {
    h.cancel();
  }
}

/** A coroutine that waits on a future nobody completes (until it is cancelled). */
export function* forever(): Coroutine<never> {
  const fut = getRunningLoop().createFuture<never>();
  return yield* fut;
}

/**
 * Run `loop` (a fresh BaseEventLoop by default, never touching the policy) until `fut` is done,
 * then close it. Only for programs that never wait on a timer.
 */
export async function runOn<T>(
  loop: AbstractEventLoop,
  main: Coroutine<T> | Future<T>,
  { close = true }: { close?: boolean } = {},
): Promise<T> {
  try {
    return await loop.runUntilComplete(main);
  } finally {
    if (close) loop.close();
  }
}

/** A fresh default loop (not registered with the policy). */
export function freshLoop(): BaseEventLoop {
  return new BaseEventLoop();
}

export { captureExceptions, collectUntil, hasGc, macrotask } from "@asyncio-ts/test-utils";
