import {
  type AbstractEventLoop,
  CancelledError,
  Future,
  getRunningLoop,
  RuntimeError,
} from "@asyncio-ts/core";
import { ConcurrentHandle } from "./concurrent-handle.js";
import { checkLoop, describeValue, isGeneratorLike, isPromiseLike } from "./internal/validate.js";
import { _sourceFuture } from "./to-promise.js";

/**
 * No Python twin; the bridge to native Promises: what {@link fromPromise} accepts besides a
 * Promise, a function that starts the work and stops it when `signal` aborts.
 * @example
 * import type { PromiseFactory } from "@asyncio-ts/promise";
 * const get: PromiseFactory<Response> = (signal) => fetch("https://example.com", { signal });
 */
export type PromiseFactory<T> = (signal: AbortSignal) => PromiseLike<T>;

/**
 * No Python twin; the bridge to native Promises: the options of {@link fromPromise}.
 * @example
 * import { newEventLoop } from "@asyncio-ts/core";
 * import type { FromPromiseOptions } from "@asyncio-ts/promise";
 * const options: FromPromiseOptions = { loop: newEventLoop() };
 */
export interface FromPromiseOptions {
  /** The loop the future belongs to; the running loop if omitted. */
  loop?: AbstractEventLoop | null;
}

const OK = 0;
const ERR = 1;
const CANCEL = 2;
type Outcome = 0 | 1 | 2;

/**
 * @internal What fromPromise returns when it follows a Promise (the stream bridges lend its
 * hold). Python's wrap_future returns a plain Future; the subclass only hooks `cancel`, so it
 * keeps the name in reprs and in "Future exception was never retrieved".
 */
export class PromiseFuture<T> extends Future<T> {
  /** The outside-work hold, until the outcome is delivered or the future is cancelled. */
  _release: (() => void) | null = null;
  /** Aborted when the future is cancelled (factory form), until the outcome is delivered. */
  _controller: AbortController | null = null;

  // Overridden rather than a done callback, so the signal aborts and the hold ends at the
  // cancel() call itself, not one loop iteration later.
  override cancel(msg?: string | null): boolean {
    if (!super.cancel(msg)) return false;
    this._unhold();
    const controller = this._controller;
    if (controller !== null) {
      this._controller = null;
      controller.abort(abortReason(msg));
    }
    return true;
  }

  _hold(loop: AbstractEventLoop): void {
    this._release = loop.beginExternalWork();
  }

  _unhold(): void {
    const release = this._release;
    if (release !== null) {
      this._release = null;
      release();
    }
  }

  /** Runs on the loop: take the outcome unless someone completed the future meanwhile. */
  _settle(outcome: Outcome, value: unknown): void {
    this._unhold();
    if (this.done()) return;
    this._controller = null;
    if (outcome === OK) this.setResult(value as T);
    else if (outcome === CANCEL) this.cancel(value as string | undefined);
    else if (value instanceof CancelledError) {
      // A rejection with CancelledError is a cancelled source (a cancelled task's toPromise, a
      // cancelled ConcurrentHandle): cancel, as CPython's _copy_future_state does.
      this.cancel(value.message === "" ? undefined : value.message);
    } else this.setException(value);
  }

  /** Deliver an outcome that arrived from outside the loop. */
  _deliver(outcome: Outcome, value: unknown): void {
    const loop = this.getLoop();
    if (this.done() || loop.isClosed()) {
      this._unhold();
      return;
    }
    loop.callSoonThreadsafe(() => this._settle(outcome, value));
  }
}
Object.defineProperty(PromiseFuture, "name", { value: "Future" });

/**
 * No Python twin; the bridge to native Promises: a `Future` on the running loop (or
 * `options.loop`) that settles with the Promise's outcome. Pass a function `(signal) => promise`
 * instead to make cancellation stop the work: cancelling the future aborts `signal` with a
 * `DOMException` named `"AbortError"` whose `cause` is a `CancelledError`. Under virtual time the
 * loop waits for the Promise in real time instead of jumping the clock.
 * @example
 * import { run } from "@asyncio-ts/core";
 * import { fromPromise } from "@asyncio-ts/promise";
 * await run((function* () {
 *   const n = yield* fromPromise(Promise.resolve(42));
 *   const body = yield* fromPromise((signal) =>
 *     fetch("data:text/plain,hello", { signal }).then((r) => r.text()),
 *   );
 *   console.log(n, body); // 42 hello
 * })());
 */
export function fromPromise<T>(
  p: PromiseLike<T> | PromiseFactory<T>,
  options?: FromPromiseOptions | null,
): Future<T> {
  const isFactory = typeof p === "function";
  // A coroutine can be PromiseLike too (time's sleep() is a Future), but it only runs when awaited.
  if (!isFactory && (!isPromiseLike(p) || isGeneratorLike(p))) {
    throw new TypeError(badSourceMessage(p));
  }
  const loop = targetLoop(options);
  if (!isFactory) {
    // As asyncio.wrap_future: a future of this loop is already what the caller wants.
    if (p instanceof Future && p.getLoop() === loop) return p;
    if (p instanceof ConcurrentHandle) return wrapHandle(p, loop);
  }
  const fut = new PromiseFuture<T>(loop);
  let source: PromiseLike<T>;
  if (isFactory) {
    const controller = new AbortController();
    let made: unknown;
    try {
      made = (p as PromiseFactory<T>)(controller.signal);
    } catch (exc) {
      fut._settle(ERR, exc);
      return fut;
    }
    if (!isPromiseLike(made) || isGeneratorLike(made)) {
      fut._settle(
        ERR,
        new TypeError(
          `Expected the factory passed to fromPromise() to return a Promise (PromiseLike), got \`${describeValue(made)}\` (${typeof made})${coroutineHint(made)}`,
        ),
      );
      return fut;
    }
    fut._controller = controller;
    source = made as PromiseLike<T>;
  } else {
    source = p as PromiseLike<T>;
  }
  follow(fut, source, loop);
  return fut;
}

function targetLoop(options: FromPromiseOptions | null | undefined): AbstractEventLoop {
  if (options != null && typeof options !== "object") {
    throw new TypeError(
      `Expected \`options\` to be an object, got \`${describeValue(options)}\` (${typeof options})`,
    );
  }
  const loop = options?.loop;
  if (loop == null) return getRunningLoop();
  checkLoop(loop, "options.loop");
  if (loop.isClosed()) throw new RuntimeError("Event loop is closed");
  return loop;
}

/** Make `fut` follow `source`, by the cheapest route that keeps the order deterministic. */
function follow<T>(fut: PromiseFuture<T>, source: PromiseLike<T>, loop: AbstractEventLoop): void {
  const madeByToPromise = _sourceFuture(source);
  if (madeByToPromise !== undefined) {
    // Its rejection is seen through the future; mark the Promise handled all the same.
    source.then(undefined, ignore);
  }
  const src: unknown = madeByToPromise ?? source;
  if (src instanceof Future && src.getLoop() === loop) {
    // Settled by this loop: chain as CPython chains futures of one loop (a done callback, no
    // outside work). Through the Promise the outcome would only arrive once the loop went idle,
    // and under virtual time the hold would stop the clock this very future may be waiting on.
    src.addDoneCallback(() => copyFutureState(src as Future<T>, fut));
    return;
  }
  if (src instanceof ConcurrentHandle) {
    chainHandle(src as ConcurrentHandle<T>, fut, loop);
    return;
  }
  fut._hold(loop);
  let called = false;
  const onValue = (value: T): void => {
    if (called) return;
    called = true;
    fut._deliver(OK, value);
  };
  const onError = (exc: unknown): void => {
    if (called) return;
    called = true;
    fut._deliver(ERR, exc);
  };
  try {
    source.then(onValue, onError);
  } catch (exc) {
    onError(exc);
  }
}

/** asyncio.wrap_future(handle): cancelling the future cancels the handle (and so the task). */
function wrapHandle<T>(handle: ConcurrentHandle<T>, loop: AbstractEventLoop): Future<T> {
  const fut = new PromiseFuture<T>(loop);
  fut.addDoneCallback((f) => {
    if (f.cancelled()) handle.cancel();
  });
  chainHandle(handle, fut, loop);
  return fut;
}

/** CPython's `_chain_future(handle, fut)`: the handle's outcome comes in thread-safely. */
function chainHandle<T>(
  handle: ConcurrentHandle<T>,
  fut: PromiseFuture<T>,
  loop: AbstractEventLoop,
): void {
  // A handle of this loop is completed by this loop: waiting for it is no outside work.
  if (handle._loop !== loop) fut._hold(loop);
  handle.addDoneCallback((h) => {
    if (h.cancelled()) {
      fut._deliver(CANCEL, undefined);
      return;
    }
    let value: T;
    try {
      value = h.result();
    } catch (exc) {
      fut._deliver(ERR, exc);
      return;
    }
    fut._deliver(OK, value);
  });
}

function copyFutureState<T>(source: Future<T>, dest: PromiseFuture<T>): void {
  // A cancelled source throws its CancelledError here, which cancels `dest` with its message,
  // as the Promise route would (CPython's _copy_future_state drops the message).
  let value: T;
  try {
    value = source.result();
  } catch (exc) {
    dest._settle(ERR, exc);
    return;
  }
  dest._settle(OK, value);
}

function ignore(): void {}

/** The `signal.reason` for a cancelled future: the AbortSignal convention, with the cause kept. */
function abortReason(msg: string | null | undefined): Error {
  const message = msg ?? "This operation was aborted";
  const reason: Error =
    typeof DOMException === "function"
      ? new DOMException(message, "AbortError")
      : Object.assign(new Error(message), { name: "AbortError" });
  // Set afterwards: DOMException's `{ cause }` option is too recent for every runtime.
  Object.defineProperty(reason, "cause", {
    value: new CancelledError(msg ?? undefined),
    writable: true,
    configurable: true,
    enumerable: false,
  });
  return reason;
}

function coroutineHint(x: unknown): string {
  return isGeneratorLike(x) ? ": a coroutine is awaited with `yield*` directly" : "";
}

function badSourceMessage(p: unknown): string {
  return `Expected \`p\` to be a Promise (PromiseLike) or a function (signal) => Promise, got \`${describeValue(p)}\` (${typeof p})${coroutineHint(p)}`;
}
