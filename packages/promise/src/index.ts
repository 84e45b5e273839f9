export { ConcurrentHandle } from "./concurrent-handle.js";
export { type FromPromiseOptions, fromPromise, type PromiseFactory } from "./from-promise.js";
export { runCoroutineThreadsafe } from "./run-coroutine-threadsafe.js";
export { toPromise } from "./to-promise.js";
