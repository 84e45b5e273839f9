import type { AsyncContextManager, Coroutine } from "@asyncio-ts/core";
import { LoopBound } from "./internal/loop-bound.js";
import { badBodyResult, checkBody, isAwaitable } from "./internal/scoped.js";

/** What `hold()` returns: releasing once, however often it is disposed. */
class Held implements Disposable {
  constructor(private _owner: LockLike | null) {}
  [Symbol.dispose](): void {
    const owner = this._owner;
    if (owner === null) return;
    this._owner = null;
    owner.release();
  }
}

/**
 * Mirrors `asyncio.locks._ContextManagerMixin`, the `async with` support shared by {@link Lock},
 * {@link Condition}, {@link Semaphore} and {@link BoundedSemaphore}. Python's
 * `async with lock: ...` is `yield* lock.with(function* () { ... })`,
 * `yield* asyncWith(lock, function* () { ... })` (through `aenter()`/`aexit()`), or
 * `using held = yield* lock.hold();` in a block.
 * @example
 * import { run } from "@asyncio-ts/core";
 * import { type LockLike, Lock, Semaphore } from "@asyncio-ts/sync";
 * function* guarded(l: LockLike) {
 *   return yield* l.with(function* () {
 *     return "inside";
 *   });
 * }
 * await run((function* () {
 *   console.log(yield* guarded(new Lock()), yield* guarded(new Semaphore(2))); // inside inside
 * })());
 */
export abstract class LockLike extends LoopBound implements AsyncContextManager<undefined, false> {
  /** Wait until acquired; returns `true` (Python's `await x.acquire()`). */
  abstract acquire(): Coroutine<true>;

  /** Give back what `acquire()` took. */
  abstract release(): void;

  /**
   * Python's `async with x: <body>`: acquire, run `body()`, and release however the body ends
   * (a result, an error, or a cancellation), returning the body's result. If the acquire itself
   * is cancelled, nothing is released. The argument is checked when the returned coroutine is
   * first stepped, as Python checks inside a coroutine.
   * @example
   * import { run } from "@asyncio-ts/core";
   * import { Lock } from "@asyncio-ts/sync";
   * const lock = new Lock();
   * await run((function* () {
   *   const n = yield* lock.with(function* () {
   *     console.log(lock.locked()); // true
   *     return 42;
   *   });
   *   console.log(n, lock.locked()); // 42 false
   * })());
   */
  *with<R>(body: () => Coroutine<R>): Coroutine<R> {
    checkBody(body, `${this.constructor.name}.with`);
    yield* this.acquire();
    try {
      const coro = body();
      if (!isAwaitable(coro)) throw badBodyResult(coro, `${this.constructor.name}.with`);
      return yield* coro;
    } finally {
      this.release();
    }
  }

  /**
   * Acquire and return a `Disposable` whose `[Symbol.dispose]()` releases, for TypeScript's
   * `using` declarations: `using held = yield* lock.hold();` holds until the block ends. Disposing
   * more than once releases once.
   * @example
   * import { run } from "@asyncio-ts/core";
   * import { Lock } from "@asyncio-ts/sync";
   * const lock = new Lock();
   * await run((function* () {
   *   {
   *     using _held = yield* lock.hold();
   *     console.log(lock.locked()); // true
   *   }
   *   console.log(lock.locked()); // false
   * })());
   */
  *hold(): Coroutine<Disposable> {
    yield* this.acquire();
    return new Held(this);
  }

  /**
   * Mirrors `_ContextManagerMixin.__aenter__`: acquire, and give `undefined` (Python's `None`) to
   * the body, so `yield* asyncWith(lock, function* () { ... })` is `async with lock: ...`.
   * @example
   * import { asyncWith, run } from "@asyncio-ts/core";
   * import { Lock } from "@asyncio-ts/sync";
   * const lock = new Lock();
   * await run((function* () {
   *   const n = yield* asyncWith(lock, function* () {
   *     console.log(lock.locked()); // true
   *     return 42;
   *   });
   *   console.log(n, lock.locked()); // 42 false
   * })());
   */
  *aenter(): Coroutine<undefined> {
    yield* this.acquire();
    return undefined;
  }

  /**
   * Mirrors `_ContextManagerMixin.__aexit__`: release, whatever the body did (`exc` is what it
   * threw, or `null`); never suppresses the error.
   * @example
   * import { asyncWith, run } from "@asyncio-ts/core";
   * import { Semaphore } from "@asyncio-ts/sync";
   * const sem = new Semaphore(1);
   * await run((function* () {
   *   try {
   *     yield* asyncWith(sem, function* () {
   *       throw new Error("boom");
   *     });
   *   } catch (e) {
   *     console.log((e as Error).message, sem.locked()); // boom false
   *   }
   * })());
   */
  // biome-ignore lint/correctness/useYield: Python's `__aexit__` here awaits nothing.
  *aexit(_exc: unknown): Coroutine<undefined> {
    this.release();
    return undefined;
  }
}
