import {
  type AbstractEventLoop,
  CancelledError,
  type ConcurrentFuture,
  InvalidStateError,
  RuntimeError,
} from "@asyncio-ts/core";
import { describeValue } from "./internal/validate.js";

// concurrent.futures' states. RUNNING only lasts while the outcome is being copied in
// (`set_running_or_notify_cancel` then `set_result`), as for the future run_coroutine_threadsafe
// returns in CPython.
const PENDING = 0;
const RUNNING = 1;
const CANCELLED = 2;
const FINISHED = 3;
const FAILED = 4;
type State = 0 | 1 | 2 | 3 | 4;

/**
 * Mirrors the `concurrent.futures.Future` that `asyncio.run_coroutine_threadsafe` returns: the
 * outcome of a coroutine running on some loop, for code outside that loop. `await handle` (it is a
 * `PromiseLike`), `handle.cancel()`, `done()`, `cancelled()`, `result()`, `exception()`,
 * `addDoneCallback(fn)`. Implements core's `ConcurrentFuture`, so core's `wrapFuture` accepts it.
 * @example
 * import { type Coroutine, newEventLoop } from "@asyncio-ts/core";
 * import { type ConcurrentHandle, runCoroutineThreadsafe } from "@asyncio-ts/promise";
 * function* answer(): Coroutine<number> {
 *   return 42;
 * }
 * const loop = newEventLoop();
 * const running = loop.runForever();
 * const handle: ConcurrentHandle<number> = runCoroutineThreadsafe(answer(), loop);
 * handle.addDoneCallback((h) => console.log("done:", h.result())); // done: 42
 * console.log(await handle); // 42
 * loop.stop();
 * await running;
 * loop.close();
 */
export class ConcurrentHandle<T = unknown> implements ConcurrentFuture<T> {
  /** @internal */ _state: State = PENDING;
  /** @internal The result (FINISHED) or the exception (FAILED). */ _value: unknown = undefined;
  /** @internal Done callbacks and native waiters, in registration order. */
  _callbacks: Array<(h: ConcurrentHandle<T>) => void> | null = null;
  /** @internal The loop the coroutine runs on. */ readonly _loop: AbstractEventLoop;

  /** @internal Made by `runCoroutineThreadsafe`. */
  constructor(loop: AbstractEventLoop) {
    this._loop = loop;
  }

  /**
   * Mirrors `concurrent.futures.Future.cancel()`: a handle that is not done becomes cancelled at
   * once (its waiters reject with `CancelledError`) and the task is cancelled on its loop,
   * through `callSoonThreadsafe`. Returns false once the handle has an outcome.
   */
  cancel(): boolean {
    const s = this._state;
    if (s === RUNNING || s === FINISHED || s === FAILED) return false;
    if (s === CANCELLED) return true;
    this._state = CANCELLED;
    this._invokeCallbacks();
    return true;
  }

  /** Mirrors `concurrent.futures.Future.cancelled()`. */
  cancelled(): boolean {
    return this._state === CANCELLED;
  }

  /** Mirrors `concurrent.futures.Future.done()`: cancelled or finished. */
  done(): boolean {
    return this._state !== PENDING && this._state !== RUNNING;
  }

  /**
   * Mirrors `concurrent.futures.Future.result()`, without the wait (JS cannot block: `await` the
   * handle instead). Throws the coroutine's exception, `CancelledError` if cancelled, and
   * `InvalidStateError("Result is not set.")` while pending.
   */
  result(): T {
    switch (this._state) {
      case FINISHED:
        return this._value as T;
      case FAILED:
        throw this._value;
      case CANCELLED:
        throw new CancelledError();
      default:
        throw new InvalidStateError("Result is not set.");
    }
  }

  /**
   * Mirrors `concurrent.futures.Future.exception()`, without the wait: the coroutine's exception
   * or `null`; `CancelledError` if cancelled, `InvalidStateError("Exception is not set.")` while
   * pending.
   */
  exception(): unknown {
    switch (this._state) {
      case FINISHED:
        return null;
      case FAILED:
        return this._value;
      case CANCELLED:
        throw new CancelledError();
      default:
        throw new InvalidStateError("Exception is not set.");
    }
  }

  /**
   * Mirrors `concurrent.futures.Future.add_done_callback(fn)`: `fn(handle)` runs synchronously
   * when the handle gets its outcome (on the loop that completes it), or at once if it already
   * has one. An error thrown by `fn` is logged to stderr and does not propagate.
   */
  addDoneCallback(fn: (handle: this) => void): void {
    if (typeof fn !== "function") {
      throw new TypeError(
        `Expected \`fn\` to be a function, got \`${describeValue(fn)}\` (${typeof fn})`,
      );
    }
    const cb = fn as (h: ConcurrentHandle<T>) => void;
    if (!this.done()) {
      (this._callbacks ??= []).push(cb);
      return;
    }
    this._call(cb);
  }

  /**
   * Lets native code `await handle`: resolves with the coroutine's result, rejects with its
   * exception, or with `CancelledError` when the handle was cancelled.
   */
  // biome-ignore lint/suspicious/noThenProperty: the handle is deliberately PromiseLike (SPEC §2).
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return new Promise<T>((resolve, reject) => {
      const settle = (): void => {
        const s = this._state;
        if (s === FINISHED) resolve(this._value as T);
        else if (s === FAILED) reject(this._value);
        else reject(new CancelledError());
      };
      if (this.done()) settle();
      else (this._callbacks ??= []).push(settle);
    }).then(onfulfilled, onrejected);
  }

  toString(): string {
    switch (this._state) {
      case FINISHED:
        return `<ConcurrentHandle state=finished returned ${typeName(this._value)}>`;
      case FAILED:
        return `<ConcurrentHandle state=finished raised ${typeName(this._value)}>`;
      case CANCELLED:
        return "<ConcurrentHandle state=cancelled>";
      case RUNNING:
        return "<ConcurrentHandle state=running>";
      default:
        return "<ConcurrentHandle state=pending>";
    }
  }

  // ---- internals: Python's `set_running_or_notify_cancel`, `set_result`, `set_exception` ----

  /** @internal False if the handle was cancelled; else marks it running. */
  _setRunningOrNotifyCancel(): boolean {
    if (this._state === CANCELLED) return false;
    if (this._state !== PENDING) throw new RuntimeError(`Future in unexpected state: ${this}`);
    this._state = RUNNING;
    return true;
  }

  /** @internal */
  _setResult(value: T): void {
    this._finish(FINISHED, value);
  }

  /** @internal */
  _setException(exc: unknown): void {
    this._finish(FAILED, exc);
  }

  private _finish(state: State, value: unknown): void {
    if (this.done()) throw new InvalidStateError(`${this.toString()}`);
    this._state = state;
    this._value = value;
    this._invokeCallbacks();
  }

  private _invokeCallbacks(): void {
    const cbs = this._callbacks;
    this._callbacks = null;
    if (cbs !== null) for (const cb of cbs) this._call(cb);
  }

  private _call(cb: (h: ConcurrentHandle<T>) => void): void {
    try {
      cb(this);
    } catch (e) {
      // As concurrent.futures, which logs and goes on: the completing loop must not fail.
      console.error(`exception calling callback for ${this.toString()}`, e);
    }
  }
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "object" || typeof v === "function") {
    return (v as { constructor?: { name?: string } }).constructor?.name || typeof v;
  }
  return typeof v;
}
