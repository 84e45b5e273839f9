import { type AIterable, type AIterator, RuntimeError } from "@asyncio-ts/core";
import { streamBridges } from "./internal/bridge.js";
import { NEXT, Pump, RETURN } from "./internal/pump.js";
import { describeValue } from "./internal/validate.js";
import type { ToAsyncIterableOptions } from "./to-async-iterable.js";

/**
 * No Python twin; adapter: the options of {@link toReadableStream}.
 * @example
 * import type { ToReadableStreamOptions } from "@asyncio-ts/promise";
 * const options: ToReadableStreamOptions = { highWaterMark: 4 };
 */
export interface ToReadableStreamOptions extends ToAsyncIterableOptions {
  /**
   * How many items the stream pulls ahead of its reader (its queuing strategy's
   * `highWaterMark`, counting items). Default 0: an item is made only when a read asks for it.
   */
  highWaterMark?: number | null;
}

/**
 * No Python twin; adapter: a web `ReadableStream` over an asyncio-ts async iterable (closest:
 * the writer side of an `asyncio.StreamReader`, fed as the reader drains). Its `pull()` runs
 * one `anext()` as a task on the loop (the running one, or `options.loop`), only when the
 * stream wants an item: `highWaterMark` items ahead (default 0). An error from the source
 * errors the stream; `cancel()` awaits the source's `aclose()`.
 * @example
 * import { asyncGenerator, run } from "@asyncio-ts/core";
 * import { fromPromise, toReadableStream } from "@asyncio-ts/promise";
 * const words = asyncGenerator<string>(function* (emit) {
 *   yield* emit("hello ");
 *   yield* emit("world");
 * });
 * await run((function* () {
 *   const body = toReadableStream(words()).pipeThrough(new TextEncoderStream());
 *   console.log(yield* fromPromise(new Response(body).text())); // hello world
 * })());
 */
export function toReadableStream<T>(
  source: AIterable<T> | AIterator<T>,
  options?: ToReadableStreamOptions | null,
): ReadableStream<T> {
  const hwm = options != null && typeof options === "object" ? options.highWaterMark : undefined;
  if (hwm != null && (typeof hwm !== "number" || Number.isNaN(hwm))) {
    throw new TypeError(
      `Expected \`options.highWaterMark\` to be a number, got \`${describeValue(hwm)}\` (${typeof hwm})`,
    );
  }
  if (hwm != null && hwm < 0) {
    throw new RangeError(`Expected \`options.highWaterMark\` to be >= 0, got ${hwm}`);
  }
  if (typeof ReadableStream !== "function") {
    throw new RuntimeError(
      "toReadableStream() needs web streams: this runtime has no ReadableStream",
    );
  }
  const pump = new Pump<T>(source, options, "toReadableStream");
  let cancelled = false;
  const stream = new ReadableStream<T>(
    {
      pull(controller): Promise<void> {
        return pump.request(NEXT).then((r) => {
          if (cancelled) return;
          if (r.done) controller.close();
          else controller.enqueue(r.value as T);
        });
      },
      cancel(): Promise<void> {
        cancelled = true;
        return pump.request(RETURN).then(() => undefined);
      },
    },
    { highWaterMark: hwm ?? 0 },
  );
  streamBridges.set(stream, pump.bridge);
  return stream;
}
