import "./default-executor.js";

export { wrapFuture } from "@asyncio-ts/core";
export { BrokenExecutor, BrokenProcessPool, BrokenThreadPool } from "./errors.js";
export { ExecutorFuture } from "./executor-future.js";
export { ExecutorMap, type MapItem } from "./map.js";
export type { MapIterables, MapOptions, ShutdownOptions } from "./pool-executor.js";
export { ProcessPoolExecutor, type ProcessPoolExecutorOptions } from "./process-pool.js";
export { inWorker, type ModuleReference, moduleFunction } from "./sendable.js";
export { ThreadPoolExecutor, type ThreadPoolExecutorOptions } from "./thread-pool.js";
export { runInExecutor, toThread } from "./to-thread.js";
