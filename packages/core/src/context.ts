import { LookupError, RuntimeError } from "./errors.js";
import { describe } from "./internal/repr.js";

/** Immutable mapping; a set makes a new one, so copies are O(1) and share structure. */
type Data = ReadonlyMap<ContextVar<unknown>, unknown>;
const EMPTY: Data = new Map();

const MISSING: unique symbol = Symbol("Token.MISSING");

/**
 * Mirrors `contextvars.Context`: a mapping of {@link ContextVar}s to values. Every task runs in
 * its own copy of the context current when it was created; callbacks run in a copy taken when
 * they were scheduled.
 * @example
 * import { ContextVar, copyContext } from "@asyncio-ts/core";
 * const v = new ContextVar<number>("v", { default: 0 });
 * const ctx = copyContext();
 * ctx.run(() => v.set(1));
 * console.log(v.get(), ctx.get(v)); // 0 1
 */
export class Context implements Iterable<ContextVar<unknown>> {
  /** @internal */
  _data: Data;
  /** @internal */
  _entered = false;
  /**
   * @internal Which logical context this is, for Token checks: itself, or — for the shared
   * scratch object — the handle or task whose copy it stands in for at the moment.
   */
  _key: object;

  constructor(data: Data = EMPTY) {
    this._data = data;
    this._key = this;
  }

  /** Mirrors `Context.run(callable, *args)`: call `fn` with this context current. */
  run<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): R {
    if (this._entered) {
      throw new RuntimeError(`cannot enter context: ${describe(this)} is already entered`);
    }
    const prev = current;
    this._entered = true;
    current = this;
    try {
      return fn(...args);
    } finally {
      current = prev;
      this._entered = false;
    }
  }

  /** Mirrors `Context.copy()`. */
  copy(): Context {
    return new Context(this._data);
  }

  /** Mirrors `Context.get(var, default=None)`. */
  get<T>(v: ContextVar<T>): T | undefined;
  get<T, D>(v: ContextVar<T>, defaultValue: D): T | D;
  get<T, D>(v: ContextVar<T>, defaultValue?: D): T | D | undefined {
    return this._data.has(v as ContextVar<unknown>)
      ? (this._data.get(v as ContextVar<unknown>) as T)
      : defaultValue;
  }

  /** Mirrors `var in context`. */
  has(v: ContextVar<unknown>): boolean {
    return this._data.has(v);
  }

  /** Mirrors `len(context)`. */
  get size(): number {
    return this._data.size;
  }

  keys(): IterableIterator<ContextVar<unknown>> {
    return this._data.keys();
  }
  values(): IterableIterator<unknown> {
    return this._data.values();
  }
  entries(): IterableIterator<[ContextVar<unknown>, unknown]> {
    return this._data.entries();
  }
  [Symbol.iterator](): IterableIterator<ContextVar<unknown>> {
    return this._data.keys();
  }
}

let current: Context = new Context();

/** @internal The context in force now. */
export function currentContext(): Context {
  return current;
}

/** @internal Make `ctx` current; returns the previous one for {@link _restoreContext}. */
export function _swapContext(ctx: Context): Context {
  const prev = current;
  current = ctx;
  return prev;
}

/** @internal */
export function _restoreContext(prev: Context): void {
  current = prev;
}

// Callbacks run in a copy of the context captured at scheduling time. Handles keep only the
// immutable data and borrow this one object while they run, so `callSoon` allocates no Context;
// nothing can retain the scratch object because no API returns the current Context itself.
const scratch = new Context();

/** @internal The shared context object that snapshot callbacks run in. */
export function _scratchContext(): Context {
  return scratch;
}

/** @internal */
export function _snapshot(): Data {
  return current._data;
}

export type { Data as ContextData };

/**
 * Mirrors `contextvars.copy_context()`: a shallow copy of the current context.
 * @example
 * import { copyContext } from "@asyncio-ts/core";
 * const ctx = copyContext();
 * console.log(ctx.size); // 0
 */
export function copyContext(): Context {
  return new Context(current._data);
}

/**
 * Mirrors `contextvars.Token`: returned by {@link ContextVar.set}, undone by
 * {@link ContextVar.reset}.
 * @example
 * import { ContextVar } from "@asyncio-ts/core";
 * const v = new ContextVar("v", { default: "a" });
 * const t = v.set("b");
 * v.reset(t);
 * console.log(v.get()); // a
 */
export class Token<T> {
  /** Mirrors `Token.MISSING`: `oldValue` when the variable had no value before `set`. */
  static readonly MISSING: typeof MISSING = MISSING;
  /** @internal */
  _used = false;
  /** @internal */
  constructor(
    /** @internal The logical context (Context._key) it was made in. */ readonly _key: object,
    readonly var_: ContextVar<T>,
    readonly oldValue: T | typeof MISSING,
  ) {}
  /** Mirrors `Token.var`. */
  get var(): ContextVar<T> {
    return this.var_;
  }
  toString(): string {
    return `<Token${this._used ? " used" : ""} var=${this.var_.toString()}>`;
  }
}

const NO_DEFAULT: unique symbol = Symbol("no default");

/**
 * Mirrors `contextvars.ContextVar`.
 * @example
 * import { ContextVar } from "@asyncio-ts/core";
 * const requestId = new ContextVar<string>("requestId", { default: "-" });
 * requestId.set("abc");
 * console.log(requestId.get()); // abc
 */
export class ContextVar<T> {
  readonly name: string;
  /** @internal */
  readonly _default: T | typeof NO_DEFAULT;

  constructor(name: string, options?: { default?: T }) {
    if (typeof name !== "string") {
      throw new TypeError(
        `Expected \`name\` to be a string, got \`${String(name)}\` (${typeof name})`,
      );
    }
    this.name = name;
    this._default = options && "default" in options ? (options.default as T) : NO_DEFAULT;
  }

  /** Mirrors `ContextVar.get([default])`; throws {@link LookupError} when there is no value. */
  get(): T;
  get<D>(defaultValue: D): T | D;
  get<D>(...args: [D?]): T | D {
    const data = current._data;
    const self = this as ContextVar<unknown>;
    if (data.has(self)) return data.get(self) as T;
    if (args.length > 0) return args[0] as D;
    if (this._default !== NO_DEFAULT) return this._default;
    throw new LookupError(this.toString());
  }

  /** Mirrors `ContextVar.set(value)`. */
  set(value: T): Token<T> {
    const ctx = current;
    const old = ctx._data;
    const self = this as ContextVar<unknown>;
    const next = new Map(old);
    next.set(self, value);
    ctx._data = next;
    return new Token(ctx._key, this, old.has(self) ? (old.get(self) as T) : MISSING);
  }

  /** Mirrors `ContextVar.reset(token)`. */
  reset(token: Token<T>): void {
    if (!(token instanceof Token)) {
      throw new TypeError(`expected an instance of Token, got ${describe(token)}`);
    }
    if (token._used) {
      throw new RuntimeError(`${token.toString()} has already been used once`);
    }
    if (token.var_ !== this) {
      throw new RangeError(`${token.toString()} was created by a different ContextVar`);
    }
    if (token._key !== current._key) {
      throw new RangeError(`${token.toString()} was created in a different Context`);
    }
    const next = new Map(current._data);
    if (token.oldValue === MISSING) next.delete(this as ContextVar<unknown>);
    else next.set(this as ContextVar<unknown>, token.oldValue);
    current._data = next;
    token._used = true;
  }

  toString(): string {
    const d = this._default === NO_DEFAULT ? "" : ` default=${describe(this._default)}`;
    return `<ContextVar name='${this.name}'${d}>`;
  }
}
