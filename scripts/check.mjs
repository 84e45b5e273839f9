#!/usr/bin/env node
// Builds, typechecks, lints and tests every package (through turbo), then prints one summary
// line over all vitest reports: "Tests: N passed, M failed". CI runs this (`pnpm check`).
// First it makes sure the browser tests have a Chromium (scripts/ensure-chromium.mjs).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ensureChromium } from "./ensure-chromium.mjs";

const root = new URL("..", import.meta.url).pathname;
const workspaces = ["packages", "apps", "tools"].flatMap((d) =>
  existsSync(join(root, d)) ? readdirSync(join(root, d)).map((p) => join(root, d, p)) : [],
);
const report = (ws) => join(ws, ".vitest-report.json");
for (const ws of workspaces) rmSync(report(ws), { force: true });

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

let passed = 0;
let failures = 0;
let skipped = 0;
for (const ws of workspaces) {
  if (!existsSync(report(ws))) continue;
  const r = JSON.parse(readFileSync(report(ws), "utf8"));
  passed += r.numPassedTests;
  failures += r.numFailedTests;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
}
if (passed + failures === 0) failed = true;
console.log(`\nTests: ${passed} passed, ${failures} failed, ${skipped} skipped`);
process.exit(failed || failures > 0 ? 1 : 0);
