// The driver: runs every workload on asyncio-ts, CPython asyncio and a native Node floor (and, for
// the executor rows, Piscina used directly), each measurement the median of N runs in fresh
// processes, and prints a ratio table.
//
//   node --expose-gc dist/main.js [--runs N] [--only name[,name...]] [--no-python] [--warmup] [--no-pin]
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { MAX_DELAY_MS, type Measurement, N_RT_WARM, RT_WORKERS } from "./params.js";
import { WORKLOADS, type Workload } from "./workloads.js";

const BENCH_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const CHILD = join(BENCH_DIR, "dist", "child.js");
const PY_DIR = join(BENCH_DIR, "python");
const OUT_DIR = join(BENCH_DIR, ".bench-out");
const CHILD_TIMEOUT_MS = 180_000;

type Impl = "asyncio-ts" | "cpython" | "native" | "piscina";
const IMPLS: readonly Impl[] = ["asyncio-ts", "cpython", "native", "piscina"];

// ---- command line ----------------------------------------------------------------------------

interface Options {
  runs: number;
  only: string[] | null;
  python: boolean;
  warmup: boolean;
  pin: boolean;
}

function usage(code: number): never {
  const names = WORKLOADS.map((w) => w.name).join(", ");
  (code === 0 ? console.log : console.error)(
    `usage: pnpm bench [--runs N] [--only name[,name...]] [--no-python] [--warmup] [--no-pin]\n` +
      `  --runs N      runs per measurement, each in a fresh process; the median is reported (default 5)\n` +
      `  --only names  run only these workloads: ${names}\n` +
      `  --no-python   skip the CPython column\n` +
      `  --warmup      run each workload once, unreported, before the measured run (same process)\n` +
      `  --no-pin      do not run the latency row's processes on one CPU (taskset -c 0)`,
  );
  process.exit(code);
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { runs: 5, only: null, python: true, warmup: false, pin: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes("=")
      ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)]
      : [a, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) usage(2);
      return v;
    };
    if (flag === "--") continue;
    else if (flag === "--runs") {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1) usage(2);
      opts.runs = n;
    } else if (flag === "--only") {
      const names = value()
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      for (const n of names) {
        if (!WORKLOADS.some((w) => w.name === n)) {
          console.error(`unknown workload "${n}"`);
          usage(2);
        }
      }
      opts.only = [...(opts.only ?? []), ...names];
    } else if (flag === "--no-python") opts.python = false;
    else if (flag === "--warmup") opts.warmup = true;
    else if (flag === "--no-pin") opts.pin = false;
    else if (flag === "--help" || flag === "-h") usage(0);
    else {
      console.error(`unknown argument "${a}"`);
      usage(2);
    }
  }
  return opts;
}

// ---- finding CPython -------------------------------------------------------------------------

interface Python {
  cmd: string;
  env: NodeJS.ProcessEnv;
  version: string;
}

/** `PYENV_VERSION=3.13.0 python3`, else plain `python3`, else none (the column is skipped). */
function findPython(): Python | null {
  const candidates: NodeJS.ProcessEnv[] = [
    { ...process.env, PYENV_VERSION: "3.13.0" },
    (() => {
      const env = { ...process.env };
      delete env.PYENV_VERSION;
      return env;
    })(),
  ];
  for (const env of candidates) {
    const r = spawnSync("python3", ["-c", "import sys, asyncio; print(sys.version.split()[0])"], {
      env,
      encoding: "utf8",
      timeout: 30_000,
    });
    if (r.status === 0 && r.stdout.trim() !== "") {
      return { cmd: "python3", env, version: r.stdout.trim() };
    }
  }
  return null;
}

// ---- running children ------------------------------------------------------------------------

/** `taskset`, if this machine has it (Linux, util-linux). */
const HAS_TASKSET = spawnSync("taskset", ["-c", "0", "true"]).status === 0;

function runChild(impl: Impl, w: Workload, py: Python | null, opts: Options): Measurement {
  let [cmd, args, env, cwd] =
    impl === "cpython"
      ? [py!.cmd, [join(PY_DIR, `${w.python ?? w.name}.py`)], py!.env, PY_DIR]
      : [process.execPath, ["--expose-gc", CHILD, impl, w.name], process.env, BENCH_DIR];
  if (w.pin === true && opts.pin && HAS_TASKSET) {
    args = ["-c", "0", cmd, ...args];
    cmd = "taskset";
  }
  const warmup = opts.warmup;
  const r = spawnSync(cmd, args, {
    env: { ...env, BENCH_WARMUP: warmup ? "1" : "0" },
    cwd,
    encoding: "utf8",
    timeout: CHILD_TIMEOUT_MS,
    maxBuffer: 16 * 1024 * 1024,
  });
  const fail = (why: string): never => {
    throw new Error(
      `${impl} ${w.name}: ${why}\n$ ${cmd} ${args.join(" ")}\n${r.stderr ?? ""}${r.stdout ?? ""}`,
    );
  };
  if (r.error) fail(String(r.error));
  if (r.status !== 0) fail(`exit ${r.status ?? r.signal}`);
  const line = r.stdout.trim().split("\n").pop() ?? "";
  let m: Measurement;
  try {
    m = JSON.parse(line) as Measurement;
  } catch {
    return fail(`no JSON line in the output`);
  }
  if (typeof m.value !== "number" || !Number.isFinite(m.value)) fail(`bad value ${line}`);
  return m;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

interface Cell {
  median: number;
  runs: number[];
  n: number;
  extra?: Record<string, number> | undefined;
}

type Row = Record<Impl, Cell | null>;

function measure(w: Workload, opts: Options, py: Python | null): Row {
  const impls = IMPLS.filter(
    (i) => (i !== "cpython" || py !== null) && (i !== "piscina" || w.piscina === true),
  );
  const samples = new Map<Impl, Measurement[]>(impls.map((i) => [i, []]));
  // Round-robin over the implementations so drift on the machine hits them all alike.
  for (let run = 0; run < opts.runs; run++) {
    for (const impl of impls) {
      const m = runChild(impl, w, py, opts);
      samples.get(impl)!.push(m);
      process.stderr.write(
        `  ${w.name.padEnd(9)} run ${run + 1}/${opts.runs} ${impl.padEnd(10)} ${m.value.toFixed(2)}\n`,
      );
    }
  }
  const row: Row = { "asyncio-ts": null, cpython: null, native: null, piscina: null };
  for (const [impl, ms] of samples) {
    const values = ms.map((m) => m.value);
    row[impl] = { median: median(values), runs: values, n: ms[0]!.n, extra: ms[0]!.extra };
  }
  // The three must have run the same workload.
  const ref = row["asyncio-ts"]!;
  for (const impl of impls) {
    const c = row[impl]!;
    if (c.n !== ref.n) throw new Error(`${w.name}: ${impl} ran n=${c.n}, asyncio-ts n=${ref.n}`);
    const sum = c.extra?.delaySumMs;
    if (sum !== undefined && sum !== ref.extra?.delaySumMs) {
      throw new Error(`${w.name}: ${impl} delays differ (sum ${sum} vs ${ref.extra?.delaySumMs})`);
    }
    const check = c.extra?.checksum;
    if (check !== undefined && check !== ref.extra?.checksum) {
      throw new Error(`${w.name}: ${impl} checksum ${check}, asyncio-ts ${ref.extra?.checksum}`);
    }
  }
  return row;
}

// ---- formatting ------------------------------------------------------------------------------

function fmtMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

function fmtRate(perSec: number): string {
  if (perSec >= 1e6) return `${(perSec / 1e6).toFixed(perSec >= 1e8 ? 0 : 2)}M/s`;
  if (perSec >= 1e3) return `${(perSec / 1e3).toFixed(0)}k/s`;
  return `${perSec.toFixed(0)}/s`;
}

function fmtX(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

/** "3.10× faster" / "1.25× slower": how asyncio-ts compares, from a cost ratio ts/other. */
function fmtCompare(costRatio: number, better: string, worse: string): string {
  if (!Number.isFinite(costRatio) || costRatio <= 0) return "n/a";
  return costRatio <= 1 ? `${fmtX(1 / costRatio)}× ${better}` : `${fmtX(costRatio)}× ${worse}`;
}

/** The number the ratios compare: time, timer overhead, bytes or µs; all lower-is-better. */
function cost(w: Workload, c: Cell | null): number | null {
  if (c === null) return null;
  return w.kind === "timer" ? c.median - MAX_DELAY_MS : c.median;
}

function fmtCell(w: Workload, c: Cell | null): string {
  if (c === null) return "–";
  if (w.kind === "heap") return `${c.median.toFixed(1)} B/task`;
  if (w.kind === "latency") return `${c.median.toFixed(1)} µs`;
  if (w.kind === "timer") return `${fmtMs(c.median)} (+${fmtMs(c.median - MAX_DELAY_MS)})`;
  return `${fmtMs(c.median)} (${fmtRate((w.ops / c.median) * 1000)})`;
}

function fmtVs(w: Workload, ts: number | null, other: number | null): string {
  if (ts === null || other === null) return "–";
  return w.kind === "heap"
    ? fmtCompare(ts / other, "smaller", "larger")
    : fmtCompare(ts / other, "faster", "slower");
}

type Status = "✓" | "✗" | "–";

function status(w: Workload, row: Row): Status {
  const ts = cost(w, row["asyncio-ts"]);
  const py = cost(w, row.cpython);
  const nat = cost(w, row.native);
  const pis = cost(w, row.piscina);
  if (ts === null) return "–";
  const tenXPython = () => (py === null ? null : py / ts >= 10);
  let ok: boolean | null;
  switch (w.name) {
    case "callsoon": {
      const fast = (w.ops / ts) * 1000 >= 7e6;
      const vsPy = tenXPython();
      ok = !fast ? false : vsPy;
      break;
    }
    case "timers":
      ok = nat === null ? null : nat > 0 && ts <= 1.5 * nat;
      break;
    case "heap":
      ok = ts <= 400;
      break;
    case "queue":
      ok = py === null ? null : py / ts >= 4;
      break;
    case "agen":
      ok = py === null ? null : py / ts >= 5;
      break;
    case "rtt":
      ok = nat === null ? null : ts <= 1.5 * nat;
      break;
    case "jobs":
      // Throughput ≥ 0.8× Piscina's: time ≤ Piscina's time / 0.8.
      ok = pis === null ? null : 0.8 * ts <= pis;
      break;
    default:
      ok = tenXPython();
  }
  return ok === null ? "–" : ok ? "✓" : "✗";
}

function table(workloads: readonly Workload[], rows: Map<string, Row>): string {
  // The Piscina columns appear only when an executor row is in the table.
  const withPiscina = workloads.some((w) => w.piscina === true);
  const header = [
    "workload",
    "asyncio-ts",
    "CPython",
    "native",
    ...(withPiscina ? ["Piscina"] : []),
    "ratio vs CPython",
    "ratio vs native",
    ...(withPiscina ? ["ratio vs Piscina"] : []),
    "target",
    "status",
  ];
  const lines = [header, header.map(() => "---")];
  for (const w of workloads) {
    const row = rows.get(w.name)!;
    const ts = cost(w, row["asyncio-ts"]);
    lines.push([
      w.title,
      fmtCell(w, row["asyncio-ts"]),
      fmtCell(w, row.cpython),
      fmtCell(w, row.native),
      ...(withPiscina ? [fmtCell(w, row.piscina)] : []),
      fmtVs(w, ts, cost(w, row.cpython)),
      fmtVs(w, ts, cost(w, row.native)),
      ...(withPiscina ? [fmtVs(w, ts, cost(w, row.piscina))] : []),
      w.target,
      status(w, row),
    ]);
  }
  return lines.map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}

// ---- main ------------------------------------------------------------------------------------

function main(): void {
  const opts = parseArgs(process.argv.slice(2));
  const workloads = opts.only ? WORKLOADS.filter((w) => opts.only!.includes(w.name)) : WORKLOADS;
  const py = opts.python ? findPython() : null;
  const env = {
    node: process.version,
    python: py?.version ?? null,
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    runs: opts.runs,
    warmup: opts.warmup,
    loadavgBefore: loadavg(),
    loadavgAfter: [] as number[],
    date: new Date().toISOString(),
  };
  process.stderr.write(
    `asyncio-ts bench: node ${env.node}, ${py ? `CPython ${py.version}` : "no python3 found: CPython column skipped"}, ` +
      `${env.cores}× ${env.cpu}, median of ${opts.runs} fresh-process runs\n`,
  );

  const started = performance.now();
  const rows = new Map<string, Row>();
  for (const w of workloads) rows.set(w.name, measure(w, opts, py));
  const elapsed = (performance.now() - started) / 1000;
  env.loadavgAfter = loadavg();
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(" ");

  const out: string[] = [];
  out.push(
    `asyncio-ts vs CPython ${py?.version ?? "(not found)"} asyncio vs native Node ${env.node} — ` +
      `median of ${opts.runs} runs, each in a fresh process${opts.warmup ? " after one warm-up run" : ""} ` +
      `(${env.cores}× ${env.cpu})`,
    "",
    table(workloads, rows),
    "",
    "Throughput cells: median wall time (operations per second). Row 5: wall time from the first",
    `task created until all are done (timer overhead = wall − ${MAX_DELAY_MS} ms, the longest delay);`,
    "its ratios compare the overheads. Row 6: heap bytes per pending task (Node: heapUsed delta",
    "after gc(); CPython: tracemalloc delta). Row 10: median µs per round trip of a trivial job",
    `through a ${RT_WORKERS}-worker pool (CPython: asyncio.to_thread on a default executor of ${RT_WORKERS}`,
    `threads), after ${N_RT_WARM} untimed ones; ${
      opts.pin && HAS_TASKSET
        ? "every contender's process on one CPU (taskset -c 0; --no-pin to turn off)"
        : "processes not pinned to a CPU"
    }. Rows 10-11 also run Piscina used directly.`,
    "Ratio columns say how asyncio-ts compares.",
    "",
    "Native floors:",
    ...workloads.map((w) => `- ${w.title}: ${w.floor}`),
    "",
    `Total bench time ${elapsed.toFixed(0)} s; load average ${load(env.loadavgBefore)} before, ` +
      `${load(env.loadavgAfter)} after (on a shared box, read the ratios with that in mind).`,
  );
  console.log(out.join("\n"));

  const json = {
    env,
    workloads: workloads.map((w) => {
      const row = rows.get(w.name)!;
      const ts = cost(w, row["asyncio-ts"]);
      const py2 = cost(w, row.cpython);
      const nat = cost(w, row.native);
      const pis = cost(w, row.piscina);
      return {
        name: w.name,
        title: w.title,
        kind: w.kind,
        unit: w.kind === "heap" ? "bytes/task" : w.kind === "latency" ? "µs" : "ms",
        ops: w.ops,
        floor: w.floor,
        target: w.target,
        status: status(w, row),
        results: row,
        // Cost ratios (asyncio-ts / other) on time, timer overhead or bytes: < 1 is better.
        costRatioVsCPython: ts !== null && py2 !== null ? ts / py2 : null,
        costRatioVsNative: ts !== null && nat !== null ? ts / nat : null,
        costRatioVsPiscina: ts !== null && pis !== null ? ts / pis : null,
      };
    }),
  };
  mkdirSync(OUT_DIR, { recursive: true });
  const file = join(OUT_DIR, "results.json");
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
  process.stderr.write(`wrote ${file}\n`);
}

main();
