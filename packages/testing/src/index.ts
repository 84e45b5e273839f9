export { runVirtual } from "./run-virtual.js";
export { VirtualTimeEventLoop } from "./virtual-time-event-loop.js";
export { VirtualTimeEventLoopPolicy } from "./virtual-time-event-loop-policy.js";
