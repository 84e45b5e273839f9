// The CPython oracle: run a Python asyncio twin (Node only: a child process).
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
