import { CancelledError, type Coroutine, type Future, RuntimeError } from "@asyncio-ts/core";
import { Deque } from "./internal/deque.js";
import { checkNumber } from "./internal/validate.js";
import { Lock } from "./lock.js";
import { LockLike } from "./lock-like.js";

/**
 * Mirrors `asyncio.Condition(lock=None)`: a condition variable over a {@link Lock} (a new one
 * unless given). `wait()` releases the lock, waits for `notify()`, and takes the lock back;
 * `notify(n)` wakes the first `n` waiters, in the order they started waiting.
 *
 * `async with cond:` is `yield* cond.with(function* () { ... })`, or
 * `using held = yield* cond.hold();` (see {@link LockLike}).
 * @example
 * import { createTask, run } from "@asyncio-ts/core";
 * import { Condition } from "@asyncio-ts/sync";
 * const cond = new Condition();
 * const items: number[] = [];
 * function* consumer() {
 *   return yield* cond.with(function* () {
 *     yield* cond.waitFor(() => items.length > 0);
 *     return items.shift();
 *   });
 * }
 * await run((function* () {
 *   const t = createTask(consumer());
 *   yield* cond.with(function* () {
 *     items.push(7);
 *     cond.notify();
 *   });
 *   console.log(yield* t); // 7
 * })());
 */
export class Condition extends LockLike {
  /** @internal */ readonly _lock: Lock;
  /** @internal */ _waiters = new Deque<Future<boolean>>(4);

  /** A condition over `lock`, or over a new {@link Lock} when it is `null`/omitted. */
  constructor(lock?: Lock | null) {
    super();
    this._lock = lock ?? new Lock();
  }

  /** Mirrors `Condition.locked()`: the underlying lock's `locked()`. */
  locked(): boolean {
    return this._lock.locked();
  }

  /** Mirrors `Condition.acquire()`: the underlying lock's `acquire()`. */
  acquire(): Coroutine<true> {
    return this._lock.acquire();
  }

  /** Mirrors `Condition.release()`: the underlying lock's `release()`. */
  release(): void {
    this._lock.release();
  }

  /**
   * Mirrors `Condition.wait()`: release the lock, wait until notified, re-acquire the lock (even
   * when cancelled meanwhile) and return `true`. Throws
   * `RuntimeError('cannot wait on un-acquired lock')` if the lock is not held. A waiter that
   * fails or is cancelled after being notified passes the notification on, so a wake-up may be
   * spurious: re-check the state (or use {@link Condition.waitFor}).
   */
  *wait(): Coroutine<true> {
    if (!this.locked()) throw new RuntimeError("cannot wait on un-acquired lock");
    const fut = this._getLoop().createFuture<boolean>();
    this.release();
    // CPython's `except BaseException` also runs when the coroutine is closed; here that is
    // `return()`, which skips `catch`, hence a flag and `finally`.
    let completed = false;
    try {
      try {
        this._waiters.push(fut);
        try {
          yield* fut;
        } finally {
          this._waiters.remove(fut);
        }
      } finally {
        yield* this._reacquire();
      }
      completed = true;
    } finally {
      // A failure may come after we were notified: hand the notification to another waiter.
      if (!completed) this._notify(1);
    }
    return true;
  }

  /**
   * The lock must be re-acquired even if the wait was cancelled. Only cancellations are retried
   * (so another failure cannot spin), and the latest one is rethrown, as CPython does.
   */
  private *_reacquire(): Coroutine<void> {
    let err: CancelledError | null = null;
    for (;;) {
      try {
        yield* this.acquire();
        break;
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        err = e;
      }
    }
    if (err !== null) throw err;
  }

  /**
   * Mirrors `Condition.wait_for(predicate)`: `wait()` until `predicate()` is truthy, and return
   * its last value. The lock must be held.
   */
  *waitFor<T>(predicate: () => T): Coroutine<T> {
    let result = predicate();
    while (!result) {
      yield* this.wait();
      result = predicate();
    }
    return result;
  }

  /**
   * Mirrors `Condition.notify(n=1)`: wake up to `n` waiters (first come, first woken). Throws
   * `RuntimeError('cannot notify on un-acquired lock')` if the lock is not held. A woken waiter
   * returns from `wait()` only once it has the lock again.
   */
  notify(n: number | null = 1): void {
    if (!this.locked()) throw new RuntimeError("cannot notify on un-acquired lock");
    n ??= 1;
    checkNumber(n, "n");
    this._notify(n);
  }

  /** @internal Mirrors `Condition._notify(n)`. */
  _notify(n: number): void {
    let idx = 0;
    const w = this._waiters;
    for (let i = 0; i < w.length; i++) {
      if (idx >= n) break;
      const fut = w.at(i);
      if (!fut.done()) {
        idx += 1;
        fut.setResult(false);
      }
    }
  }

  /** Mirrors `Condition.notify_all()`: wake every waiter. The lock must be held. */
  notifyAll(): void {
    this.notify(this._waiters.length);
  }

  /** Python's `repr()` without the address: `<Condition [locked, waiters:1]>`. */
  override toString(): string {
    let extra = this.locked() ? "locked" : "unlocked";
    if (this._waiters.length > 0) extra += `, waiters:${this._waiters.length}`;
    return `<${this.constructor.name} [${extra}]>`;
  }
}
