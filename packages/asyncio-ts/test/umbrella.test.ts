import * as combinators from "@asyncio-ts/combinators";
import * as core from "@asyncio-ts/core";
import * as executors from "@asyncio-ts/executors";
import * as promise from "@asyncio-ts/promise";
import * as sync from "@asyncio-ts/sync";
import * as testing from "@asyncio-ts/testing";
import * as time from "@asyncio-ts/time";
import { describe, expect, it } from "vitest";
import * as asyncio from "../src/index.js";

describe("asyncio-ts (the umbrella)", () => {
  it.each([
    ["@asyncio-ts/core", core],
    ["@asyncio-ts/time", time],
    ["@asyncio-ts/testing", testing],
    ["@asyncio-ts/sync", sync],
    ["@asyncio-ts/combinators", combinators],
    ["@asyncio-ts/promise", promise],
    ["@asyncio-ts/executors", executors],
  ])("re-exports every runtime export of %s, as the same object", (_name, pkg) => {
    for (const [key, value] of Object.entries(pkg)) {
      expect(asyncio, `missing ${key}`).toHaveProperty(key);
      expect((asyncio as Record<string, unknown>)[key]).toBe(value);
    }
  });

  it("reads like Python: asyncio.run(main()) with asyncio.sleep on virtual time", async () => {
    const lines: string[] = [];
    await asyncio.runVirtual(
      (function* () {
        lines.push("hello");
        yield* asyncio.sleep(1);
        lines.push(`world at ${asyncio.getRunningLoop().time()}`);
      })(),
    );
    expect(lines).toEqual(["hello", "world at 1"]);
  });
});
