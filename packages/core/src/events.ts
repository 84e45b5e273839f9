import type { AbstractEventLoop } from "./abstract-event-loop.js";
import { BaseEventLoop } from "./base-event-loop.js";
import { RuntimeError } from "./errors.js";
import { typeName } from "./internal/repr.js";
import { _getRunningLoopOrNull, _setGetEventLoopHook } from "./internal/running.js";

/**
 * Mirrors `asyncio.AbstractEventLoopPolicy`: the plug point that decides which loop
 * `run()`, `newEventLoop()` and `getEventLoop()` use. Swap it to swap the loop implementation
 * under unchanged code (e.g. `@asyncio-ts/testing`'s virtual time).
 * @example
 * import { type EventLoopPolicy, BaseEventLoop } from "@asyncio-ts/core";
 * class MyPolicy implements EventLoopPolicy {
 *   private loop: BaseEventLoop | null = null;
 *   getEventLoop() { return (this.loop ??= this.newEventLoop()); }
 *   setEventLoop(loop: BaseEventLoop | null) { this.loop = loop; }
 *   newEventLoop() { return new BaseEventLoop(); }
 * }
 */
export interface EventLoopPolicy {
  getEventLoop(): AbstractEventLoop;
  setEventLoop(loop: AbstractEventLoop | null): void;
  newEventLoop(): AbstractEventLoop;
}

function isLoop(x: unknown): x is AbstractEventLoop {
  return (
    x !== null &&
    typeof x === "object" &&
    typeof (x as AbstractEventLoop).callSoon === "function" &&
    typeof (x as AbstractEventLoop).runUntilComplete === "function"
  );
}

/**
 * Mirrors `asyncio.DefaultEventLoopPolicy`: one current loop, created on first
 * `getEventLoop()` unless `setEventLoop(null)` was called; new loops are {@link BaseEventLoop}s.
 * Subclass and override `newEventLoop()` to change the loop class.
 * @example
 * import { DefaultEventLoopPolicy, setEventLoopPolicy } from "@asyncio-ts/core";
 * setEventLoopPolicy(new DefaultEventLoopPolicy());
 */
export class DefaultEventLoopPolicy implements EventLoopPolicy {
  private _loop: AbstractEventLoop | null = null;
  private _setCalled = false;

  getEventLoop(): AbstractEventLoop {
    if (this._loop === null && !this._setCalled) this.setEventLoop(this.newEventLoop());
    if (this._loop === null) {
      throw new RuntimeError("There is no current event loop in thread 'MainThread'.");
    }
    return this._loop;
  }

  setEventLoop(loop: AbstractEventLoop | null): void {
    this._setCalled = true;
    if (loop !== null && !isLoop(loop)) {
      throw new TypeError(
        `loop must be an instance of AbstractEventLoop or None, not '${typeName(loop)}'`,
      );
    }
    this._loop = loop;
  }

  newEventLoop(): AbstractEventLoop {
    return new BaseEventLoop();
  }
}

let policy: EventLoopPolicy | null = null;

/**
 * Mirrors `asyncio.get_event_loop_policy()`.
 * @example
 * import { getEventLoopPolicy } from "@asyncio-ts/core";
 * const loop = getEventLoopPolicy().newEventLoop();
 * loop.close();
 */
export function getEventLoopPolicy(): EventLoopPolicy {
  if (policy === null) policy = new DefaultEventLoopPolicy();
  return policy;
}

/**
 * Mirrors `asyncio.set_event_loop_policy(policy)`; `null` restores the default policy.
 * @example
 * import { setEventLoopPolicy } from "@asyncio-ts/core";
 * setEventLoopPolicy(null);
 */
export function setEventLoopPolicy(p: EventLoopPolicy | null): void {
  if (
    p !== null &&
    (typeof p !== "object" ||
      typeof p.newEventLoop !== "function" ||
      typeof p.getEventLoop !== "function" ||
      typeof p.setEventLoop !== "function")
  ) {
    throw new TypeError(
      `policy must be an instance of AbstractEventLoopPolicy or None, not '${typeName(p)}'`,
    );
  }
  policy = p;
}

/**
 * Mirrors `asyncio.get_running_loop()`: throws `RuntimeError('no running event loop')` outside
 * the loop's callbacks and tasks.
 * @example
 * import { getRunningLoop, run } from "@asyncio-ts/core";
 * await run((function* () {
 *   console.log(getRunningLoop().isRunning()); // true
 * })());
 */
export function getRunningLoop(): AbstractEventLoop {
  const loop = _getRunningLoopOrNull();
  if (loop === null) throw new RuntimeError("no running event loop");
  return loop;
}

/**
 * Mirrors `asyncio._get_running_loop()`: the running loop or `null`, without throwing.
 * @example
 * import { _getRunningLoop } from "@asyncio-ts/core";
 * console.log(_getRunningLoop()); // null
 */
export function _getRunningLoop(): AbstractEventLoop | null {
  return _getRunningLoopOrNull();
}

/**
 * Mirrors `asyncio.get_event_loop()`: the running loop, else the policy's current loop
 * (created on first use, as Python 3.13 still does in the main thread).
 * @example
 * import { getEventLoop } from "@asyncio-ts/core";
 * const loop = getEventLoop();
 * console.log(loop.isClosed()); // false
 */
export function getEventLoop(): AbstractEventLoop {
  return _getRunningLoopOrNull() ?? getEventLoopPolicy().getEventLoop();
}

/**
 * Mirrors `asyncio.set_event_loop(loop)`.
 * @example
 * import { newEventLoop, setEventLoop } from "@asyncio-ts/core";
 * const loop = newEventLoop();
 * setEventLoop(loop);
 */
export function setEventLoop(loop: AbstractEventLoop | null): void {
  getEventLoopPolicy().setEventLoop(loop);
}

/**
 * Mirrors `asyncio.new_event_loop()`: a new loop from the current policy.
 * @example
 * import { newEventLoop } from "@asyncio-ts/core";
 * const loop = newEventLoop();
 * loop.close();
 */
export function newEventLoop(): AbstractEventLoop {
  return getEventLoopPolicy().newEventLoop();
}

_setGetEventLoopHook(getEventLoop);
