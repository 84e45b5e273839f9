// The package's one import side effect (declared in package.json "sideEffects"): the factory
// behind `loop.runInExecutor(null, ...)`, which makes each loop's default executor on first use,
// as CPython's loop makes its ThreadPoolExecutor.
import { setDefaultExecutorFactory } from "@asyncio-ts/core";
import { ThreadPoolExecutor } from "./thread-pool.js";

setDefaultExecutorFactory(() => new ThreadPoolExecutor());
