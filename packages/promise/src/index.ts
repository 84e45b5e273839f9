export { ConcurrentHandle } from "./concurrent-handle.js";
export { type AdaptedAIterator, fromAsyncIterable } from "./from-async-iterable.js";
export { type FromPromiseOptions, fromPromise, type PromiseFactory } from "./from-promise.js";
export { runCoroutineThreadsafe } from "./run-coroutine-threadsafe.js";
export {
  type AdaptedAsyncIterator,
  type ToAsyncIterableOptions,
  toAsyncIterable,
} from "./to-async-iterable.js";
export { toPromise } from "./to-promise.js";
export { type ToReadableStreamOptions, toReadableStream } from "./to-readable-stream.js";
