import { describeValue } from "@asyncio-ts/core/shared";

export { describeValue };

/**
 * Throws `TypeError` unless `value` is a number (not `NaN`). Python raises `TypeError` for a
 * non-number only when it first compares it, which may be much later; this checks at the call.
 */
export function checkNumber(value: unknown, name: string): asserts value is number {
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new TypeError(
      `Expected \`${name}\` to be a number, got \`${describeValue(value)}\` (${typeof value})`,
    );
  }
}

/** Python's `repr()` of the values a queue's `toString()` lists. */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  if (typeof v === "string") return strRepr(v);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(", ")}]`;
  if (typeof v === "object" || typeof v === "function") return describeValue(v);
  return String(v);
}

function strRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    if (ch === q || ch === "\\") out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else out += ch;
  }
  return out + q;
}
