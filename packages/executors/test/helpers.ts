import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { moduleFunction, ProcessPoolExecutor, ThreadPoolExecutor } from "../src/index.js";

const JOBS = new URL("./fixtures/jobs.mjs", import.meta.url);

/** Exports of test/fixtures/jobs.mjs, by module reference. */
export const jobs = {
  block: moduleFunction<(ms: number) => number>(JOBS, "block"),
  blockThenMark: moduleFunction<(ms: number, path: string, line: string) => string>(
    JOBS,
    "blockThenMark",
  ),
  mark: moduleFunction<(path: string, line: string) => string>(JOBS, "mark"),
  whereAmI: moduleFunction<() => { pid: number; threadId: number }>(JOBS, "whereAmI"),
  fib: moduleFunction<(n: number) => number>(JOBS, "fib"),
  throwCustom: moduleFunction<(message: string) => never>(JOBS, "throwCustom"),
  addSecret: moduleFunction<(x: number) => number>(JOBS, "addSecret"),
};
export const JOBS_URL = JOBS.href;

/** Both executors, for `describe.each`. */
export const POOLS = [
  { kind: "thread", Executor: ThreadPoolExecutor, Broken: "BrokenThreadPool" },
  { kind: "process", Executor: ProcessPoolExecutor, Broken: "BrokenProcessPool" },
] as const;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A fresh file path in a temporary directory (removed after the test file). */
export function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), "asyncio-ts-executors-"));
  dirs.push(dir);
  return join(dir, "marks.txt");
}

/** The lines written to a side-channel file so far. */
export function marks(path: string): string[] {
  try {
    return readFileSync(path, "utf8").split("\n").filter(Boolean);
  } catch {
    return [];
  }
}

/** Waits `ms` real milliseconds. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until `check()` holds (polling), failing after `ms`. */
export async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await pause(2);
  }
}

/** OS threads of this process (Linux); worker threads are among them. */
export function osThreads(): number | null {
  try {
    return readdirSync("/proc/self/task").length;
  } catch {
    return null;
  }
}

/** Whether a process with this pid is alive. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** What `p` rejected with (fails if it fulfilled). */
export async function rejection(p: PromiseLike<unknown>): Promise<unknown> {
  let value: unknown;
  try {
    value = await p;
  } catch (e) {
    return e;
  }
  throw new Error(`expected a rejection, got ${String(value)}`);
}
