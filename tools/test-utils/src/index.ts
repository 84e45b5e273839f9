// Shared test helpers. In a browser (the "browser" export condition) `browser.ts` stands in:
// the same helpers, with no CPython oracle.
export * from "./common.js";
export { hasPython, pythonOracle, runPython } from "./python.js";
