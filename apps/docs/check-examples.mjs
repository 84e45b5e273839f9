#!/usr/bin/env node
// Type-checks every code example the docs show: each `@example` in the TSDoc of the packages'
// sources, and each ```ts block in the guide pages (docs/*.md), the root README and the package
// READMEs (a block fenced ```ts fragment is a piece of a larger program, and is not checked). Each becomes a module under .examples/ (one file per example, named after where it
// came from), checked by tsc against the workspace packages' sources (the `@asyncio-ts/source`
// condition, so nothing needs building first). Exits non-zero, naming the example, on any error.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

const here = new URL(".", import.meta.url).pathname;
const root = join(here, "..", "..");
const out = join(here, ".examples");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** The `@example` blocks of a TSDoc-commented source file, with the line each starts on. */
function tsdocExamples(file) {
  const lines = readFileSync(file, "utf8").split("\n");
  const found = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== "* @example") continue;
    const body = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const t = lines[j].trim();
      if (t.startsWith("*/") || /^\* @\w/.test(t)) break;
      body.push(lines[j].replace(/^\s*\* ?/, ""));
    }
    found.push({ line: i + 1, code: body.join("\n") });
    i = j - 1;
  }
  return found;
}

/** The ```ts blocks of a markdown file. */
function markdownExamples(file) {
  const text = readFileSync(file, "utf8");
  const found = [];
  for (const m of text.matchAll(/```ts\n([\s\S]*?)```/g)) {
    found.push({ line: text.slice(0, m.index).split("\n").length, code: m[1] });
  }
  return found;
}

const sources = [];
for (const pkg of readdirSync(join(root, "packages"))) {
  const src = join(root, "packages", pkg, "src");
  for (const f of walk(src)) {
    if (f.endsWith(".ts") && !f.includes(`${"/"}internal${"/"}`))
      sources.push([f, tsdocExamples(f)]);
  }
  const readme = join(root, "packages", pkg, "README.md");
  if (existsSync(readme)) sources.push([readme, markdownExamples(readme)]);
}
for (const f of readdirSync(join(root, "docs"))) {
  if (f.endsWith(".md"))
    sources.push([join(root, "docs", f), markdownExamples(join(root, "docs", f))]);
}
sources.push([join(root, "README.md"), markdownExamples(join(root, "README.md"))]);

// "Coming from Python" promises the full name table: every name the umbrella exports is on it.
const umbrella = readFileSync(join(root, "packages", "asyncio-ts", "src", "index.ts"), "utf8");
const exported = [...umbrella.matchAll(/export\s*\{([^}]*)\}/g)].flatMap((m) =>
  m[1]
    .split(",")
    .map((x) => x.trim().replace(/^type\s+/, ""))
    .filter(Boolean),
);
const table = readFileSync(join(root, "docs", "coming-from-python.md"), "utf8");
const missing = exported.filter(
  (n) => !new RegExp(`[\`(/ ]${n.replace(/\$/g, "\\$")}[\`(<. ,/)]`).test(table),
);
if (missing.length > 0) {
  console.error(`docs/coming-from-python.md does not name these exports: ${missing.join(", ")}`);
  process.exit(1);
}

let count = 0;
const origin = new Map();
for (const [file, examples] of sources) {
  for (const { line, code } of examples) {
    const name = `${relative(root, file).replace(/[/.]/g, "_")}_L${line}.ts`;
    origin.set(name, `${relative(root, file)}:${line}`);
    // A module, so top-level await and same-named declarations in two examples are fine.
    writeFileSync(join(out, name), `${code}\nexport {};\n`);
    count++;
  }
}
writeFileSync(
  join(out, "tsconfig.json"),
  JSON.stringify(
    {
      extends: "../../../tsconfig.base.json",
      compilerOptions: {
        noEmit: true,
        composite: false,
        incremental: false,
        declaration: false,
        declarationMap: false,
        types: ["node"],
        // Examples show usage, not every branch: an unused import or local is fine there.
        noUnusedLocals: false,
      },
      include: ["*.ts"],
    },
    null,
    2,
  ),
);
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
const r = spawnSync(process.execPath, [tsc, "-p", join(out, "tsconfig.json")], {
  encoding: "utf8",
  cwd: here,
});
const report = (r.stdout + r.stderr).replace(
  /\.examples\/(\S+?\.ts)\((\d+),(\d+)\)/g,
  (_, f, l, c) => {
    const [file, start] = (origin.get(f) ?? `${f}:0`).split(/:(?=\d+$)/);
    return `${file}:${Number(start) + Number(l)} (example line ${l}, col ${c})`;
  },
);
if (r.status !== 0) {
  console.error(report);
  console.error(`${count} examples checked; the errors above are in the docs' examples.`);
  process.exit(1);
}
console.log(
  `${count} examples type-check; the Python name table covers all ${exported.length} exports.`,
);
