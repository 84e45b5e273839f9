// The packages as a user gets them: packed by pnpm (which rewrites `workspace:` ranges), linted by
// publint and arethetypeswrong, and, for core + time, installed alone into a project outside the
// workspace, where the time package's README example is type-checked against the installed
// declarations and run.
import { execFileSync, spawnSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = new URL("../../../", import.meta.url).pathname;
const here = new URL("../", import.meta.url).pathname;
const bin = (dir: string, name: string) => join(dir, "node_modules", ".bin", name);

/** The published packages: every directory under packages/ whose package.json is not private. */
const packages = readdirSync(join(root, "packages"))
  .map((d) => join(root, "packages", d))
  .filter((d) => {
    const pkg = JSON.parse(readFileSync(join(d, "package.json"), "utf8"));
    return pkg.private !== true;
  })
  .map((dir) => ({ dir, name: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).name }));

let out = "";
const tarballs = new Map<string, string>();

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), "asyncio-ts-packs-"));
  for (const { dir, name } of packages) {
    const before = new Set(readdirSync(out));
    execFileSync(bin(root, "pnpm"), ["pack", "--pack-destination", out], {
      cwd: dir,
      stdio: "pipe",
    });
    const made = readdirSync(out).filter((f) => !before.has(f));
    expect(made).toHaveLength(1);
    tarballs.set(name, join(out, made[0]!));
  }
}, 120_000);

afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

/** The sum of the file sizes in a .tgz (a ustar archive: 512-byte headers, size in octal). */
function unpackedBytes(tgz: string): number {
  const tar = gunzipSync(readFileSync(tgz));
  let total = 0;
  for (let off = 0; off + 512 <= tar.length; ) {
    const header = tar.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const size = Number.parseInt(header.subarray(124, 136).toString("latin1").trim() || "0", 8);
    const type = String.fromCharCode(header[156]!);
    if (type === "0" || type === "\0") total += size;
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return total;
}

describe.each(packages)("$name as published", ({ name }) => {
  it("passes publint --strict", () => {
    const r = execFileSync(bin(here, "publint"), [tarballs.get(name)!, "--strict"], {
      encoding: "utf8",
      stdio: "pipe",
    });
    expect(r).toContain("All good!");
  }, 60_000);

  it("passes arethetypeswrong (ESM only: node16 from ESM and bundlers)", () => {
    // Throws (a non-zero exit) when any entry point has a problem under the profile.
    execFileSync(
      bin(here, "attw"),
      [tarballs.get(name)!, "--profile", "esm-only", "--format", "ascii"],
      { encoding: "utf8", stdio: "pipe" },
    );
  }, 60_000);
});

describe("sizes", () => {
  it("reports the packed and unpacked size of every package, and keeps core and the umbrella small", () => {
    const rows = packages.map(({ name }) => {
      const tgz = tarballs.get(name)!;
      return { name, packedKB: statSync(tgz).size / 1024, unpackedKB: unpackedBytes(tgz) / 1024 };
    });
    console.log(
      rows
        .map(
          (r) =>
            `${r.name.padEnd(24)} ${r.packedKB.toFixed(1)} kB packed, ${r.unpackedKB.toFixed(1)} kB unpacked`,
        )
        .join("\n"),
    );
    const size = (n: string) => rows.find((r) => r.name === n)!;
    // Sources and source maps ship too (the `@asyncio-ts/source` condition); a budget catches
    // something large slipping into `files`.
    expect(size("@asyncio-ts/core").packedKB).toBeLessThan(250);
    expect(size("asyncio-ts").packedKB).toBeLessThan(20);
  });
});

describe("install only what you need", () => {
  it("core + time alone install outside the workspace and run the time README's example", () => {
    const project = mkdtempSync(join(tmpdir(), "asyncio-ts-user-"));
    try {
      writeFileSync(
        join(project, "package.json"),
        JSON.stringify({ name: "user-project", private: true, type: "module" }),
      );
      execFileSync(
        "npm",
        [
          "install",
          "--no-audit",
          "--no-fund",
          "--prefer-offline",
          tarballs.get("@asyncio-ts/core")!,
          tarballs.get("@asyncio-ts/time")!,
        ],
        { cwd: project, stdio: "pipe" },
      );
      // Nothing else came along: the two packages have no other dependencies.
      const installed = readdirSync(join(project, "node_modules")).filter(
        (f) => !f.startsWith("."),
      );
      expect(installed).toEqual(["@asyncio-ts"]);
      expect(readdirSync(join(project, "node_modules", "@asyncio-ts")).sort()).toEqual([
        "core",
        "time",
      ]);

      const readme = readFileSync(join(root, "packages", "time", "README.md"), "utf8");
      const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
      expect(example).toBeDefined();
      mkdirSync(join(project, "src"));
      writeFileSync(join(project, "src", "example.ts"), example!);
      writeFileSync(
        join(project, "tsconfig.json"),
        JSON.stringify({
          compilerOptions: {
            target: "es2022",
            module: "nodenext",
            moduleResolution: "nodenext",
            // `Runner`, the executors and `lock.hold()` are (async) disposables: their
            // declarations need the disposable lib (TS 5.2+), as the core README says.
            lib: ["es2023", "dom", "esnext.disposable"],
            types: [],
            strict: true,
            outDir: "out",
            rootDir: "src",
          },
          include: ["src"],
        }),
      );
      // Type-checked against the installed declarations (no source condition out here), with
      // skipLibCheck off so that the packages' own .d.ts files are checked too.
      const tsc = spawnSync(
        process.execPath,
        [join(root, "node_modules", "typescript", "bin", "tsc")],
        { cwd: project, encoding: "utf8" },
      );
      expect(tsc.stdout + tsc.stderr).toBe("");
      expect(tsc.status).toBe(0);
      const printed = execFileSync(process.execPath, [join(project, "out", "example.js")], {
        cwd: project,
        encoding: "utf8",
      })
        .trim()
        .split("\n");
      expect(printed).toHaveLength(3);
      expect(printed[0]).toMatch(/^deadline was \d+(\.\d+)? expired\? false$/);
      expect(printed.slice(1)).toEqual(["payload", "too slow; cause: CancelledError"]);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  }, 180_000);
});
