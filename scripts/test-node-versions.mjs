#!/usr/bin/env node
// Runs every package's tests again on other Node versions (default 22 and 24; or the ones given
// as arguments), each fetched from the npm registry's `node` package. The machine's own Node runs
// them in `pnpm check`. Prints one summary line per version; exits non-zero if any test failed.
import { execFileSync, spawnSync } from "node:child_process";
import { delimiter, dirname, join } from "node:path";
import { clearReports, sumReports } from "./vitest-reports.mjs";

const root = new URL("..", import.meta.url).pathname;
const versions = process.argv.length > 2 ? process.argv.slice(2) : ["22", "24"];
let failed = false;
for (const v of versions) {
  const node = execFileSync("npx", ["--yes", `node@${v}`, "-p", "process.execPath"], {
    encoding: "utf8",
    cwd: root,
  }).trim();
  const version = execFileSync(node, ["--version"], { encoding: "utf8" }).trim();
  console.log(`\n$ turbo run test --force (${version})`);
  clearReports();
  // `node` on PATH is what pnpm scripts and vitest's shebang pick; --force, because turbo's cache
  // key does not include the Node version.
  const r = spawnSync(
    join(root, "node_modules", ".bin", "turbo"),
    ["run", "test", "--force", "--output-logs=errors-only", "--concurrency=2", "--continue"],
    {
      stdio: "inherit",
      cwd: root,
      env: {
        ...process.env,
        PATH: [dirname(node), join(root, "node_modules", ".bin"), process.env.PATH].join(delimiter),
        TURBO_TELEMETRY_DISABLED: "1",
        DO_NOT_TRACK: "1",
      },
    },
  );
  const { passed, failed: failures } = sumReports();
  if (r.status !== 0 || failures > 0 || passed === 0) failed = true;
  console.log(`Node ${version}: Tests: ${passed} passed, ${failures} failed`);
}
process.exit(failed ? 1 : 0);
