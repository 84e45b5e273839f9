import { describeValue } from "@asyncio-ts/core/shared";

export {
  badBodyResult,
  checkBody,
  checkOptionalSeconds,
  describeValue,
  isAwaitable,
  notAwaitableMessage,
} from "@asyncio-ts/core/shared";

/** A delay or loop time: any number but NaN (±Infinity allowed, as in Python). */
export function checkSeconds(value: unknown, name: string): asserts value is number {
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new TypeError(
      `Expected \`${name}\` to be a number of seconds, got \`${describeValue(value)}\` (${typeof value})`,
    );
  }
}
