import { type AbstractEventLoop, DefaultEventLoopPolicy } from "@asyncio-ts/core";
import { VirtualTimeEventLoop } from "./virtual-time-event-loop.js";

/**
 * asyncio-ts's virtual-time policy: `run()`, `newEventLoop()` and `getEventLoop()` make
 * {@link VirtualTimeEventLoop}s. Setting it is the only change a program needs.
 * @example
 * import { run, setEventLoopPolicy, getRunningLoop } from "@asyncio-ts/core";
 * import { VirtualTimeEventLoopPolicy } from "@asyncio-ts/testing";
 * setEventLoopPolicy(new VirtualTimeEventLoopPolicy());
 * await run((function* () {
 *   console.log(getRunningLoop().time()); // 0
 * })());
 * setEventLoopPolicy(null);
 */
export class VirtualTimeEventLoopPolicy extends DefaultEventLoopPolicy {
  override newEventLoop(): AbstractEventLoop {
    return new VirtualTimeEventLoop();
  }
}
