/** A short, Python-repr-like description of any value, for error messages. */
export function describe(v: unknown): string {
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  switch (typeof v) {
    case "string":
      return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
    case "number":
    case "boolean":
    case "bigint":
      return String(v);
    case "symbol":
      return v.toString();
    case "function":
      return `[Function ${(v as { name?: string }).name || "(anonymous)"}]`;
    default: {
      const o = v as { toString?: () => string; constructor?: { name?: string } };
      if (typeof o.toString === "function" && o.toString !== Object.prototype.toString) {
        try {
          return o.toString();
        } catch {
          /* fall through */
        }
      }
      const tag = Object.prototype.toString.call(v).slice(8, -1);
      const name = o.constructor?.name;
      return name && name !== tag ? `[${tag} ${name}]` : `[${tag}]`;
    }
  }
}

/** Python-like repr of an exception: `Error('boom')`. */
export function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.name}(${JSON.stringify(e.message)})`;
  return describe(e);
}

/** The type name Python would print in "not 'int'" messages, for a JS value. */
export function typeName(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "object" || typeof v === "function") {
    return (v as { constructor?: { name?: string } }).constructor?.name || typeof v;
  }
  return typeof v;
}
