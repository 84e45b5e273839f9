import { _getRunningLoop, type AbstractEventLoop, RuntimeError } from "@asyncio-ts/core";

/**
 * Mirrors `asyncio.mixins._LoopBoundMixin`: a primitive binds to the loop running when it first
 * needs one (its first wait), and refuses every other loop after that.
 */
export abstract class LoopBound {
  /** @internal */ _loop: AbstractEventLoop | null = null;

  /** @internal Mirrors `_LoopBoundMixin._get_loop()`. */
  _getLoop(): AbstractEventLoop {
    const loop = _getRunningLoop();
    if (this._loop === null) this._loop = loop;
    if (loop !== this._loop) {
      throw new RuntimeError(`${this.toString()} is bound to a different event loop`);
    }
    // Python would go on with `None` and fail on `None.create_future()`; no loop is running.
    if (loop === null) throw new RuntimeError("no running event loop");
    return loop;
  }
}
