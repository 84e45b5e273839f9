// Test helpers that run anywhere, Node or a browser.

/**
 * Await `aw` (a coroutine, Future or Task) and return what it threw; fails the test if it
 * returned instead. Generic in what `aw` yields, so it needs no import of core.
 */
export function* thrown<Y>(aw: {
  [Symbol.iterator](): Iterator<Y, unknown, unknown>;
}): Generator<Y, unknown, unknown> {
  let value: unknown;
  try {
    value = yield* aw;
  } catch (e) {
    return e;
  }
  throw new Error(`expected an error, got the result ${String(value)}`);
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
  // Browsers have no setImmediate; a zero timeout is a macrotask there too.
  const later = (globalThis as { setImmediate?: (cb: () => void) => unknown }).setImmediate;
  return new Promise((resolve) => (later ? later(resolve) : setTimeout(resolve, 0)));
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
