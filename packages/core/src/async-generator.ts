import type { AIterable, AIterator } from "./async-iterator.js";
import type { BaseEventLoop } from "./base-event-loop.js";
import { RuntimeError, StopAsyncIteration } from "./errors.js";
import { chainError } from "./internal/chain.js";
import { _getRunningLoopOrNull } from "./internal/running.js";
import { describeValue, isPromiseLike } from "./shared.js";
import type { Awaitable, Coroutine } from "./types.js";

/**
 * What an async generator's body awaits to produce a value: `yield* emit(value)` is Python's
 * `yield value` inside an `async def` (a generator's own `yield` belongs to the scheduler). It
 * resumes with what the consumer sent (`asend`), `undefined` for `anext()`.
 * @example
 * import { asyncGenerator, type Emit } from "@asyncio-ts/core";
 * function* twice(emit: Emit<string>, s: string) {
 *   yield* emit(s);
 *   yield* emit(s);
 * }
 * const echo = asyncGenerator(function* (emit, s: string) {
 *   yield* twice(emit, s);
 * });
 */
export type Emit<T, TSend = undefined> = (value: T) => Awaitable<TSend>;

// An operation's kind: Python's `asend`, `athrow`, `aclose` and `__anext__` (an asend of None).
const SEND = 0;
const THROW = 1;
const CLOSE = 2;
const NEXT = 3;
type Mode = typeof SEND | typeof THROW | typeof CLOSE | typeof NEXT;

// The generator's state: not started, paused at an emit, inside an operation, finished.
/** @internal */ export const INITIAL = 0;
/** @internal */ export const SUSPENDED = 1;
/** @internal */ export const RUNNING = 2;
/** @internal */ export const CLOSED = 3;

/** @internal Sent into the body to finish its pending `yield* emit(...)`. */
export const RESUME: unique symbol = Symbol("resume");

// Not frozen: the same shape as every other result the body's `yield*` reads keeps that read
// monomorphic. Nothing writes to it.
const DONE: IteratorResult<never, undefined> = { done: true, value: undefined };

const OP_NAMES = ["asend", "athrow", "aclose", "anext"] as const;

/** What a pushed `emit` returns: an awaitable that is already done (no suspension). */
const NOW = {
  [Symbol.iterator]() {
    return this;
  },
  next(): IteratorResult<never, undefined> {
    return DONE;
  },
  throw(e: unknown): never {
    throw e;
  },
};

/**
 * @internal The part of an async generator the loop and the finalizer see. It never points to
 * its {@link AGenerator}, so a generator nobody holds can be collected and then closed.
 */
export class AGenState implements Iterator<unknown, unknown, unknown> {
  _gen: Coroutine<void> | null;
  _status: number = INITIAL;
  /** The last value emitted, read by the operation the body emitted to. */
  _value: unknown = undefined;
  /** What the pending `emit` returns to the body when resumed. */
  _sent: unknown = undefined;
  _loop: BaseEventLoop | null = null;
  /** What the body yields to hand a value out: a marker its own driver recognises. */
  readonly _emitted: IteratorYieldResult<AGenState>;
  readonly _label: string;

  constructor(gen: Coroutine<void>, label: string) {
    this._gen = gen;
    this._label = label;
    this._emitted = { done: false, value: this };
  }

  // The iterator `yield* emit(v)` delegates to: first it yields this state (the driver takes
  // the value), then, sent RESUME, it finishes with what the consumer sent.
  [Symbol.iterator](): this {
    return this;
  }

  next(x?: unknown): IteratorResult<unknown, unknown> {
    if (x !== RESUME) return this._emitted;
    const sent = this._sent;
    if (sent === undefined) return DONE;
    this._sent = undefined;
    return { done: true, value: sent };
  }

  throw(e: unknown): never {
    throw e;
  }

  /** For `loop.shutdownAsyncgens()` and the finalizer. */
  *aclose(): Coroutine<void> {
    yield* new AGenOp(this, CLOSE, undefined, null) as unknown as Awaitable<void>;
  }

  /** The first operation: Python's firstiter hook registers the generator with the loop. */
  _firstIter(): void {
    const owner = this._owner;
    if (owner === null) return;
    this._owner = null;
    const loop = _getRunningLoopOrNull();
    if (loop === null) return;
    // Python warns when this happens after shutdown_asyncgens() and registers it anyway.
    this._loop = loop;
    loop._asyncgens.add(this);
    registry().register(owner, this, this);
  }

  /** The generator object until its first operation (the finalizer's target, registered then). */
  _owner: AGenerator<unknown, unknown> | null = null;

  /**
   * Set by `asyncFor` only while it steps the body: each `emit` then calls the loop body
   * itself, so an item costs no suspension of the body. What the loop body gave (other than
   * nothing) or threw is kept for `asyncFor`, and the emit suspends as usual.
   */
  _push: ((item: unknown) => unknown) | null = null;
  _pushed: unknown = undefined;
  _pushFailed = false;

  _finish(): void {
    this._status = CLOSED;
    this._gen = null;
    if (this._loop !== null) {
      this._loop._asyncgens.delete(this);
      registry().unregister(this);
      this._loop = null;
    }
  }
}

/**
 * @internal The body threw: the generator is finished; what to raise (a StopAsyncIteration
 * becomes RuntimeError, as Python's).
 */
export function _failed(s: AGenState, e: unknown): unknown {
  s._finish();
  if (e instanceof StopAsyncIteration) {
    const err = new RuntimeError("async generator raised StopAsyncIteration");
    chainError(err, e);
    return err;
  }
  return e;
}

let finalizers: FinalizationRegistry<AGenState> | null = null;

/**
 * Python's `_asyncgen_finalizer_hook`: a generator dropped while open is closed by a new task
 * on its loop. Created on first use, so importing the module has no effect.
 */
function registry(): FinalizationRegistry<AGenState> {
  if (finalizers === null) {
    finalizers = new FinalizationRegistry((state) => {
      const loop = state._loop;
      if (loop === null || state._status === CLOSED) return;
      loop._asyncgens.delete(state);
      if (!loop.isClosed()) {
        loop.callSoonThreadsafe(() => {
          if (state._status !== CLOSED && !loop.isClosed()) loop.createTask(state.aclose());
        });
      }
    });
  }
  return finalizers;
}

/**
 * One `asend`/`athrow`/`aclose` call: an awaitable that runs the body until it emits, returns,
 * throws or (for aclose) finishes, passing the body's own awaits through to the task.
 */
class AGenOp implements Iterator<unknown, unknown, unknown> {
  // 0: not yet awaited; 1: running; 2: finished.
  private _phase = 0;
  done = false;
  value: unknown = undefined;

  constructor(
    private readonly _state: AGenState,
    private readonly _mode: Mode,
    private readonly _arg: unknown,
    // Keeps the generator object alive (not finalized) while one of its operations runs.
    readonly _owner: AGenerator<unknown, unknown> | null,
  ) {}

  [Symbol.iterator](): this {
    if (this._phase !== 0) {
      throw new RuntimeError(
        this._mode === SEND || this._mode === NEXT
          ? "cannot reuse already awaited __anext__()/asend()"
          : "cannot reuse already awaited aclose()/athrow()",
      );
    }
    return this;
  }

  next(x?: unknown): IteratorResult<unknown, unknown> {
    if (this._phase !== 1) return this._phase === 0 ? this._start() : DONE;
    let r: IteratorResult<unknown, unknown>;
    try {
      r = this._state._gen!.next(x);
    } catch (e) {
      throw this._failed(e);
    }
    return this._stepped(r);
  }

  throw(e: unknown): IteratorResult<unknown, unknown> {
    if (this._phase !== 1) throw e;
    let r: IteratorResult<unknown, unknown>;
    try {
      r = this._state._gen!.throw(e);
    } catch (err) {
      throw this._failed(err);
    }
    return this._stepped(r);
  }

  // Python's asend/athrow `close()`: the awaiting coroutine was closed mid-operation, so the
  // body is closed where it awaits.
  return(value?: unknown): IteratorResult<unknown, unknown> {
    if (this._phase !== 1) return { done: true, value };
    this._phase = 2;
    const s = this._state;
    let r: IteratorResult<unknown, unknown>;
    try {
      r = s._gen!.return(undefined);
    } finally {
      s._finish();
    }
    if (!r.done) throw new RuntimeError("coroutine ignored GeneratorExit");
    return { done: true, value };
  }

  private _start(): IteratorResult<unknown, unknown> {
    const s = this._state;
    const mode = this._mode;
    if (s._status === RUNNING) {
      throw new RuntimeError(`${OP_NAMES[mode]}(): asynchronous generator is already running`);
    }
    if (s._status === CLOSED) {
      this._phase = 2;
      return { done: true, value: mode === CLOSE ? undefined : DONE };
    }
    const gen = s._gen!;
    if (s._status === INITIAL) {
      s._firstIter();
      if (mode === CLOSE) {
        this._phase = 2;
        s._finish();
        return { done: true, value: undefined };
      }
      if (mode === SEND && this._arg !== undefined) {
        throw new TypeError(
          "can't send a value other than undefined to a just-started async generator",
        );
      }
    }
    const started = s._status === SUSPENDED;
    this._phase = 1;
    s._status = RUNNING;
    let r: IteratorResult<unknown, unknown>;
    try {
      if (mode === SEND || mode === NEXT) {
        if (started) s._sent = this._arg;
        r = started ? gen.next(RESUME as never) : gen.next();
      } else if (mode === THROW) {
        r = gen.throw(this._arg);
      } else {
        r = gen.return(undefined);
      }
    } catch (e) {
      throw this._failed(e);
    }
    return this._stepped(r);
  }

  private _failed(e: unknown): unknown {
    this._phase = 2;
    return _failed(this._state, e);
  }

  /** The body yielded (an await to pass up, or its own emit marker) or returned. */
  private _stepped(r: IteratorResult<unknown, unknown>): IteratorResult<unknown, unknown> {
    const s = this._state;
    if (r.done) {
      this._phase = 2;
      s._finish();
      return { done: true, value: this._mode === CLOSE ? undefined : DONE };
    }
    if (r.value !== s) return r;
    this._phase = 2;
    if (this._mode === CLOSE) {
      s._finish();
      throw new RuntimeError("async generator ignored GeneratorExit");
    }
    s._status = SUSPENDED;
    const value = s._value;
    s._value = undefined;
    // The operation is its own final result: `yield*` reads it at once, and one allocation per
    // item fewer is measurable on a 1M-item loop.
    this.done = true;
    this.value = { done: false, value };
    return this as IteratorReturnResult<unknown>;
  }
}

/**
 * Mirrors Python's async generator object (what calling an `async def` with `yield` returns):
 * `anext()`, `asend()`, `athrow()` and `aclose()`, each awaited with `yield*` and giving an
 * `IteratorResult` (`{ done: true }` where Python raises `StopAsyncIteration`). The first
 * `anext()` inside a running loop registers it there, so `loop.shutdownAsyncgens()` (run by
 * `run()` at the end) closes it if it is still open; one that is dropped while open is closed
 * by a task on its loop once garbage-collected, as Python's finalizer hook does.
 * @example
 * import { AGenerator, asyncGenerator } from "@asyncio-ts/core";
 * const gen = asyncGenerator(function* (emit) {
 *   yield* emit(1);
 * });
 * console.log(gen() instanceof AGenerator); // true
 */
export class AGenerator<T, TSend = undefined> implements AIterator<T, void>, AIterable<T, void> {
  /** @internal */
  readonly _state: AGenState;

  /** @internal Made by {@link asyncGenerator}'s functions. */
  constructor(state: AGenState) {
    this._state = state;
    state._owner = this as AGenerator<unknown, unknown>;
  }

  /** Python's `__aiter__`: the generator itself. */
  aiter(): this {
    return this;
  }

  /** Python's `__anext__()`: run the body to its next `emit`, or to its end. */
  anext(): Awaitable<IteratorResult<T, void>> {
    return new AGenOp(this._state, NEXT, undefined, this) as unknown as Awaitable<
      IteratorResult<T, void>
    >;
  }

  /** Python's `asend(value)`: like `anext()`, and the pending `emit` returns `value`. */
  asend(value: TSend): Awaitable<IteratorResult<T, void>> {
    return new AGenOp(this._state, SEND, value, this) as unknown as Awaitable<
      IteratorResult<T, void>
    >;
  }

  /**
   * Python's `athrow(exc)`: throw `error` where the body is paused; gives the next value it
   * emits, or `{ done: true }` if it returns, or raises what it raises.
   */
  athrow(error: unknown): Awaitable<IteratorResult<T, void>> {
    return new AGenOp(this._state, THROW, error, this) as unknown as Awaitable<
      IteratorResult<T, void>
    >;
  }

  /**
   * Python's `aclose()`: finish the body where it is paused, running its `finally` blocks
   * (which may await); a body that emits again raises `RuntimeError`.
   */
  aclose(): Awaitable<void> {
    return new AGenOp(this._state, CLOSE, undefined, this) as unknown as Awaitable<void>;
  }

  toString(): string {
    const s = this._state._status;
    const state =
      s === INITIAL ? "created" : s === CLOSED ? "closed" : s === RUNNING ? "running" : "suspended";
    return `<async_generator ${this._state._label} ${state}>`;
  }
}

/**
 * Mirrors `async def` with `yield` (an async generator function): `fn` is a generator function
 * that awaits with `yield*` as any coroutine and produces values with `yield* emit(value)`.
 * Calling the result makes an {@link AGenerator}; the body starts at the first `anext()`.
 * @example
 * import { asyncFor, asyncGenerator, run } from "@asyncio-ts/core";
 * const range = asyncGenerator(function* (emit, n: number) {
 *   try {
 *     for (let i = 0; i < n; i++) yield* emit(i);
 *   } finally {
 *     console.log("cleanup");
 *   }
 * });
 * await run((function* () {
 *   yield* asyncFor(range(3), function* (i) {
 *     console.log(i); // 0, 1, 2, then cleanup
 *   });
 * })());
 */
export function asyncGenerator<T, TSend = undefined, A extends unknown[] = []>(
  fn: (emit: Emit<T, TSend>, ...args: A) => Coroutine<void>,
): (...args: A) => AGenerator<T, TSend> {
  if (typeof fn !== "function") {
    throw new TypeError(
      `Expected \`fn\` to be a generator function (function*), got \`${describeValue(fn)}\` (${typeof fn})`,
    );
  }
  const label = fn.name || "(anonymous)";
  return function (this: unknown, ...args: A): AGenerator<T, TSend> {
    let state: AGenState | null = null;
    const emit = (value: T): Awaitable<TSend> => {
      const s = state!;
      const push = s._push;
      if (push !== null) {
        let done: unknown;
        try {
          done = push(value);
        } catch (e) {
          s._pushFailed = true;
          s._pushed = e;
          return s as unknown as Awaitable<TSend>;
        }
        const type = typeof done;
        // Nothing to act on (no BREAK, awaitable or Promise): go on at once.
        if (done === undefined || (type !== "object" && type !== "function" && type !== "symbol")) {
          return NOW as unknown as Awaitable<TSend>;
        }
        s._pushed = done;
        return s as unknown as Awaitable<TSend>;
      }
      s._value = value;
      return s as unknown as Awaitable<TSend>;
    };
    const gen = fn.call(this, emit, ...args);
    if (
      gen === null ||
      typeof gen !== "object" ||
      typeof (gen as Partial<Coroutine<void>>).next !== "function" ||
      typeof (gen as Partial<Coroutine<void>>).throw !== "function"
    ) {
      const hint = isPromiseLike(gen)
        ? ": write it as a generator function (function*), not an async function"
        : "";
      throw new TypeError(
        `asyncGenerator(${label}) must be given a generator function, but calling it returned \`${describeValue(gen)}\`${hint}`,
      );
    }
    state = new AGenState(gen, label);
    return new AGenerator<T, TSend>(state);
  };
}
