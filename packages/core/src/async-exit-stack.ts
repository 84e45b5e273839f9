import { _awaitFrom, _checkAsyncContextManager, type AsyncContextManager } from "./async-with.js";
import { chainError } from "./internal/chain.js";
import { describeValue } from "./shared.js";
import type { Awaitable, Coroutine } from "./types.js";

/** An exit callback: gets the pending error (`null` if none); a true result suppresses it. */
export type AsyncExitCallback = (exc: unknown) => Awaitable<unknown>;

/** A callback run at exit; `sync` ones are called, the others awaited. */
interface Exit {
  sync: boolean;
  fn: (exc: unknown) => unknown;
}

function isCallable(x: unknown): x is (...args: never[]) => unknown {
  return typeof x === "function";
}

/**
 * Mirrors `contextlib.AsyncExitStack`: collects context managers and cleanup callbacks while a
 * scope runs and unwinds them last-in first-out when it ends. Each exit sees the error still
 * pending (`null` if none) and may suppress it; an error raised by one exit replaces the
 * pending one, which becomes its `cause`, and the later exits see the new one.
 * @example
 * import { AsyncExitStack, asyncWith, type AsyncContextManager, run } from "@asyncio-ts/core";
 * const named = (name: string): AsyncContextManager<string, false> => ({
 *   *aenter() {
 *     console.log("enter", name);
 *     return name;
 *   },
 *   *aexit() {
 *     console.log("exit", name);
 *     return false;
 *   },
 * });
 * await run(asyncWith(new AsyncExitStack(), function* (stack) {
 *   for (const name of ["a", "b"]) yield* stack.enterAsyncContext(named(name));
 *   stack.callback(() => console.log("callback"));
 * })); // enter a, enter b, callback, exit b, exit a
 */
export class AsyncExitStack implements AsyncContextManager<AsyncExitStack> {
  #exits: Exit[] = [];

  /**
   * Python's `enter_async_context(cm)`: await `cm.aenter()`, push its `aexit`, and give what
   * `aenter` gave.
   */
  *enterAsyncContext<T>(cm: AsyncContextManager<T>): Coroutine<T> {
    _checkAsyncContextManager(cm);
    const aexit = cm.aexit;
    const value = yield* _awaitFrom<T>(cm.aenter(), "AsyncExitStack", "aenter()");
    this.#pushCmExit(cm, aexit);
    return value;
  }

  /**
   * Python's `push_async_exit(exit)`: push an async context manager's `aexit` (without entering
   * it) or a callback `(exc) => awaitable`; a true result suppresses the pending error.
   */
  pushAsyncExit<E extends AsyncContextManager | AsyncExitCallback>(exit: E): E {
    if (isCallable(exit)) {
      this.#exits.push({ sync: false, fn: exit });
    } else if (exit !== null && typeof exit === "object" && isCallable(exit.aexit)) {
      this.#pushCmExit(exit, exit.aexit);
    } else {
      throw new TypeError(
        `Expected \`exit\` to be an async context manager or a function, got \`${describeValue(exit)}\``,
      );
    }
    return exit;
  }

  /**
   * Python's `push_async_callback(callback, *args)`: await `callback(...args)` at exit; it
   * cannot suppress errors.
   */
  pushAsyncCallback<A extends unknown[]>(
    callback: (...args: A) => Awaitable<unknown>,
    ...args: A
  ): typeof callback {
    if (!isCallable(callback)) throw notCallable("callback", callback);
    this.#exits.push({
      sync: false,
      fn: function* () {
        yield* _awaitFrom(callback(...args), "AsyncExitStack", "a callback");
        return false;
      },
    });
    return callback;
  }

  /** Python's `callback(callback, *args)`: call `callback(...args)` at exit (not awaited). */
  callback<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): typeof callback {
    if (!isCallable(callback)) throw notCallable("callback", callback);
    this.#exits.push({
      sync: true,
      fn: () => {
        callback(...args);
        return false;
      },
    });
    return callback;
  }

  /**
   * Python's `push(exit)`: push a plain (not awaited) exit callback `(exc) => boolean`; a true
   * result suppresses the pending error.
   */
  push<F extends (exc: unknown) => unknown>(exit: F): F {
    if (!isCallable(exit)) throw notCallable("exit", exit);
    this.#exits.push({ sync: true, fn: exit });
    return exit;
  }

  /** Python's `pop_all()`: move every callback to a new stack and return it. */
  popAll(): AsyncExitStack {
    const stack = new AsyncExitStack();
    stack.#exits = this.#exits;
    this.#exits = [];
    return stack;
  }

  /** Python's `aclose()`: unwind now, as a clean exit. */
  *aclose(): Coroutine<void> {
    yield* this.aexit(null);
  }

  /** Python's `__aenter__`: the stack itself. */
  // biome-ignore lint/correctness/useYield: Python's `__aenter__` here awaits nothing.
  *aenter(): Coroutine<this> {
    return this;
  }

  /**
   * Python's `__aexit__`: run every exit last-in first-out; true when the error it was given
   * was suppressed, and raises the error an exit raised.
   */
  *aexit(exc: unknown): Coroutine<boolean> {
    const received = exc !== null;
    let pending = exc;
    let suppressed = false;
    let raised = false;
    const exits = this.#exits;
    while (exits.length > 0) {
      const exit = exits.pop()!;
      try {
        const result = exit.sync
          ? exit.fn(pending)
          : yield* _awaitFrom(exit.fn(pending), "AsyncExitStack", "an exit callback");
        if (result) {
          suppressed = true;
          raised = false;
          pending = null;
        }
      } catch (e) {
        if (pending !== null) chainError(e, pending);
        raised = true;
        pending = e;
      }
    }
    if (raised) throw pending;
    return received && suppressed;
  }

  #pushCmExit(cm: object, aexit: (exc: unknown) => Awaitable<unknown>): void {
    this.#exits.push({ sync: false, fn: (exc) => aexit.call(cm, exc) });
  }
}

function notCallable(name: string, x: unknown): TypeError {
  return new TypeError(`Expected \`${name}\` to be a function, got \`${describeValue(x)}\``);
}
