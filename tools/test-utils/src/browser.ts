// The helpers as a browser test sees them: no child processes, so no CPython oracle
// (`hasPython` is false and oracle tests skip).
export * from "./common.js";

/** No CPython in a browser. */
export function pythonOracle(): null {
  return null;
}

/** False in a browser: `it.skipIf(!hasPython)` skips the oracle tests. */
export const hasPython = false;

/** Throws: a browser cannot run a Python twin. */
export function runPython(_code: string): string[] {
  throw new Error("CPython twins cannot run in a browser");
}
