/** A short description of any value, for error messages. */
export function describeValue(v: unknown): string {
  if (v === null) return "null";
  switch (typeof v) {
    case "undefined":
      return "undefined";
    case "string":
      return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
    case "number":
    case "boolean":
      return String(v);
    case "bigint":
      return `${v}n`;
    case "symbol":
      return v.toString();
    case "function":
      return `[Function ${(v as { name?: string }).name || "(anonymous)"}]`;
    default: {
      const tag = Object.prototype.toString.call(v).slice(8, -1);
      const name = (v as { constructor?: { name?: string } }).constructor?.name;
      return name && name !== tag ? `[${tag} ${name}]` : `[${tag}]`;
    }
  }
}

/** Checks an options argument: `undefined`/`null` or a plain object with only `known` keys. */
export function checkOptions(
  options: unknown,
  known: readonly string[],
  where: string,
): Record<string, unknown> {
  if (options === undefined || options === null) return {};
  if (typeof options !== "object" || Array.isArray(options)) {
    throw new TypeError(
      `Expected the options of ${where} to be an object, got ${describeValue(options)}`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new TypeError(
        `${where} got an unexpected option \`${key}\` (known: ${known.join(", ")})`,
      );
    }
  }
  return options as Record<string, unknown>;
}

/** Checks an optional boolean option. */
export function checkBoolean(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "boolean") {
    throw new TypeError(`Expected \`${name}\` to be a boolean, got ${describeValue(value)}`);
  }
  return value;
}
