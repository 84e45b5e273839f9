#!/usr/bin/env node
// The browser tests (apps/trace-viewer) drive a real headless Chromium: Debian's `chromium`
// package. When no Chromium is on PATH and this is a root shell with apt-get (CI, a fresh
// machine), install it; otherwise say that those tests will be skipped. Set
// ASYNCIO_TS_NO_CHROMIUM_INSTALL=1 to never install.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const has = (cmd) => spawnSync("which", [cmd], { encoding: "utf8" }).status === 0;

/**
 * The Chromium the browser tests drive: `$CHROMIUM_PATH`, else the first of Debian's
 * `chromium`, `chromium-browser` or `google-chrome` on PATH; `null` if there is none.
 */
export function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  for (const name of ["chromium", "chromium-browser", "google-chrome"]) {
    const r = spawnSync("which", [name], { encoding: "utf8" });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return null;
}

export function ensureChromium() {
  if (findChromium() !== null) return true;
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  if (process.env.ASYNCIO_TS_NO_CHROMIUM_INSTALL === "1" || !root || !has("apt-get")) {
    console.log("\nNo Chromium on PATH: the browser tests will be skipped.");
    return false;
  }
  console.log("\n$ apt-get install -y --no-install-recommends chromium (for the browser tests)");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const install = () =>
    spawnSync("apt-get", ["install", "-y", "-q", "--no-install-recommends", "chromium"], {
      stdio: "inherit",
      env,
    }).status === 0;
  if (!install()) {
    spawnSync("apt-get", ["update", "-q"], { stdio: "inherit", env });
    if (!install()) {
      console.log("Could not install chromium: the browser tests will be skipped.");
      return false;
    }
  }
  return findChromium() !== null;
}

if (import.meta.url === `file://${process.argv[1]}`) ensureChromium();
