// The vitest JSON reports every workspace writes (`.vitest-report.json`): where they are, and
// their sum, for the one "Tests: N passed" line that check.mjs and test-node-versions.mjs print.
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const workspaces = ["packages", "apps", "tools"].flatMap((d) =>
  existsSync(join(root, d)) ? readdirSync(join(root, d)).map((p) => join(root, d, p)) : [],
);
const report = (ws) => join(ws, ".vitest-report.json");

/** Delete the reports of an earlier run. */
export function clearReports() {
  for (const ws of workspaces) rmSync(report(ws), { force: true });
}

/** The tests counted over every report: `{ passed, failed, skipped }`. */
export function sumReports() {
  const sum = { passed: 0, failed: 0, skipped: 0 };
  for (const ws of workspaces) {
    if (!existsSync(report(ws))) continue;
    const r = JSON.parse(readFileSync(report(ws), "utf8"));
    sum.passed += r.numPassedTests;
    sum.failed += r.numFailedTests;
    sum.skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  }
  return sum;
}
