import { CancelledError, type Coroutine, type Future } from "@asyncio-ts/core";
import { Deque } from "./internal/deque.js";
import { checkNumber } from "./internal/validate.js";
import { LockLike } from "./lock-like.js";

/**
 * Mirrors `asyncio.Semaphore(value=1)`: a counter that `acquire()` decrements (waiting while it
 * is zero) and `release()` increments. Waiters are served in FIFO order: while any live waiter
 * is queued, a new `acquire()` waits its turn even if the counter is positive. Throws
 * `RangeError('Semaphore initial value must be >= 0')` for a negative value.
 *
 * `async with sem:` is `yield* sem.with(function* () { ... })`, or
 * `using held = yield* sem.hold();` (see {@link LockLike}).
 * @example
 * import { createTask, run } from "@asyncio-ts/core";
 * import { sleep } from "@asyncio-ts/time";
 * import { Semaphore } from "@asyncio-ts/sync";
 * const sem = new Semaphore(2);
 * let inside = 0;
 * function* job() {
 *   yield* sem.with(function* () {
 *     inside++;
 *     console.log("inside:", inside); // never more than 2
 *     yield* sleep(0.01);
 *     inside--;
 *   });
 * }
 * await run((function* () {
 *   const tasks = [1, 2, 3, 4].map(() => createTask(job()));
 *   for (const t of tasks) yield* t;
 * })());
 */
export class Semaphore extends LockLike {
  /** @internal Created on the first wait, as CPython does. */
  _waiters: Deque<Future<boolean>> | null = null;
  /** @internal */ _value: number;

  /** A semaphore with the counter at `value` (default 1). */
  constructor(value: number | null = 1) {
    super();
    value ??= 1;
    checkNumber(value, "value");
    if (value < 0) throw new RangeError("Semaphore initial value must be >= 0");
    this._value = value;
  }

  /**
   * Mirrors `Semaphore.locked()`: true if `acquire()` would wait, because the counter is zero or
   * because live waiters are queued ahead.
   */
  locked(): boolean {
    if (this._value === 0) return true;
    const w = this._waiters;
    if (w !== null) for (let i = 0; i < w.length; i++) if (!w.at(i).cancelled()) return true;
    return false;
  }

  /**
   * Mirrors `Semaphore.acquire()`: decrement the counter, first waiting (in line) while it is
   * zero; returns `true`.
   */
  *acquire(): Coroutine<true> {
    if (!this.locked()) {
      this._value -= 1;
      return true;
    }
    if (this._waiters === null) this._waiters = new Deque(4);
    const fut = this._getLoop().createFuture<boolean>();
    this._waiters.push(fut);
    try {
      try {
        try {
          yield* fut;
        } finally {
          this._waiters.remove(fut);
        }
      } catch (e) {
        // Woken by `_wakeUpNext()` (which took our unit) but not going to return: give it back.
        if (e instanceof CancelledError && fut.done() && !fut.cancelled()) this._value += 1;
        throw e;
      }
    } finally {
      // New waiters may have queued behind us because of FIFO: wake as many as allowed.
      while (this._value > 0) {
        if (!this._wakeUpNext()) break;
      }
    }
    return true;
  }

  /** Mirrors `Semaphore.release()`: increment the counter and wake the first live waiter. */
  release(): void {
    this._value += 1;
    this._wakeUpNext();
  }

  /** @internal Mirrors `Semaphore._wake_up_next()`: wake the first waiter not yet done. */
  _wakeUpNext(): boolean {
    const w = this._waiters;
    if (w === null) return false;
    for (let i = 0; i < w.length; i++) {
      const fut = w.at(i);
      if (!fut.done()) {
        this._value -= 1;
        fut.setResult(true);
        return true;
      }
    }
    return false;
  }

  /** Python's `repr()` without the address: `<Semaphore [unlocked, value:2]>`. */
  override toString(): string {
    let extra = this.locked() ? "locked" : `unlocked, value:${this._value}`;
    if (this._waiters !== null && this._waiters.length > 0) {
      extra += `, waiters:${this._waiters.length}`;
    }
    return `<${this.constructor.name} [${extra}]>`;
  }
}

/**
 * Mirrors `asyncio.BoundedSemaphore(value=1)`: a {@link Semaphore} whose `release()` throws
 * `RangeError('BoundedSemaphore released too many times')` instead of raising the counter above
 * its initial value.
 * @example
 * import { BoundedSemaphore } from "@asyncio-ts/sync";
 * const sem = new BoundedSemaphore(1);
 * try {
 *   sem.release();
 * } catch (e) {
 *   console.log((e as Error).message); // BoundedSemaphore released too many times
 * }
 */
export class BoundedSemaphore extends Semaphore {
  /** @internal */ readonly _boundValue: number;

  /** A bounded semaphore with the counter (and its bound) at `value` (default 1). */
  constructor(value: number | null = 1) {
    super(value);
    this._boundValue = value ?? 1;
  }

  /** Mirrors `BoundedSemaphore.release()`. */
  override release(): void {
    if (this._value >= this._boundValue) {
      throw new RangeError("BoundedSemaphore released too many times");
    }
    super.release();
  }
}
