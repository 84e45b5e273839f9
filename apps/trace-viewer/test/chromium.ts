import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

/**
 * The Chromium to drive: `$CHROMIUM_PATH`, else the first of Debian's `chromium` (what
 * `scripts/ensure-chromium.mjs` installs) or a Chrome on PATH; `null` if there is none.
 */
export function findChromium(): string | null {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  for (const name of ["chromium", "chromium-browser", "google-chrome"]) {
    try {
      const path = execFileSync("which", [name], { encoding: "utf8" }).trim();
      if (path) return path;
    } catch {}
  }
  return null;
}
