import { CancelledError, type Coroutine, type Future, RuntimeError } from "@asyncio-ts/core";
import { Deque } from "./internal/deque.js";
import { LockLike } from "./lock-like.js";

/**
 * Mirrors `asyncio.Lock`: a mutual-exclusion lock, not owned by a task. Waiters are served in
 * FIFO order with no barging: a lock released while others wait goes to the first waiter, even
 * if another task calls `acquire()` before that waiter runs. A waiter cancelled after it was
 * woken passes the wake-up on.
 *
 * `async with lock:` is `yield* lock.with(function* () { ... })`, or
 * `using held = yield* lock.hold();` (see {@link LockLike}).
 * @example
 * import { createTask, run } from "@asyncio-ts/core";
 * import { sleep } from "@asyncio-ts/time";
 * import { Lock } from "@asyncio-ts/sync";
 * const lock = new Lock();
 * function* worker(name: string) {
 *   yield* lock.with(function* () {
 *     console.log(name, "in");
 *     yield* sleep(0.01);
 *     console.log(name, "out");
 *   });
 * }
 * await run((function* () {
 *   const a = createTask(worker("a"));
 *   const b = createTask(worker("b"));
 *   yield* a;
 *   yield* b; // a in, a out, b in, b out
 * })());
 */
export class Lock extends LockLike {
  /** @internal Created on the first wait, as CPython does. */
  _waiters: Deque<Future<boolean>> | null = null;
  /** @internal */ _locked = false;

  /** Mirrors `Lock.locked()`: true if the lock is held. */
  locked(): boolean {
    return this._locked;
  }

  /**
   * Mirrors `Lock.acquire()`: wait until the lock is free and this task's turn has come, take
   * it, and return `true`. Cancelling the waiting task removes it from the line.
   */
  *acquire(): Coroutine<true> {
    // Fair: a new caller waits its turn unless every waiter was cancelled.
    if (!this._locked && (this._waiters === null || allCancelled(this._waiters))) {
      this._locked = true;
      return true;
    }
    if (this._waiters === null) this._waiters = new Deque(4);
    const fut = this._getLoop().createFuture<boolean>();
    this._waiters.push(fut);
    try {
      try {
        yield* fut;
      } finally {
        this._waiters.remove(fut);
      }
    } catch (e) {
      // If the lock is free and nobody is about to take it, the next waiter must still run.
      if (e instanceof CancelledError && !this._locked) this._wakeUpFirst();
      throw e;
    }
    this._locked = true;
    return true;
  }

  /**
   * Mirrors `Lock.release()`: free the lock and wake the first waiter. Throws
   * `RuntimeError('Lock is not acquired.')` if it is not held.
   */
  release(): void {
    if (this._locked) {
      this._locked = false;
      this._wakeUpFirst();
    } else {
      throw new RuntimeError("Lock is not acquired.");
    }
  }

  /** @internal Mirrors `Lock._wake_up_first()`. */
  _wakeUpFirst(): void {
    const w = this._waiters;
    if (w === null || w.length === 0) return;
    const fut = w.at(0);
    // A done waiter is already set to wake up.
    if (!fut.done()) fut.setResult(true);
  }

  /** Python's `repr()` without the address: `<Lock [locked, waiters:2]>`. */
  override toString(): string {
    let extra = this._locked ? "locked" : "unlocked";
    if (this._waiters !== null && this._waiters.length > 0) {
      extra += `, waiters:${this._waiters.length}`;
    }
    return `<${this.constructor.name} [${extra}]>`;
  }
}

function allCancelled(waiters: Deque<Future<boolean>>): boolean {
  for (let i = 0; i < waiters.length; i++) if (!waiters.at(i).cancelled()) return false;
  return true;
}
