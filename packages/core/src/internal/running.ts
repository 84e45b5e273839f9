import type { AbstractEventLoop } from "../abstract-event-loop.js";
import type { BaseEventLoop } from "../base-event-loop.js";

// The loop whose callbacks are executing right now. A guest loop is "running" (isRunning())
// between its host macrotasks too, but code that runs then (promise jobs, I/O callbacks) is
// outside the loop, as code on another thread is in Python.
let running: BaseEventLoop | null = null;

export function _getRunningLoopOrNull(): BaseEventLoop | null {
  return running;
}

export function _setRunningLoop(loop: BaseEventLoop | null): BaseEventLoop | null {
  const prev = running;
  running = loop;
  return prev;
}

// Set by the policy module; Futures created without a loop ask it, as Python's
// `events.get_event_loop()`. A hook (not an import) keeps future.ts below the loop modules.
let getEventLoopHook: (() => AbstractEventLoop) | null = null;

export function _setGetEventLoopHook(fn: () => AbstractEventLoop): void {
  getEventLoopHook = fn;
}

export function _defaultLoop(): BaseEventLoop {
  if (running !== null) return running;
  if (getEventLoopHook !== null) return getEventLoopHook() as BaseEventLoop;
  throw new TypeError("no event loop: pass a loop or create the future inside a running loop");
}
