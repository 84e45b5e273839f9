import type { AbstractEventLoop, ExceptionContext } from "./abstract-event-loop.js";
import type { BaseEventLoop } from "./base-event-loop.js";
import type { Context } from "./context.js";
import { _cancelledError, type CancelledError, InvalidStateError, RuntimeError } from "./errors.js";
import { type DoneEntry, Handle } from "./handle.js";
import { describe, describeError } from "./internal/repr.js";
import { _defaultLoop } from "./internal/running.js";

// The state values and the done-entry/ready-entry protocol (`_addEntry`, `_fire`, `_run`,
// `loop._pushReady`) are used by sibling packages (time, combinators) for their hot paths: keep
// them stable.
/** @internal */ export const PENDING = 0;
/** @internal */ export const CANCELLED = 1;
/** @internal */ export const FINISHED = 2;
/** @internal A finished future holding an exception. */ export const FAILED = 3;
type State = 0 | 1 | 2 | 3;

// `_flags` holds the state (low two bits) and boolean flags. Every field costs a word on a
// 64-bit heap and a pending sleeping task should fit in 400 bytes, so they share one integer.
/** @internal */ export const STATE_MASK = 3;
/** @internal */ export const F_LOG_TRACEBACK = 4;
/** @internal Python's `_asyncio_future_blocking`. */ export const F_BLOCKING = 8;

interface NeverRetrieved {
  loop: BaseEventLoop;
  message: string;
  exception: unknown;
  repr: string;
}

// Python reports "exception was never retrieved" from `__del__`; the JS twin of `__del__` is a
// FinalizationRegistry, so the report comes when the collector reclaims the future.
const neverRetrieved =
  typeof FinalizationRegistry === "function"
    ? new FinalizationRegistry<NeverRetrieved>((h) => {
        h.loop.callExceptionHandler({
          message: h.message,
          exception: h.exception,
          futureRepr: h.repr,
        });
      })
    : null;

class NativeWaiter<T> implements DoneEntry {
  constructor(
    readonly resolve: (v: T) => void,
    readonly reject: (e: unknown) => void,
  ) {}
  _fire(fut: Future<unknown>): void {
    (fut as Future<T>)._settleNative(this.resolve, this.reject);
  }
}

/** What `yield* future` runs: Python's `Future.__await__`. */
class FutureIterator<T> {
  private _yielded = false;
  constructor(private readonly _fut: Future<T>) {}
  next(): IteratorResult<Future<unknown>, T> {
    const f = this._fut;
    if ((f._flags & STATE_MASK) === PENDING) {
      if (this._yielded) throw new RuntimeError("await wasn't used with future");
      this._yielded = true;
      f._flags |= F_BLOCKING;
      return { value: f, done: false };
    }
    return { value: f.result(), done: true };
  }
  throw(e: unknown): never {
    throw e;
  }
  return(value: T): IteratorResult<Future<unknown>, T> {
    return { value, done: true };
  }
  [Symbol.iterator](): this {
    return this;
  }
}

/**
 * Mirrors `asyncio.Future`: a result that will be set later. Await it with `yield* fut` inside a
 * coroutine, or `await fut` from native async code (it is a `PromiseLike`).
 * @example
 * import { Future, run } from "@asyncio-ts/core";
 * await run((function* () {
 *   const fut = new Future<number>();
 *   fut.getLoop().callSoon(() => fut.setResult(42));
 *   console.log(yield* fut); // 42
 * })());
 */
export class Future<T = unknown> implements PromiseLike<T> {
  /** @internal State (STATE_MASK bits) and F_* flags. */ _flags = 0;
  /** @internal The result, the exception (FAILED) or the cancel message (CANCELLED). */
  _result: unknown = undefined;
  /** @internal */ _loop: BaseEventLoop;
  /** @internal Done-entries: one entry (the common single waiter needs no array) or an array. */
  _callbacks: DoneEntry | DoneEntry[] | null = null;

  /**
   * @internal Pass as the loop to make a future bound to no loop yet; its subclass sets `_loop`
   * before anyone can await it (sleep() creates its future before the loop runs).
   */
  static readonly _UNBOUND: AbstractEventLoop = Object.freeze({}) as AbstractEventLoop;

  constructor(loop?: AbstractEventLoop | null) {
    this._loop = (loop === Future._UNBOUND ? null : (loop ?? _defaultLoop())) as BaseEventLoop;
  }

  /** Mirrors `Future.get_loop()`. */
  getLoop(): AbstractEventLoop {
    return this._loop;
  }

  /** @internal */
  get _state(): State {
    return (this._flags & STATE_MASK) as State;
  }

  /** Mirrors `Future.done()`. */
  done(): boolean {
    return (this._flags & STATE_MASK) !== PENDING;
  }

  /** Mirrors `Future.cancelled()`. */
  cancelled(): boolean {
    return (this._flags & STATE_MASK) === CANCELLED;
  }

  /** Mirrors `Future.result()`. */
  result(): T {
    const s = this._flags & STATE_MASK;
    if (s === FINISHED) return this._result as T;
    if (s === FAILED) {
      this._retrieved();
      throw this._result;
    }
    if (s === CANCELLED) throw this._makeCancelledError();
    throw new InvalidStateError("Result is not set.");
  }

  /** Mirrors `Future.exception()`: the exception, or `null` if the future has a result. */
  exception(): unknown {
    const s = this._flags & STATE_MASK;
    if (s === CANCELLED) throw this._makeCancelledError();
    if (s === PENDING) throw new InvalidStateError("Exception is not set.");
    this._retrieved();
    return s === FAILED ? this._result : null;
  }

  /** Mirrors `Future.set_result(result)`. */
  setResult(result: T): void {
    this._setResult(result);
  }

  /** Mirrors `Future.set_exception(exception)`. */
  setException(exception: unknown): void {
    this._setException(exception);
  }

  /** Mirrors `Future.cancel(msg=None)`. */
  cancel(msg?: string | null): boolean {
    return this._cancel(msg);
  }

  /**
   * Mirrors `Future.add_done_callback(fn, *, context=None)`: `fn(fut)` is scheduled with
   * `callSoon` when the future is done (at once if it already is).
   */
  addDoneCallback(fn: (fut: this) => void, options?: { context?: Context | null }): void {
    if (typeof fn !== "function") {
      throw new TypeError(
        `Expected \`fn\` to be a function, got \`${describe(fn)}\` (${typeof fn})`,
      );
    }
    const ctx = options?.context ?? null;
    if ((this._flags & STATE_MASK) !== PENDING) {
      this._loop._checkClosed();
      this._loop._pushReady(Handle._make(fn, [this], ctx));
    } else {
      this._addEntry(Handle._make(fn, [this], ctx));
    }
  }

  /** Mirrors `Future.remove_done_callback(fn)`: removes every registration, returns how many. */
  removeDoneCallback(fn: (fut: this) => void): number {
    const cbs = this._callbacks;
    if (cbs === null) return 0;
    const all = Array.isArray(cbs) ? cbs : [cbs];
    const keep = all.filter((e) => !(e instanceof Handle && e._callback === fn));
    this._callbacks = keep.length === 0 ? null : keep.length === 1 ? keep[0]! : keep;
    return all.length - keep.length;
  }

  /** Await the future from a coroutine: `const v = yield* fut`. */
  [Symbol.iterator](): Generator<Future<unknown>, T, unknown> {
    return new FutureIterator(this) as unknown as Generator<Future<unknown>, T, unknown>;
  }

  /**
   * Lets native code `await` a future or task. A cancelled future rejects with `CancelledError`.
   * Settles directly when the future completes, so it does not need the loop to be running.
   */
  // biome-ignore lint/suspicious/noThenProperty: Futures are deliberately PromiseLike (SPEC §2).
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return new Promise<T>((resolve, reject) => {
      if ((this._flags & STATE_MASK) !== PENDING) this._settleNative(resolve, reject);
      else this._addEntry(new NativeWaiter(resolve, reject));
    }).then(onfulfilled, onrejected);
  }

  toString(): string {
    return `<${this.constructor.name} ${this._stateRepr()}>`;
  }

  // ---- internals -------------------------------------------------------------------------

  /** @internal */
  _stateRepr(): string {
    switch (this._state) {
      case PENDING:
        return "pending";
      case CANCELLED:
        return "cancelled";
      case FAILED:
        return `finished exception=${describeError(this._result)}`;
      default:
        return `finished result=${describe(this._result)}`;
    }
  }

  /** @internal */
  _settleNative(resolve: (v: T) => void, reject: (e: unknown) => void): void {
    const s = this._flags & STATE_MASK;
    if (s === FINISHED) resolve(this._result as T);
    else if (s === FAILED) {
      this._retrieved();
      reject(this._result);
    } else reject(this._peekCancelledError());
  }

  /** @internal */
  _addEntry(e: DoneEntry): void {
    const cbs = this._callbacks;
    if (cbs === null) this._callbacks = e;
    else if (Array.isArray(cbs)) cbs.push(e);
    else this._callbacks = [cbs, e];
  }

  /** @internal Mirrors `Future._make_cancelled_error()` (tasks add the saved-error case). */
  _makeCancelledError(): CancelledError {
    return _cancelledError(this._cancelMessage, this._loop._debug);
  }

  /**
   * @internal The CancelledError for a native awaiter. Tasks hand out the coroutine's own error
   * without consuming it, so a native `await` does not change what `result()` raises next.
   */
  _peekCancelledError(): CancelledError {
    return this._makeCancelledError();
  }

  /** @internal The cancel message, for a cancelled future. */
  get _cancelMessage(): string | undefined {
    return (this._flags & STATE_MASK) === CANCELLED
      ? (this._result as string | undefined)
      : undefined;
  }

  /** @internal */
  _retrieved(): void {
    if ((this._flags & F_LOG_TRACEBACK) !== 0) {
      this._flags &= ~F_LOG_TRACEBACK;
      neverRetrieved?.unregister(this);
    }
  }

  /** @internal */
  _setResult(result: T): void {
    if ((this._flags & STATE_MASK) !== PENDING) throw new InvalidStateError("invalid state");
    this._result = result;
    this._flags |= FINISHED;
    this._scheduleCallbacks();
  }

  /** @internal */
  _setException(exception: unknown): void {
    if ((this._flags & STATE_MASK) !== PENDING) throw new InvalidStateError("invalid state");
    this._result = exception;
    this._flags |= FAILED | F_LOG_TRACEBACK;
    // V8 keeps an Error's unformatted stack frames (receivers included: often this very task)
    // until `.stack` is first read; the registry's held value would then keep the future alive
    // and the report would never come. Formatting it now drops those references.
    if (exception instanceof Error) void exception.stack;
    // Registered before the callbacks run: a native awaiter settled by them retrieves the
    // exception at once, and that must cancel the report.
    neverRetrieved?.register(
      this,
      {
        loop: this._loop,
        message: `${this.constructor.name} exception was never retrieved`,
        exception,
        repr: this.toString(),
      },
      this,
    );
    this._scheduleCallbacks();
  }

  /** @internal Mirrors `Future.cancel()` (tasks override `cancel` but call this). */
  _cancel(msg?: string | null): boolean {
    this._retrieved();
    if ((this._flags & STATE_MASK) !== PENDING) return false;
    this._flags |= CANCELLED;
    this._result = msg ?? undefined;
    this._scheduleCallbacks();
    return true;
  }

  /** @internal Mirrors `Future.__schedule_callbacks()`. */
  _scheduleCallbacks(): void {
    this._onDone();
    const cbs = this._callbacks;
    if (cbs === null) return;
    this._callbacks = null;
    if (!Array.isArray(cbs)) cbs._fire(this);
    else for (let i = 0; i < cbs.length; i++) cbs[i]!._fire(this);
  }

  /** @internal Hook for subclasses, run as the future becomes done. */
  _onDone(): void {}
}

/**
 * Mirrors `asyncio.isfuture(obj)`.
 * @example
 * import { Future, isFuture, newEventLoop } from "@asyncio-ts/core";
 * const loop = newEventLoop();
 * console.log(isFuture(new Future(loop)), isFuture(42)); // true false
 * loop.close();
 */
export function isFuture(obj: unknown): obj is Future<unknown> {
  return obj instanceof Future;
}

export type { ExceptionContext };
