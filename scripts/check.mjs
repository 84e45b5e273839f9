#!/usr/bin/env node
// Builds, typechecks, lints and tests every package (through turbo), then prints one summary
// line over all vitest reports: "Tests: N passed, M failed". CI runs this (`pnpm check`).
// First it makes sure the browser tests have a Chromium (scripts/ensure-chromium.mjs).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ensureChromium } from "./ensure-chromium.mjs";
import { clearReports, sumReports } from "./vitest-reports.mjs";

const root = new URL("..", import.meta.url).pathname;
clearReports();
ensureChromium();

const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" };
const steps = [
  [
    "turbo",
    [
      "run",
      "build",
      "typecheck",
      "lint",
      "test",
      "--output-logs=new-only",
      "--concurrency=2",
      "--continue",
    ],
  ],
  ["biome", ["check", "."]],
];
let failed = false;
for (const [cmd, args] of steps) {
  console.log(`\n$ ${cmd} ${args.join(" ")}`);
  const r = spawnSync(join(root, "node_modules", ".bin", cmd), args, {
    stdio: "inherit",
    env,
    cwd: root,
  });
  if (r.status !== 0) failed = true;
}

const { passed, failed: failures, skipped } = sumReports();
if (passed + failures === 0) failed = true;
console.log(`\nTests: ${passed} passed, ${failures} failed, ${skipped} skipped`);
process.exit(failed || failures > 0 ? 1 : 0);
