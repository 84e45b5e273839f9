import type { AbstractEventLoop, Future } from "@asyncio-ts/core";
import { PromiseFuture } from "../from-promise.js";

/** A task of the bridge's loop waiting, through fromPromise, on what the bridge produces. */
interface Waiter {
  readonly fut: PromiseFuture<unknown>;
  /** Its hold is lent out until the bridge's steps are over. */
  deferred: boolean;
  /** A host-turn check is scheduled. */
  checking: boolean;
}

type Schedule = (fn: () => void) => unknown;
const g = globalThis as {
  setImmediate?: Schedule;
  setTimeout: (fn: () => void, ms: number) => unknown;
};
/** One host macrotask (every pending promise job has run by then). */
const hostTurn: Schedule =
  typeof g.setImmediate === "function"
    ? (fn) => g.setImmediate!(fn)
    : (fn) => g.setTimeout.call(globalThis, fn, 0);

/**
 * @internal The loop side of one toAsyncIterable / toReadableStream: counts the steps it runs on
 * its loop for native callers, and lends out the outside-work hold of this loop's own
 * fromAsyncIterable waits on it.
 *
 * A fromPromise future is outside work: under virtual time the clock stands still while it is
 * pending. A read of this bridge's ReadableStream by a task of the same loop is no outside work
 * while one of the bridge's steps runs (that step may be sleeping on the very clock the hold
 * stops), so the hold is lent out then; it is taken back, synchronously, when the steps are over,
 * so the value's way out through promise jobs is still covered. A read served from the stream's
 * queue settles within promise jobs, so the hold is only lent once the host has had a full turn
 * and the read is still pending; until then the order stays that of the real loop.
 *
 * Each step's end also holds the clock for one host turn: its outcome reaches native code through
 * promise jobs, which may answer with the next request (a stream refilling its queue) before the
 * clock may jump past it.
 */
export class Bridge {
  private _steps = 0;
  private _waiters: Set<Waiter> | null = null;

  constructor(readonly loop: AbstractEventLoop) {}

  /** A step starts (requested now, it runs on the loop); returns its idempotent end. */
  beginStep(): () => void {
    this._steps++;
    if (this._waiters !== null) {
      for (const w of this._waiters) if (!w.deferred) this._check(w);
    }
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      // The outcome goes out through promise jobs, and native code may answer it with another
      // request (a stream refilling its queue): hold the clock until those jobs have run.
      hostTurn(this.loop.beginExternalWork());
      if (--this._steps !== 0 || this._waiters === null) return;
      for (const w of this._waiters) {
        if (!w.deferred) continue;
        w.deferred = false;
        if (!w.fut.done() && w.fut._release === null) w.fut._hold(this.loop);
      }
    };
  }

  /** A task waits on `fut`, whose outcome comes from this bridge's steps. */
  track(fut: Future<unknown>): void {
    if (!(fut instanceof PromiseFuture) || fut._release === null || fut.getLoop() !== this.loop) {
      return; // chained to a future directly, or another loop's: no hold of this loop to lend
    }
    const w: Waiter = { fut, deferred: false, checking: false };
    const waiters = (this._waiters ??= new Set());
    waiters.add(w);
    fut.addDoneCallback(() => waiters.delete(w));
    if (this._steps > 0) this._check(w);
  }

  private _check(w: Waiter): void {
    if (w.checking) return;
    w.checking = true;
    hostTurn(() => {
      w.checking = false;
      if (w.deferred || w.fut.done() || this._steps === 0 || !this._waiters?.has(w)) return;
      w.deferred = true;
      w.fut._unhold();
    });
  }
}

/** @internal The bridge behind each ReadableStream toReadableStream made. */
export const streamBridges = new WeakMap<object, Bridge>();
