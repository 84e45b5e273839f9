import { BaseEventLoop, RuntimeError, type Task } from "@asyncio-ts/core";

/**
 * asyncio-ts's virtual-time loop: `time()` starts at 0 and, whenever nothing is ready, jumps to
 * the next timer, so `sleep(3600)` finishes at once with `time()` advanced by 3600. Work outside
 * the loop (executor jobs, adapted promises) is awaited in real time before the clock jumps. When
 * nothing is ready, no timer is set and no outside work is pending, it raises a `RuntimeError`
 * naming the stuck tasks instead of hanging.
 * @example
 * import { VirtualTimeEventLoop } from "@asyncio-ts/testing";
 * const loop = new VirtualTimeEventLoop();
 * loop.callLater(3600, () => loop.stop());
 * await loop.runForever();
 * console.log(loop.time()); // 3600
 * loop.close();
 */
export class VirtualTimeEventLoop extends BaseEventLoop {
  private _now = 0;

  /** Virtual seconds since the loop was made. */
  override time(): number {
    return this._now;
  }

  /**
   * Move the clock forward by `seconds` (timers now due run on the next iteration). The clock
   * also moves by itself whenever the loop is idle.
   */
  advance(seconds: number): void {
    if (typeof seconds !== "number" || !(seconds >= 0)) {
      throw new TypeError(
        `Expected \`seconds\` to be a non-negative number, got \`${String(seconds)}\` (${typeof seconds})`,
      );
    }
    this._now += seconds;
  }

  /** @internal */
  override _whenIdle(): boolean {
    const next = this._nextTimerWhen();
    if (next !== undefined && next <= this._now) return true;
    if (this._externalWork > 0) {
      // Outside work will call back (callSoonThreadsafe) or end its hold; either wakes us.
      this._idle = true;
      return false;
    }
    if (next !== undefined && next !== Number.POSITIVE_INFINITY) {
      this._now = next;
      return true;
    }
    throw new RuntimeError(this._deadlockReport());
  }

  /** @internal */
  override _externalWorkEnded(): void {
    if (this._idle && this._externalWork === 0) this._wake();
  }

  private _deadlockReport(): string {
    const stuck: string[] = [];
    for (let t: Task<unknown> | null = this._liveHead; t !== null; t = t._nextLive) {
      if (!t.done()) stuck.push(t.toString());
    }
    return (
      "deadlock: nothing is ready, no timer is set and no outside work is pending, so no task " +
      `can make progress (virtual time ${this._now}); stuck tasks: ` +
      (stuck.length > 0 ? stuck.join(", ") : "none")
    );
  }
}
