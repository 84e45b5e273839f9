import {
  Context,
  type ContextData,
  _restoreContext,
  _scratchContext,
  _snapshot,
  _swapContext,
} from "./context.js";
import type { BaseEventLoop } from "./base-event-loop.js";
import type { Future } from "./future.js";
import { describe } from "./internal/repr.js";

/** @internal Something the ready queue can run. */
export interface ReadyEntry {
  _run(): void;
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
  /** @internal */ _callback: Callback | null;
  /** @internal */ _args: readonly unknown[] | null;
  /** @internal */ readonly _loop: BaseEventLoop;
  /** @internal */ _cancelled = false;
  /** @internal An explicit context; when null the callback runs in a copy of `_data`. */
  _context: Context | null;
  /** @internal */ _data: ContextData;

  /** @internal */
  constructor(
    callback: Callback,
    args: readonly unknown[] | null,
    loop: BaseEventLoop,
    context: Context | null,
  ) {
    this._callback = callback;
    this._args = args !== null && args.length === 0 ? null : args;
    this._loop = loop;
    this._context = context;
    this._data = context === null ? _snapshot() : context._data;
  }

  /** Mirrors `Handle.cancel()`: the callback will not run. */
  cancel(): void {
    if (!this._cancelled) {
      this._cancelled = true;
      this._callback = null;
      this._args = null;
    }
  }

  /** Mirrors `Handle.cancelled()`. */
  cancelled(): boolean {
    return this._cancelled;
  }

  /** Mirrors `Handle.get_context()`. */
  getContext(): Context {
    if (this._context !== null) return this._context;
    const ctx = new Context(this._data);
    this._context = ctx;
    return ctx;
  }

  /** @internal */
  _fire(_fut: Future<unknown>): void {
    this._loop._checkClosed();
    this._loop._pushReady(this);
  }

  /** @internal */
  _run(): void {
    if (this._cancelled) return;
    const cb = this._callback!;
    const args = this._args;
    try {
      if (this._context !== null) {
        if (args === null) this._context.run(cb);
        else this._context.run(cb, ...args);
      } else {
        const scratch = _scratchContext();
        const prevData = scratch._data;
        scratch._data = this._data;
        const prev = _swapContext(scratch);
        try {
          if (args === null) cb();
          else cb(...args);
        } finally {
          _restoreContext(prev);
          scratch._data = prevData;
        }
      }
    } catch (exc) {
      this._loop.callExceptionHandler({
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
    const state = this._cancelled ? " cancelled" : "";
    return `<${this.constructor.name}${state} ${this._describeCallback(this._callback, this._args)}>`;
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
export class TimerHandle extends Handle {
  /** @internal */ readonly _when: number;
  /** @internal Tie-breaker: equal `when`s fire in scheduling order. */ readonly _seq: number;
  /** @internal */ _scheduled = false;

  /** @internal */
  constructor(
    when: number,
    seq: number,
    callback: Callback,
    args: readonly unknown[] | null,
    loop: BaseEventLoop,
    context: Context | null,
  ) {
    super(callback, args, loop, context);
    this._when = when;
    this._seq = seq;
  }

  /** Mirrors `TimerHandle.when()`: the loop time (seconds) it is scheduled for. */
  when(): number {
    return this._when;
  }

  override cancel(): void {
    if (!this._cancelled) this._loop._timerHandleCancelled(this);
    super.cancel();
  }

  override toString(): string {
    return `${super.toString().slice(0, -1)} when=${this._when}>`;
  }
}
