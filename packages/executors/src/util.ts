import { describeValue } from "@asyncio-ts/core/shared";

export { describeValue };

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
