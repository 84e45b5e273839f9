import type { Coroutine, Future } from "@asyncio-ts/core";
import { Deque } from "./internal/deque.js";
import { LoopBound } from "./internal/loop-bound.js";

/**
 * Mirrors `asyncio.Event`: a flag that tasks can wait for. `set()` wakes every waiter, in the
 * order they started waiting; `clear()` makes later `wait()` calls block again.
 * @example
 * import { createTask, run } from "@asyncio-ts/core";
 * import { Event } from "@asyncio-ts/sync";
 * const ready = new Event();
 * function* waiter() {
 *   yield* ready.wait();
 *   console.log("go");
 * }
 * await run((function* () {
 *   const t = createTask(waiter());
 *   ready.set();
 *   yield* t; // go
 * })());
 */
export class Event extends LoopBound {
  /** @internal */ _waiters = new Deque<Future<boolean>>(4);
  /** @internal */ _value = false;

  /** Mirrors `Event.is_set()`. */
  isSet(): boolean {
    return this._value;
  }

  /** Mirrors `Event.set()`: set the flag and wake every waiter. */
  set(): void {
    if (!this._value) {
      this._value = true;
      const w = this._waiters;
      for (let i = 0; i < w.length; i++) {
        const fut = w.at(i);
        if (!fut.done()) fut.setResult(true);
      }
    }
  }

  /** Mirrors `Event.clear()`: reset the flag; waiters already woken stay woken. */
  clear(): void {
    this._value = false;
  }

  /** Mirrors `Event.wait()`: return `true` at once if the flag is set, else when it is set. */
  *wait(): Coroutine<true> {
    if (this._value) return true;
    const fut = this._getLoop().createFuture<boolean>();
    this._waiters.push(fut);
    try {
      yield* fut;
      return true;
    } finally {
      this._waiters.remove(fut);
    }
  }

  /** Python's `repr()` without the address: `<Event [unset, waiters:1]>`. */
  override toString(): string {
    let extra = this._value ? "set" : "unset";
    if (this._waiters.length > 0) extra += `, waiters:${this._waiters.length}`;
    return `<${this.constructor.name} [${extra}]>`;
  }
}
