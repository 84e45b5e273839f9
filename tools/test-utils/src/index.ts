import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const PY_DIR = fileURLToPath(new URL("../python/", import.meta.url));

function findPython(): string | null {
  for (const [cmd, env] of [
    ["python3", { PYENV_VERSION: "3.13.0" }],
    ["python3.13", {}],
    ["python3", {}],
  ] as const) {
    const r = spawnSync(cmd, ["-c", "import sys; print(sys.version_info[:2] >= (3, 12))"], {
      env: { ...process.env, ...env },
      encoding: "utf8",
    });
    if (r.status === 0 && r.stdout.trim() === "True") return `${cmd}\u0000${JSON.stringify(env)}`;
  }
  return null;
}

let cached: string | null | undefined;

/** The CPython (>= 3.12, preferring 3.13) used as the oracle, or null when there is none. */
export function pythonOracle(): { cmd: string; env: Record<string, string> } | null {
  if (cached === undefined) cached = findPython();
  if (cached === null) return null;
  const [cmd, env] = cached.split("\u0000") as [string, string];
  return { cmd, env: JSON.parse(env) as Record<string, string> };
}

/** True when a CPython oracle is available (use with `it.skipIf(!hasPython)`). */
export const hasPython: boolean = pythonOracle() !== null;

/**
 * Run a Python asyncio twin and return its stdout lines. The module `vtime` (a virtual-time
 * loop: `vtime.run(main())`) is importable. Throws if Python fails.
 */
export function runPython(code: string): string[] {
  const py = pythonOracle();
  if (py === null) throw new Error("no python3 >= 3.12 available");
  const r = spawnSync(py.cmd, ["-c", code], {
    env: {
      ...process.env,
      ...py.env,
      PYTHONPATH: PY_DIR,
      PYTHONWARNINGS: "ignore",
      PYTHONDONTWRITEBYTECODE: "1",
    },
    encoding: "utf8",
    timeout: 60_000,
  });
  if (r.status !== 0) {
    throw new Error(`python twin failed (${r.status}):\n${r.stderr}\n--- code ---\n${code}`);
  }
  return r.stdout.split("\n").filter((l) => l.length > 0);
}

/**
 * Collects a trace from TS code: `const t = trace(); t.log("a", 1)` records "a 1" (values
 * joined by spaces like Python's print).
 */
export function trace(): { log: (...parts: unknown[]) => void; lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    log: (...parts: unknown[]) => {
      lines.push(parts.map((p) => (typeof p === "string" ? p : pyStr(p))).join(" "));
    },
  };
}

/** Python's str() for the values twins print: None/True/False, lists, floats. */
export function pyStr(v: unknown): string {
  if (v === null || v === undefined) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(v);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(", ")}]`;
  return String(v);
}

function pyRepr(v: unknown): string {
  if (typeof v === "string") return `'${v}'`;
  return pyStr(v);
}

/** Python's str() of a float: `2` → "2.0", `0.1` → "0.1". Use for times and delays. */
export function pyFloat(n: number): string {
  if (Number.isInteger(n)) return `${n}.0`;
  return String(n);
}

/** One host macrotask: lets FinalizationRegistry callbacks and host timers run. */
export function macrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

const gcFn = (globalThis as { gc?: () => void }).gc;

/** True when the process runs with `--expose-gc` (a package's vitest.config.ts asks for it). */
export const hasGc: boolean = typeof gcFn === "function";

/**
 * Force full collections until `done()` holds or `tries` rounds pass; finalizers run between
 * rounds. Returns whether `done()` held. A `WeakRef.deref()` in `done()` keeps its target alive
 * until the current job ends, so the collection always runs in a later job than the check.
 */
export async function collectUntil(done: () => boolean, tries = 20): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    if (done()) return true;
    await macrotask();
    gcFn?.();
    await macrotask();
  }
  return done();
}

/** Install an exception handler on `loop` that records every context it gets. */
export function captureExceptions<C>(loop: {
  setExceptionHandler(handler: (loop: unknown, context: C) => void): void;
}): C[] {
  const seen: C[] = [];
  loop.setExceptionHandler((_loop, ctx) => {
    seen.push(ctx);
  });
  return seen;
}
