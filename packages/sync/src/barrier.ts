import type { Coroutine } from "@asyncio-ts/core";
import { Condition } from "./condition.js";
import { BrokenBarrierError } from "./errors.js";
import { LoopBound } from "./internal/loop-bound.js";
import { checkNumber } from "./internal/validate.js";

/** Python's `_BarrierState`, by value (the values appear in `toString()`). */
type State = "filling" | "draining" | "resetting" | "broken";

/**
 * Mirrors `asyncio.Barrier(parties)`: `parties` tasks each call `wait()`, and all are released
 * together when the last one arrives; each gets a distinct index from 0 to `parties - 1`. The
 * barrier then drains and can be used again. Throws `RangeError('parties must be > 0')` for
 * fewer than one party.
 * @example
 * import { createTask, run } from "@asyncio-ts/core";
 * import { Barrier } from "@asyncio-ts/sync";
 * const barrier = new Barrier(3);
 * function* party(name: string) {
 *   const i = yield* barrier.wait();
 *   console.log(name, "passed as", i);
 * }
 * await run((function* () {
 *   const ts = ["a", "b", "c"].map((n) => createTask(party(n)));
 *   for (const t of ts) yield* t; // c passed as 2, a passed as 0, b passed as 1
 * })());
 */
export class Barrier extends LoopBound {
  /** @internal Notifies every task when the state changes. */ readonly _cond = new Condition();
  /** @internal */ readonly _parties: number;
  /** @internal */ _state: State = "filling";
  /** @internal Tasks inside `wait()`. */ _count = 0;

  /** A barrier for `parties` tasks. */
  constructor(parties: number) {
    super();
    checkNumber(parties, "parties");
    if (parties < 1) throw new RangeError("parties must be > 0");
    this._parties = parties;
  }

  /**
   * Mirrors `Barrier.wait()`: wait until `parties` tasks are waiting, then return this task's
   * index (0 for the first to arrive). Throws {@link BrokenBarrierError} if the barrier is broken
   * (`"Barrier aborted"`) or is reset or aborted while this task waits
   * (`"Abort or reset of barrier"`).
   */
  *wait(): Coroutine<number> {
    const cond = this._cond;
    yield* cond.acquire();
    try {
      // Block while the barrier drains or resets.
      yield* this._block();
      try {
        const index = this._count;
        this._count += 1;
        if (index + 1 === this._parties) this._release();
        else yield* this._wait();
        return index;
      } finally {
        this._count -= 1;
        // Wake any tasks waiting for the barrier to drain.
        this._exit();
      }
    } finally {
      cond.release();
    }
  }

  private *_block(): Coroutine<void> {
    yield* this._cond.waitFor(this._notDrainingOrResetting);
    if (this._state === "broken") throw new BrokenBarrierError("Barrier aborted");
  }

  private readonly _notDrainingOrResetting = (): boolean =>
    this._state !== "draining" && this._state !== "resetting";

  private _release(): void {
    // Tasks arriving now wait until the draining ends.
    this._state = "draining";
    this._cond.notifyAll();
  }

  private *_wait(): Coroutine<void> {
    yield* this._cond.waitFor(this._notFilling);
    if (this._state === "broken" || this._state === "resetting") {
      throw new BrokenBarrierError("Abort or reset of barrier");
    }
  }

  private readonly _notFilling = (): boolean => this._state !== "filling";

  private _exit(): void {
    // The last task out ends the draining or resetting.
    if (this._count === 0) {
      if (this._state === "resetting" || this._state === "draining") this._state = "filling";
      this._cond.notifyAll();
    }
  }

  /**
   * Mirrors `Barrier.reset()`: return the barrier to its initial (filling) state. Tasks waiting
   * in it get {@link BrokenBarrierError}.
   */
  *reset(): Coroutine<void> {
    const cond = this._cond;
    yield* cond.acquire();
    try {
      if (this._count > 0) {
        if (this._state !== "resetting") this._state = "resetting";
      } else {
        this._state = "filling";
      }
      cond.notifyAll();
    } finally {
      cond.release();
    }
  }

  /**
   * Mirrors `Barrier.abort()`: break the barrier. Waiting tasks, and tasks that call `wait()`
   * later, get {@link BrokenBarrierError}.
   */
  *abort(): Coroutine<void> {
    const cond = this._cond;
    yield* cond.acquire();
    try {
      this._state = "broken";
      cond.notifyAll();
    } finally {
      cond.release();
    }
  }

  /** Mirrors `Barrier.parties`: the number of tasks needed to pass. */
  get parties(): number {
    return this._parties;
  }

  /** Mirrors `Barrier.n_waiting`: the tasks waiting while the barrier fills (0 otherwise). */
  get nWaiting(): number {
    return this._state === "filling" ? this._count : 0;
  }

  /** Mirrors `Barrier.broken`: true once aborted. */
  get broken(): boolean {
    return this._state === "broken";
  }

  /** Python's `repr()` without the address: `<Barrier [filling, waiters:1/3]>`. */
  override toString(): string {
    let extra: string = this._state;
    if (!this.broken) extra += `, waiters:${this.nWaiting}/${this.parties}`;
    return `<${this.constructor.name} [${extra}]>`;
  }
}
