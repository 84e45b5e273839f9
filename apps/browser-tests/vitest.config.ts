import { fileURLToPath } from "node:url";
import { playwright } from "@vitest/browser-playwright";
import { defineConfig } from "vitest/config";
import { findChromium } from "../../scripts/ensure-chromium.mjs";

const executablePath = findChromium();
const root = fileURLToPath(new URL("../..", import.meta.url));
const conditions = ["@asyncio-ts/source", "browser", "module", "import", "default"];

// The test files of the runtime-agnostic packages that need nothing from Node (no child
// processes for CPython oracles, no forced GC): each runs unchanged in the browser.
const files = {
  core: ["bad-input", "call-graph", "context", "errors", "handle", "policy", "runners", "tracer"],
  time: ["async-with", "properties", "sleep", "timeout", "wait-for"],
  combinators: [
    "as-completed",
    "async-with",
    "call-graph",
    "gather",
    "properties",
    "shield",
    "task-group",
    "wait",
  ],
  sync: [
    "async-with",
    "barrier",
    "condition",
    "event",
    "lifo-queue",
    "lock",
    "lock-like",
    "priority-queue",
    "properties",
    "queue",
    "semaphore",
  ],
  promise: ["run-coroutine-threadsafe", "to-readable-stream", "virtual-time"],
  testing: ["virtual-time-event-loop"],
};

export default defineConfig({
  root,
  resolve: { conditions },
  test: {
    // Without a Chromium there is nothing to run here (the same files run in Node anyway).
    include:
      executablePath === null
        ? []
        : Object.entries(files).flatMap(([pkg, names]) =>
            names.map((n) => `packages/${pkg}/test/${n}.test.ts`),
          ),
    reporters: [
      "default",
      ["json", { outputFile: fileURLToPath(new URL(".vitest-report.json", import.meta.url)) }],
    ],
    passWithNoTests: executablePath === null,
    browser: {
      enabled: executablePath !== null,
      headless: true,
      // Screenshots of failures would land in the packages' test folders.
      screenshotFailures: false,
      provider: playwright({
        launchOptions: { executablePath: executablePath ?? undefined, args: ["--no-sandbox"] },
      }),
      instances: [{ browser: "chromium" }],
    },
  },
});
