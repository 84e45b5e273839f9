import { sharedConfig } from "../../vitest.shared.js";

// `--expose-gc` lets the tests force a collection, so "Task exception was never retrieved"
// (reported when the collector reclaims the task, the JS twin of Python's `__del__`) is testable.
export default sharedConfig({ execArgv: ["--expose-gc"] });
