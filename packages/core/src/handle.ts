import type { BaseEventLoop } from "./base-event-loop.js";
import {
  _restoreContext,
  _scratchContext,
  _snapshot,
  _swapContext,
  Context,
  type ContextData,
} from "./context.js";
import type { Future } from "./future.js";
import { describe } from "./internal/repr.js";

/** @internal Something the ready queue can run. */
export interface ReadyEntry {
  _run(loop: BaseEventLoop): void;
}

/**
 * @internal An entry of the loop's timer heap: ordered by (`_when`, `_seq`), run through the
 * ready queue when due unless `_cancelled`.
 */
export interface TimerEntry extends ReadyEntry {
  readonly _when: number;
  readonly _seq: number;
  readonly _cancelled: boolean;
  _scheduled: boolean;
}

/** @internal Something a future notifies when it completes. */
export interface DoneEntry {
  _fire(fut: Future<unknown>): void;
}

type Callback = (...args: any[]) => unknown;

/**
 * Mirrors `asyncio.Handle`: a scheduled callback, returned by `loop.callSoon()`.
 * @example
 * import { newEventLoop } from "@asyncio-ts/core";
 * const loop = newEventLoop();
 * const h = loop.callSoon(() => console.log("never"));
 * h.cancel();
 * console.log(h.cancelled()); // true
 * loop.close();
 */
export class Handle implements ReadyEntry, DoneEntry {
  /** @internal `null` once cancelled. */ _callback: Callback | null;
  /**
   * @internal An explicit Context the callback runs in, or the data of the context current at
   * scheduling, which the callback runs in a copy of (Python's `copy_context()`).
   */
  _ctx: Context | ContextData;

  // A million pending callbacks are a million live handles, and their size is most of what
  // `callSoon` costs (in GC); so the common argument-less handle has two fields, and handles
  // with arguments are the ArgsHandle subclass.
  /** @internal */
  constructor(callback: Callback, context: Context | null) {
    this._callback = callback;
    this._ctx = context ?? _snapshot();
  }

  /** @internal A handle for `callback(...args)`, of the smallest class that holds it. */
  static _make(
    callback: Callback,
    args: readonly unknown[] | null,
    context: Context | null,
  ): Handle {
    return args === null ? new Handle(callback, context) : new ArgsHandle(callback, args, context);
  }

  /** @internal The callback's arguments (`null`: none). */
  _getArgs(): readonly unknown[] | null {
    return null;
  }

  /** @internal */
  get _cancelled(): boolean {
    return this._callback === null;
  }

  /** Mirrors `Handle.cancel()`: the callback will not run. */
  cancel(): void {
    this._callback = null;
  }

  /** Mirrors `Handle.cancelled()`. */
  cancelled(): boolean {
    return this._callback === null;
  }

  /** Mirrors `Handle.get_context()`. */
  getContext(): Context {
    const c = this._ctx;
    if (c instanceof Context) return c;
    const ctx = new Context(c);
    this._ctx = ctx;
    return ctx;
  }

  /** @internal */
  _fire(fut: Future<unknown>): void {
    fut._loop._checkClosed();
    fut._loop._pushReady(this);
  }

  /** @internal The loop is passed in: a handle does not keep it (one word less per callback). */
  _run(loop: BaseEventLoop): void {
    const cb = this._callback;
    if (cb === null) return;
    const args = this._getArgs();
    const c = this._ctx;
    try {
      if (c instanceof Context) {
        if (args === null) c.run(cb);
        else c.run(cb, ...args);
      } else {
        const scratch = _scratchContext();
        const prevData = scratch._data;
        const prevKey = scratch._key;
        scratch._data = c;
        scratch._key = this;
        const prev = _swapContext(scratch);
        try {
          if (args === null) cb();
          else cb(...args);
        } finally {
          _restoreContext(prev);
          scratch._data = prevData;
          scratch._key = prevKey;
        }
      }
    } catch (exc) {
      loop.callExceptionHandler({
        message: `Exception in callback ${this._describeCallback(cb, args)}`,
        exception: exc,
        handle: this,
      });
    }
  }

  /** @internal */
  _describeCallback(cb: Callback | null, args: readonly unknown[] | null): string {
    if (cb === null) return "<cancelled>";
    const a = args === null ? "" : args.map((x) => describe(x)).join(", ");
    return `${cb.name || "<anonymous>"}(${a})`;
  }

  toString(): string {
    const state = this._callback === null ? " cancelled" : "";
    return `<${this.constructor.name}${state} ${this._describeCallback(this._callback, this._getArgs())}>`;
  }
}

/** @internal A handle whose callback takes arguments. */
class ArgsHandle extends Handle {
  /** @internal */ _args: readonly unknown[] | null;
  constructor(callback: Callback, args: readonly unknown[], context: Context | null) {
    super(callback, context);
    this._args = args;
  }
  override _getArgs(): readonly unknown[] | null {
    return this._args;
  }
  override cancel(): void {
    super.cancel();
    this._args = null;
  }
}

/**
 * Mirrors `asyncio.TimerHandle`: a callback scheduled for a time, returned by `callLater()` and
 * `callAt()`.
 * @example
 * import { newEventLoop } from "@asyncio-ts/core";
 * const loop = newEventLoop();
 * const t = loop.callLater(5, () => {});
 * console.log(t.when() > loop.time()); // true
 * t.cancel();
 * loop.close();
 */
export class TimerHandle extends Handle implements TimerEntry {
  /** @internal */ readonly _when: number;
  /** @internal Tie-breaker: equal `when`s fire in scheduling order. */ readonly _seq: number;
  /** @internal In the loop's heap. */ _scheduled = false;
  /** @internal */ readonly _loop: BaseEventLoop;
  /** @internal */ _args: readonly unknown[] | null;

  /** @internal */
  constructor(
    when: number,
    seq: number,
    callback: Callback,
    args: readonly unknown[] | null,
    loop: BaseEventLoop,
    context: Context | null,
  ) {
    super(callback, context);
    this._args = args;
    this._when = when;
    this._seq = seq;
    this._loop = loop;
  }

  /** Mirrors `TimerHandle.when()`: the loop time (seconds) it is scheduled for. */
  when(): number {
    return this._when;
  }

  override _getArgs(): readonly unknown[] | null {
    return this._args;
  }

  override cancel(): void {
    if (this._callback !== null) this._loop._timerHandleCancelled(this);
    super.cancel();
    this._args = null;
  }

  override toString(): string {
    return `${super.toString().slice(0, -1)} when=${this._when}>`;
  }
}
