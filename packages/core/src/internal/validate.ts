import { describe } from "./repr.js";

/** A loop time or delay: any number but NaN (±Infinity allowed, as in Python). */
export function checkTime(value: unknown, name: string): asserts value is number {
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new TypeError(
      `Expected \`${name}\` to be a number of seconds, got \`${describe(value)}\` (${typeof value})`,
    );
  }
}

export function checkCallback(cb: unknown, method: string): void {
  if (typeof cb !== "function") {
    throw new TypeError(`a callable object was expected by ${method}(), got ${describe(cb)}`);
  }
}
