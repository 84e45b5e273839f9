import { sharedConfig } from "../../vitest.shared.js";

// `--expose-gc` lets the tests force a collection, so "exception was never retrieved" (reported
// when the collector reclaims a future) is testable.
export default sharedConfig({ execArgv: ["--expose-gc"] });
