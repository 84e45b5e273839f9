// The umbrella: every package's public names, so `import * as asyncio from "asyncio-ts"` reads
// like Python. Each name is documented in its own package.
export * from "@asyncio-ts/core";
export * from "@asyncio-ts/testing";
export * from "@asyncio-ts/time";
