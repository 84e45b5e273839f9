// `@asyncio-ts/core/shared`: helpers the @asyncio-ts packages share, so every package words its
// bad-input errors the same way. Not part of the public API: no stability promise to users.

/**
 * A short description of a bad argument for error messages: `"1"`, `NaN`, `10n`,
 * `[Function f]`, `[Object]`, `[Object Point]`.
 */
export function describeValue(v: unknown): string {
  if (v === null) return "null";
  switch (typeof v) {
    case "string":
      return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
    case "bigint":
      return `${v}n`;
    case "symbol":
      return v.toString();
    case "function":
      return `[Function ${(v as { name?: string }).name || "(anonymous)"}]`;
    case "object": {
      const tag = Object.prototype.toString.call(v).slice(8, -1);
      const name = (v as { constructor?: { name?: string } }).constructor?.name;
      return name && name !== tag ? `[${tag} ${name}]` : `[${tag}]`;
    }
    default:
      return String(v);
  }
}
